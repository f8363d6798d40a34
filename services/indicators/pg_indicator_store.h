#ifndef CARESCORE_SERVICES_INDICATORS_PG_INDICATOR_STORE_H_
#define CARESCORE_SERVICES_INDICATORS_PG_INDICATOR_STORE_H_

// IndicatorStore on PostgreSQL, in the schema "indicators": the same tables,
// columns and keys as SqliteIndicatorStore, so a SQLite data folder copies
// across table by table. Several replicas (processes, each with its own
// store object) may share one database: every write call is one
// transaction, and whatever must agree across replicas (load ids, load
// stamps, catalogue order, versions) is read from the database inside it,
// under a lock.
//
// Load ids are max(load_id) + 1 and stamps max(now, last stamp + 1 us),
// both read under a transaction-scoped advisory lock that every
// AppendValues takes first, so loads are numbered and stamped in commit
// order across replicas (no sequence: a sequence hands out ids in start
// order, not commit order).
//
// Thread-safe: each call borrows its own connection from a pool. Errors
// from PostgreSQL pass up as common/pg_db.h maps them (Unavailable for a
// lost connection, FailedPrecondition for a constraint, ...).

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "common/pg_db.h"
#include "services/indicators/indicator_store.h"

namespace carescore::indicators {

class PgIndicatorStore final : public IndicatorStore {
 public:
  // Connects to `url` ("postgresql://..."), with up to `pool_size`
  // connections, and brings the "indicators" schema up to date.
  // Unavailable if the server cannot be reached; FailedPrecondition if a
  // newer build wrote the schema.
  static absl::StatusOr<std::unique_ptr<PgIndicatorStore>> Open(const std::string& url,
                                                                int pool_size = 8);

  absl::Status UpsertLocalAuthorities(const std::vector<v1::LocalAuthority>& las) override;
  absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override;
  absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) override;
  absl::Status UpsertIndicators(const std::vector<v1::Indicator>& indicators) override;
  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override;
  absl::Status UpsertTargets(const std::vector<v1::Target>& targets) override;
  absl::StatusOr<std::vector<v1::Target>> ListTargets(const TargetFilter& filter) override;
  absl::Status ReplaceMilestones(absl::string_view indicator_code, absl::string_view la_code,
                                 const std::vector<v1::Milestone>& milestones) override;
  absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(absl::string_view indicator_code,
                                                            absl::string_view la_code) override;
  absl::StatusOr<LoadReceipt> AppendValues(absl::string_view source,
                                           const std::vector<v1::ValueInput>& values) override;
  absl::StatusOr<std::vector<v1::Value>> ListValues(const ValueQuery& query) override;
  absl::StatusOr<std::vector<v1::Value>> ValueHistory(const ValueKey& key) override;
  absl::StatusOr<int64_t> DataVersion(absl::string_view la_code) override;
  absl::StatusOr<int64_t> AllDataVersion() override;
  absl::StatusOr<int> LasWithValues() override;
  absl::StatusOr<int64_t> CatalogueVersion() override;

 private:
  explicit PgIndicatorStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  // One statement that returns a single integer, on a connection of its own.
  absl::StatusOr<int64_t> SingleInt(absl::string_view sql);
  // One transaction that raises the catalogue version, then runs `write`.
  [[nodiscard]] absl::Status CatalogueWrite(absl::FunctionRef<absl::Status(PgConn&)> write);

  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_PG_INDICATOR_STORE_H_
