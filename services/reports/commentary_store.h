#ifndef CARESCORE_SERVICES_REPORTS_COMMENTARY_STORE_H_
#define CARESCORE_SERVICES_REPORTS_COMMENTARY_STORE_H_

// Where heads of service's commentary is kept: one text per LA, month and
// section, with its author and time. Thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "carescore/v1/reports.pb.h"
#include "common/sqlite_db.h"

namespace carescore::reports {

class CommentaryStore {
 public:
  virtual ~CommentaryStore() = default;
  // Creates or replaces; `commentary.updated_at` is set by the caller.
  [[nodiscard]] virtual absl::Status Put(const v1::Commentary& commentary) = 0;
  // By section name.
  virtual absl::StatusOr<std::vector<v1::Commentary>> List(absl::string_view la_code,
                                                           absl::string_view month) = 0;
};

class SqliteCommentaryStore final : public CommentaryStore {
 public:
  // ":memory:" for tests. Unavailable if the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteCommentaryStore>> Open(const std::string& path);
  absl::Status Put(const v1::Commentary& commentary) override;
  absl::StatusOr<std::vector<v1::Commentary>> List(absl::string_view la_code,
                                                   absl::string_view month) override;

 private:
  explicit SqliteCommentaryStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_COMMENTARY_STORE_H_
