#ifndef CARESCORE_COMMON_IDEMPOTENCY_PG_REQUEST_LOG_H_
#define CARESCORE_COMMON_IDEMPOTENCY_PG_REQUEST_LOG_H_

// The RequestLog in PostgreSQL (schema `requests`), shared by every replica
// on the database, so a retry that reaches another replica still finds the
// first answer. Same contract as SqliteRequestLog. Thread-safe.

#include <memory>
#include <string>

#include "common/idempotency/request_log.h"
#include "common/pg_db.h"

namespace carescore {

class PgRequestLog final : public RequestLog {
 public:
  // Connects and applies the schema's migrations (under an advisory lock).
  static absl::StatusOr<std::unique_ptr<PgRequestLog>> Open(const std::string& url,
                                                            int pool_size = 4);
  absl::StatusOr<RequestClaim> Claim(absl::string_view method, absl::string_view request_id,
                                     absl::string_view fingerprint, absl::Time now,
                                     absl::Time stale_before) override;
  absl::Status Complete(absl::string_view method, absl::string_view request_id,
                        absl::string_view response) override;
  absl::Status Release(absl::string_view method, absl::string_view request_id) override;
  absl::StatusOr<int64_t> Expire(absl::Time before) override;

 private:
  explicit PgRequestLog(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_IDEMPOTENCY_PG_REQUEST_LOG_H_
