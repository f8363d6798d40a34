#include "services/benchmarks/grpc_benchmark_reader.h"

#include <string>

namespace carescore::benchmarks {
namespace {

using Stub = v1::BenchmarkService::Stub;

}  // namespace

absl::StatusOr<v1::ListPublishedComparatorsResponse> GrpcBenchmarkReader::ListPublished(
    absl::string_view la_code) {
  v1::ListPublishedComparatorsRequest request;
  request.set_la_code(std::string(la_code));
  return caller_.Call(&Stub::ListPublishedComparators, request);
}

absl::StatusOr<v1::BatchGetBenchmarksResponse> GrpcBenchmarkReader::BatchGet(
    const v1::BatchGetBenchmarksRequest& request) {
  return caller_.Call(&Stub::BatchGetBenchmarks, request);
}

absl::StatusOr<v1::GetComparatorsVersionResponse> GrpcBenchmarkReader::GetVersion() {
  return caller_.Call(&Stub::GetComparatorsVersion, v1::GetComparatorsVersionRequest());
}

}  // namespace carescore::benchmarks
