#ifndef CARESCORE_SERVICES_ESCALATIONS_PG_ESCALATION_STORE_H_
#define CARESCORE_SERVICES_ESCALATIONS_PG_ESCALATION_STORE_H_

// EscalationStore on PostgreSQL, for several replicas sharing one database:
// the tables of SqliteEscalationStore, column for column, in the schema
// "escalations". Each call takes a connection from a pool and each write is
// one transaction, so replicas see each other's writes at once:
// - ids ("ESC-000001", "QAC-000001") and access log sequence numbers are
//   max(seq) + 1 read under a transaction-scoped advisory lock per table,
//   so they are unique and gapless across replicas, as in SQLite (and stay
//   right after rows are copied in from a SQLite folder, which a sequence
//   would not);
// - Update's optimistic lock is the UPDATE's own WHERE transitions = ...,
//   which PostgreSQL re-checks on the newest row after a concurrent writer
//   commits, so a stale count is Aborted whichever replica wrote last.
// Text columns compare bytewise (COLLATE "C"), as SQLite's do.
// Errors: what common/pg_db.h returns (Unavailable when the database cannot
// be reached), DataLoss for a stored body that cannot be parsed.
// Thread-safe.

#include <memory>
#include <string>

#include "common/pg_db.h"
#include "services/escalations/escalation_store.h"

namespace carescore::escalations {

class PgEscalationStore final : public EscalationStore {
 public:
  // Connects to `url` (postgresql://...) with up to `pool_size` connections
  // and brings the schema up to date.
  static absl::StatusOr<std::unique_ptr<PgEscalationStore>> Open(const std::string& url,
                                                                 int pool_size = 8);

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
  explicit PgEscalationStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}

  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_PG_ESCALATION_STORE_H_
