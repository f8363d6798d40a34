#ifndef CARESCORE_SERVICES_REPORTS_PG_COMMENTARY_STORE_H_
#define CARESCORE_SERVICES_REPORTS_PG_COMMENTARY_STORE_H_

// CommentaryStore on PostgreSQL, in the schema "reports", with the same
// commentary table as SqliteCommentaryStore. Replicas sharing the database
// see each other's commentary at once; a Put is one statement (an upsert),
// so concurrent Puts of one section from any replica leave one of them
// whole. Thread-safe: each call takes its own connection from a pool.
// Errors are PgConn's (Unavailable when the server cannot be reached).

#include <memory>
#include <string>
#include <vector>

#include "common/pg_db.h"
#include "services/reports/commentary_store.h"

namespace carescore::reports {

class PgCommentaryStore final : public CommentaryStore {
 public:
  // Connects to `url` ("postgresql://...") with up to `pool_size`
  // connections and brings the schema up to date. Unavailable if the server
  // cannot be reached; FailedPrecondition if a newer build wrote the schema.
  static absl::StatusOr<std::unique_ptr<PgCommentaryStore>> Open(const std::string& url,
                                                                 int pool_size = 4);
  absl::Status Put(const v1::Commentary& commentary) override;
  absl::StatusOr<std::vector<v1::Commentary>> List(absl::string_view la_code,
                                                   absl::string_view month) override;

 private:
  explicit PgCommentaryStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_PG_COMMENTARY_STORE_H_
