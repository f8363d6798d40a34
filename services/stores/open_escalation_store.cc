#include "services/escalations/pg_escalation_store.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/stores/open_stores.h"

namespace carescore::stores {

absl::StatusOr<std::unique_ptr<escalations::EscalationStore>> OpenEscalationStore(
    const StoreLocation& where) {
  return OpenStore<escalations::EscalationStore, escalations::SqliteEscalationStore,
                   escalations::PgEscalationStore>(where, "escalations");
}

}  // namespace carescore::stores
