#include "services/benchmarks/benchmark_client.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::benchmarks {

absl::StatusOr<v1::BenchmarkService::Stub*> GrpcBenchmarkReader::Stub() {
  absl::MutexLock lock(&mu_);
  if (stub_ == nullptr) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
    if (!channel.ok()) return channel.status();
    stub_ = v1::BenchmarkService::NewStub(*channel);
  }
  return stub_.get();
}

template <typename Request, typename Response>
absl::StatusOr<Response> GrpcBenchmarkReader::Call(
    grpc::Status (v1::BenchmarkService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                       Response*),
    const Request& request) {
  absl::StatusOr<v1::BenchmarkService::Stub*> stub = Stub();
  if (!stub.ok()) return stub.status();
  Response response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  absl::Status s = FromGrpcStatus(((*stub)->*method)(&ctx, request, &response));
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("benchmark service: ", s.message()));
  return response;
}

absl::StatusOr<v1::ListPublishedComparatorsResponse> GrpcBenchmarkReader::ListPublished(
    absl::string_view la_code) {
  v1::ListPublishedComparatorsRequest request;
  request.set_la_code(std::string(la_code));
  return Call(&v1::BenchmarkService::Stub::ListPublishedComparators, request);
}

absl::StatusOr<v1::BatchGetBenchmarksResponse> GrpcBenchmarkReader::BatchGet(
    const v1::BatchGetBenchmarksRequest& request) {
  return Call(&v1::BenchmarkService::Stub::BatchGetBenchmarks, request);
}

absl::StatusOr<v1::GetComparatorsVersionResponse> GrpcBenchmarkReader::GetVersion() {
  return Call(&v1::BenchmarkService::Stub::GetComparatorsVersion,
              v1::GetComparatorsVersionRequest());
}

}  // namespace carescore::benchmarks
