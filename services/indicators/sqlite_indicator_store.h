#ifndef CARESCORE_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_
#define CARESCORE_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_

// IndicatorStore on SQLite (WAL): the embedded default. One connection,
// serialised by a mutex; each write call is one transaction.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite_db.h"
#include "services/indicators/indicator_store.h"

namespace carescore::indicators {

class SqliteIndicatorStore final : public IndicatorStore {
 public:
  // Opens or creates the database at `path` (":memory:" for tests) and
  // brings its schema up to date. Unavailable if it cannot be opened;
  // FailedPrecondition if it was written by a newer version.
  static absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> Open(const std::string& path);

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
  explicit SqliteIndicatorStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  [[nodiscard]] absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
  // Microseconds since the epoch of the last load, to keep stamps increasing.
  int64_t last_recorded_us_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_
