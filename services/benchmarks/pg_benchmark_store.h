#ifndef CARESCORE_SERVICES_BENCHMARKS_PG_BENCHMARK_STORE_H_
#define CARESCORE_SERVICES_BENCHMARKS_PG_BENCHMARK_STORE_H_

// BenchmarkStore on PostgreSQL, in the schema "benchmarks", with the same
// tables and columns as SqliteBenchmarkStore (neighbours,
// published_comparators, store_version). Several replicas may share one
// database: every write is one transaction that first takes the
// store_version row's lock and raises the version there, so writes from all
// replicas are applied one after another (last writer wins, as in SQLite)
// and Version(), read from the database, is the same for all of them.
//
// Thread-safe: each call takes its own connection from a pool. Errors are
// PgConn's (Unavailable when the server cannot be reached,
// FailedPrecondition for a duplicate rank in one LA's list, which leaves
// the store unchanged).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/pg_db.h"
#include "services/benchmarks/benchmark_store.h"

namespace carescore::benchmarks {

class PgBenchmarkStore final : public BenchmarkStore {
 public:
  // Connects to `url` ("postgresql://...") with up to `pool_size`
  // connections and brings the schema up to date. Unavailable if the server
  // cannot be reached; FailedPrecondition if a newer build wrote the schema.
  static absl::StatusOr<std::unique_ptr<PgBenchmarkStore>> Open(const std::string& url,
                                                                int pool_size = 8);

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
  explicit PgBenchmarkStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  // Empty indicator code or year: any.
  absl::StatusOr<std::vector<v1::PublishedComparator>> QueryPublished(
      absl::string_view la_code, absl::string_view indicator_code,
      absl::string_view financial_year);

  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_PG_BENCHMARK_STORE_H_
