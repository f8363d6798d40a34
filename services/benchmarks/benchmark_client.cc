#include "services/benchmarks/benchmark_client.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::benchmarks {

absl::StatusOr<v1::ListPublishedComparatorsResponse> GrpcBenchmarkReader::ListPublished(
    absl::string_view la_code) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
  if (!channel.ok()) return channel.status();
  auto stub = v1::BenchmarkService::NewStub(*channel);
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
