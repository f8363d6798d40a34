#include "services/escalations/escalation_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace carescore::escalations {

absl::StatusOr<v1::GetEscalationSummaryResponse> GrpcEscalationReader::Summary(
    const v1::GetEscalationSummaryRequest& request) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
  if (!channel.ok()) return channel.status();
  auto stub = v1::EscalationService::NewStub(*channel);
  v1::GetEscalationSummaryResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  ctx.AddMetadata("x-carescore-actor", "carescore-reports");
  absl::Status s = FromGrpcStatus(stub->GetEscalationSummary(&ctx, request, &response));
  if (!s.ok()) return absl::Status(s.code(), absl::StrCat("escalation service: ", s.message()));
  return response;
}

}  // namespace carescore::escalations
