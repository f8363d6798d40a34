#ifndef CARESCORE_SERVICES_ESCALATIONS_SQLITE_ESCALATION_STORE_H_
#define CARESCORE_SERVICES_ESCALATIONS_SQLITE_ESCALATION_STORE_H_

// EscalationStore on SQLite (WAL): the embedded default. One connection,
// serialised by a mutex; each write is one transaction.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite_db.h"
#include "services/escalations/escalation_store.h"

namespace carescore::escalations {

class SqliteEscalationStore final : public EscalationStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteEscalationStore>> Open(const std::string& path);

  absl::StatusOr<v1::Escalation> Insert(v1::Escalation escalation) override;
  absl::Status Update(const v1::Escalation& escalation, int expected_transitions) override;
  absl::StatusOr<std::optional<v1::Escalation>> Find(absl::string_view id) override;
  absl::StatusOr<std::vector<v1::Escalation>> List(const EscalationFilter& filter) override;
  absl::StatusOr<std::pair<v1::Audit, std::optional<v1::Escalation>>> InsertAudit(
      v1::Audit audit, std::optional<v1::Escalation> escalation) override;
  absl::StatusOr<std::vector<v1::Audit>> ListAudits(absl::string_view la_code, absl::CivilDay from,
                                                    absl::CivilDay to) override;
  absl::Status AddClosures(absl::string_view la_code, const std::vector<absl::CivilDay>& days,
                           absl::string_view reason) override;
  absl::StatusOr<std::set<absl::CivilDay>> Closures(absl::string_view la_code) override;
  absl::Status LogAccess(absl::string_view actor, absl::string_view action,
                         absl::string_view subject) override;
  absl::StatusOr<std::vector<std::string>> AccessLog(int limit) override;

 private:
  explicit SqliteEscalationStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::StatusOr<v1::Escalation> InsertLocked(v1::Escalation escalation)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_SQLITE_ESCALATION_STORE_H_
