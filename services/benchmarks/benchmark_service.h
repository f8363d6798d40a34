#ifndef CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_SERVICE_H_
#define CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_SERVICE_H_

// The benchmarking rules, with no gRPC in them: validates neighbour models
// and published comparators whole before storing them, and computes
// comparators from the values the indicator service holds (comparators.h
// has the method). Thread-safe if the store and reader are.
// Errors: InvalidArgument (bad input, every bad row listed), NotFound
// (unknown LA or indicator, nothing to compare with: the message says
// what is missing), and the store's and reader's errors as they come.

#include "absl/status/statusor.h"
#include "carescore/v1/benchmarks.pb.h"
#include "services/benchmarks/benchmark_store.h"
#include "services/indicators/indicator_client.h"

namespace carescore::benchmarks {

class BenchmarkService {
 public:
  // Both outlive *this.
  BenchmarkService(BenchmarkStore& store, indicators::IndicatorReader& indicators)
      : store_(store), indicators_(indicators) {}

  absl::StatusOr<v1::ImportNeighboursResponse> ImportNeighbours(
      const v1::ImportNeighboursRequest& request);
  absl::StatusOr<v1::ListNeighboursResponse> ListNeighbours(
      const v1::ListNeighboursRequest& request);
  absl::StatusOr<v1::ListModelsResponse> ListModels(const v1::ListModelsRequest& request);
  absl::StatusOr<v1::ImportPublishedComparatorsResponse> ImportPublishedComparators(
      const v1::ImportPublishedComparatorsRequest& request);
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublishedComparators(
      const v1::ListPublishedComparatorsRequest& request);
  absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(const v1::GetBenchmarkRequest& request);
  absl::StatusOr<v1::ListRanksResponse> ListRanks(const v1::ListRanksRequest& request);

 private:
  // The model asked for, or the latest; NotFound if there is none.
  absl::StatusOr<std::string> ResolveModel(const std::string& requested);

  BenchmarkStore& store_;
  indicators::IndicatorReader& indicators_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_SERVICE_H_
