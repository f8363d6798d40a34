#include "services/reports/report_grpc_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/grpc_status.h"
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
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                 "the request is not a GetScorecardRequest"));
    return reactor;
  }
  // A hit needing no other service is answered here; anything else may
  // wait on the other services, so it goes to the edge's threads.
  std::string missed_key;
  if (std::optional<ScorecardBytes> hit = service_.CachedScorecardBytes(*parsed, &missed_key)) {
    *response = ScorecardResponseBuffer(*std::move(hit));
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  workers_.Submit([this, reactor, response, parsed, missed_key = std::move(missed_key)] {
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

grpc::Status ReportGrpcService::GetReport(grpc::ServerContext* /*context*/,
                                          const v1::GetReportRequest* request,
                                          v1::GetReportResponse* response) {
  return Reply(service_.GetReport(*request), response);
}

grpc::Status ReportGrpcService::GetHighlights(grpc::ServerContext* /*context*/,
                                              const v1::GetHighlightsRequest* request,
                                              v1::GetHighlightsResponse* response) {
  return Reply(service_.GetHighlights(*request), response);
}

grpc::Status ReportGrpcService::SetCommentary(grpc::ServerContext* /*context*/,
                                              const v1::SetCommentaryRequest* request,
                                              v1::SetCommentaryResponse* response) {
  return Reply(service_.SetCommentary(*request), response);
}

grpc::Status ReportGrpcService::ListCommentary(grpc::ServerContext* /*context*/,
                                               const v1::ListCommentaryRequest* request,
                                               v1::ListCommentaryResponse* response) {
  return Reply(service_.ListCommentary(*request), response);
}

}  // namespace carescore::reports
