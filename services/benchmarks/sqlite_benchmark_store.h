#ifndef CARESCORE_SERVICES_BENCHMARKS_SQLITE_BENCHMARK_STORE_H_
#define CARESCORE_SERVICES_BENCHMARKS_SQLITE_BENCHMARK_STORE_H_

// BenchmarkStore on SQLite (WAL): the embedded default. One connection,
// serialised by a mutex; each write is one transaction.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/sqlite_db.h"
#include "services/benchmarks/benchmark_store.h"

namespace carescore::benchmarks {

class SqliteBenchmarkStore final : public BenchmarkStore {
 public:
  // Opens or creates the database at `path` (":memory:" for tests).
  // Unavailable if it cannot be opened; FailedPrecondition if a newer
  // version wrote it.
  static absl::StatusOr<std::unique_ptr<SqliteBenchmarkStore>> Open(const std::string& path);

  absl::Status ReplaceNeighbours(absl::string_view model,
                                 const std::vector<v1::Neighbour>& neighbours) override;
  absl::StatusOr<std::vector<v1::Neighbour>> ListNeighbours(absl::string_view model,
                                                            absl::string_view la_code) override;
  absl::StatusOr<std::vector<std::string>> ListModels() override;
  absl::Status UpsertPublished(const std::vector<v1::PublishedComparator>& comparators) override;
  absl::StatusOr<std::optional<v1::PublishedComparator>> FindPublished(
      absl::string_view la_code, absl::string_view indicator_code,
      absl::string_view financial_year) override;
  absl::StatusOr<std::vector<v1::PublishedComparator>> ListPublished(
      absl::string_view la_code) override;
  absl::StatusOr<int64_t> Version() override;

 private:
  explicit SqliteBenchmarkStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  [[nodiscard]] absl::Status Migrate() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  [[nodiscard]] absl::Status BumpVersion() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Empty indicator code or year: any.
  absl::StatusOr<std::vector<v1::PublishedComparator>> QueryPublished(
      absl::string_view la_code, absl::string_view indicator_code, absl::string_view financial_year)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_SQLITE_BENCHMARK_STORE_H_
