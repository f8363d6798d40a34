#include "services/reports/commentary_store.h"
#include "services/reports/pg_commentary_store.h"
#include "services/stores/open_stores.h"

namespace carescore::stores {

absl::StatusOr<std::unique_ptr<reports::CommentaryStore>> OpenCommentaryStore(
    const StoreLocation& where) {
  return OpenStore<reports::CommentaryStore, reports::SqliteCommentaryStore,
                   reports::PgCommentaryStore>(where, "reports");
}

}  // namespace carescore::stores
