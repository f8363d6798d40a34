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
#include "common/version_lease.h"
#include "services/benchmarks/benchmark_reader.h"
#include "services/benchmarks/benchmark_store.h"
#include "services/indicators/indicator_reader.h"

namespace carescore::benchmarks {

// An LA's statistical neighbours as used for one computation.
struct NeighbourList {
  std::string model;  // Empty: no model held (`note` says so).
  std::vector<v1::Neighbour> neighbours;
  std::string note;
};

class BenchmarkService {
 public:
  // Both outlive *this.
  // Both outlive *this. `version_lease`: how long callers may hold the
  // comparators' version; writes wait that long before they are answered
  // (common/version_lease.h).
  BenchmarkService(BenchmarkStore& store, indicators::IndicatorReader& indicators,
                   absl::Duration version_lease = absl::ZeroDuration())
      : store_(store), indicators_(indicators), fence_(version_lease) {}

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
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGetBenchmarks(
      const v1::BatchGetBenchmarksRequest& request);
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetComparatorsVersion(
      const v1::GetComparatorsVersionRequest& request);

 private:
  // The model asked for, or the latest; NotFound if there is none.
  absl::StatusOr<std::string> ResolveModel(const std::string& requested);
  // The LA's neighbours in the model asked for (or the latest); with no
  // model at all, an empty model and a note saying so.
  absl::StatusOr<NeighbourList> Neighbours(const std::string& model, const std::string& la_code);

  BenchmarkStore& store_;
  indicators::IndicatorReader& indicators_;
  WriteFence fence_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_SERVICE_H_
