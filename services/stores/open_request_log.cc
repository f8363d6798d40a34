#include "common/idempotency/pg_request_log.h"
#include "common/idempotency/request_log.h"
#include "services/stores/open_stores.h"

namespace carescore::stores {

absl::StatusOr<std::unique_ptr<RequestLog>> OpenRequestLog(const StoreLocation& where) {
  return OpenStore<RequestLog, SqliteRequestLog, PgRequestLog>(where, "requests");
}

}  // namespace carescore::stores
