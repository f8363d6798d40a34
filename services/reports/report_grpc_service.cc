#include "services/reports/report_grpc_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/auth/guarded.h"
#include "common/grpc_status.h"
#include "common/idempotency/idempotent_writes.h"
#include "common/server_call_scope.h"
#include "services/reports/scorecard_response.h"

namespace carescore::reports {

grpc::ServerUnaryReactor* ReportGrpcService::GetScorecard(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto parsed = std::make_shared<v1::GetScorecardRequest>();
  std::vector<grpc::Slice> slices;
  std::string wire;
  if (request->Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      wire.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (!parsed->ParseFromString(wire)) {
    reactor->Finish(
        ToGrpcStatus(absl::InvalidArgumentError("the request is not a GetScorecardRequest")));
    return reactor;
  }
  std::string token;
  if (gate_ != nullptr) {
    absl::StatusOr<auth::Admitted> admitted =
        gate_->Admit(*context, "ReportService/GetScorecard", auth::LaCodesOf(*parsed));
    if (!admitted.ok()) {
      reactor->Finish(ToGrpcStatus(admitted.status()));
      return reactor;
    }
    token = std::move(admitted->token);
  }
  // A hit needing no other service is answered here; anything else may
  // wait on the other services, so it goes to the edge's threads.
  std::string missed_key;
  if (std::optional<ScorecardBytes> hit = service_.CachedScorecardBytes(*parsed, &missed_key)) {
    *response = ScorecardResponseBuffer(*std::move(hit));
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  // The call's deadline and cancellation go with the work to the worker
  // (the call, which the scope asks, lasts until Finish).
  workers_.Submit([this, reactor, response, parsed, missed_key = std::move(missed_key),
                   token = std::move(token), scope = ServerCallScope(*context)] {
    // The other services are asked on the caller's behalf.
    auth::ScopedCallToken scoped(token);
    ScopedCallScope call_scope(scope);
    absl::StatusOr<ScorecardBytes> card = service_.GetScorecardBytes(*parsed, missed_key);
    if (!card.ok()) {
      reactor->Finish(ToGrpcStatus(card.status()));
      return;
    }
    *response = ScorecardResponseBuffer(*std::move(card));
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::Status ReportGrpcService::GetReport(grpc::ServerContext* context,
                                          const v1::GetReportRequest* request,
                                          v1::GetReportResponse* response) {
  return auth::Guarded(gate_, *context, "ReportService/GetReport", *request, response,
                       [&](const auth::Admitted*) { return service_.GetReport(*request); });
}

grpc::Status ReportGrpcService::GetHighlights(grpc::ServerContext* context,
                                              const v1::GetHighlightsRequest* request,
                                              v1::GetHighlightsResponse* response) {
  return auth::Guarded(gate_, *context, "ReportService/GetHighlights", *request, response,
                       [&](const auth::Admitted*) { return service_.GetHighlights(*request); });
}

grpc::Status ReportGrpcService::SetCommentary(grpc::ServerContext* context,
                                              const v1::SetCommentaryRequest* request,
                                              v1::SetCommentaryResponse* response) {
  return auth::Guarded(
      gate_, *context, "ReportService/SetCommentary", *request, response,
      OnceOnly(writes_, "ReportService/SetCommentary", *request,
               [&](const auth::Admitted*) { return service_.SetCommentary(*request); }));
}

grpc::Status ReportGrpcService::ListCommentary(grpc::ServerContext* context,
                                               const v1::ListCommentaryRequest* request,
                                               v1::ListCommentaryResponse* response) {
  return auth::Guarded(gate_, *context, "ReportService/ListCommentary", *request, response,
                       [&](const auth::Admitted*) { return service_.ListCommentary(*request); });
}

}  // namespace carescore::reports
