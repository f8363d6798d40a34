#ifndef CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_READER_H_
#define CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_READER_H_

// What other services read from the benchmarking service: the interface
// their rules depend on; it carries no transport. GrpcBenchmarkReader
// (grpc_benchmark_reader.h) is the real one; DirectBenchmarkReader calls
// the rules in the same process, for tests; FakeBenchmarkReader (testing/)
// fails on demand. Implementations must be thread-safe.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/benchmarks.pb.h"

namespace carescore::benchmarks {

// The most indicators one BatchGetBenchmarks call may ask for.
inline constexpr int kMaxBatchBenchmarks = 500;

class BenchmarkReader {
 public:
  virtual ~BenchmarkReader() = default;
  // Every published comparator held for the LA, with the store's version.
  virtual absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) = 0;
  // Computed comparators for many indicators (BatchGetBenchmarks).
  virtual absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) = 0;
  // The comparators' version with its lease (common/version_lease.h).
  virtual absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() = 0;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_READER_H_
