#include "services/indicators/pg_indicator_store.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/stores/open_stores.h"

namespace carescore::stores {

absl::StatusOr<std::unique_ptr<indicators::IndicatorStore>> OpenIndicatorStore(
    const StoreLocation& where) {
  return OpenStore<indicators::IndicatorStore, indicators::SqliteIndicatorStore,
                   indicators::PgIndicatorStore>(where, "indicators");
}

}  // namespace carescore::stores
