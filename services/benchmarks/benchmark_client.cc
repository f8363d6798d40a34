#include "services/benchmarks/benchmark_client.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::benchmarks {

absl::StatusOr<v1::ListPublishedComparatorsResponse> GrpcBenchmarkReader::ListPublished(
    absl::string_view la_code) {
  v1::BenchmarkService::Stub* stub = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (stub_ == nullptr) {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
      if (!channel.ok()) return channel.status();
      stub_ = v1::BenchmarkService::NewStub(*channel);
    }
    stub = stub_.get();
  }
  v1::ListPublishedComparatorsRequest request;
  request.set_la_code(std::string(la_code));
  v1::ListPublishedComparatorsResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  absl::Status s = FromGrpcStatus(stub->ListPublishedComparators(&ctx, request, &response));
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("benchmark service: ", s.message()));
  return response;
}

}  // namespace carescore::benchmarks
