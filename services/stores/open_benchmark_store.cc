#include "services/benchmarks/pg_benchmark_store.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/stores/open_stores.h"

namespace carescore::stores {

absl::StatusOr<std::unique_ptr<benchmarks::BenchmarkStore>> OpenBenchmarkStore(
    const StoreLocation& where) {
  return OpenStore<benchmarks::BenchmarkStore, benchmarks::SqliteBenchmarkStore,
                   benchmarks::PgBenchmarkStore>(where, "benchmarks");
}

}  // namespace carescore::stores
