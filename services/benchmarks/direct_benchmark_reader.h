#ifndef CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_
#define CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_

// A BenchmarkReader that calls the real benchmark rules in the same
// process, without gRPC: for tests of the services that read benchmarks
// (the gRPC reader is tested against a real server in benchmarks_test).

#include <string>

#include "services/benchmarks/benchmark_reader.h"
#include "services/benchmarks/benchmark_service.h"

namespace carescore::benchmarks {

class DirectBenchmarkReader final : public BenchmarkReader {
 public:
  // `service` outlives *this.
  explicit DirectBenchmarkReader(BenchmarkService& service) : service_(service) {}
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override {
    v1::ListPublishedComparatorsRequest r;
    r.set_la_code(std::string(la_code));
    return service_.ListPublishedComparators(r);
  }
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) override {
    return service_.BatchGetBenchmarks(request);
  }
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() override {
    return service_.GetComparatorsVersion(v1::GetComparatorsVersionRequest());
  }

 private:
  BenchmarkService& service_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_
