#include "services/reports/report_grpc_service.h"

#include "common/grpc_status.h"

namespace carescore::reports {

grpc::Status ReportGrpcService::GetScorecard(grpc::ServerContext* /*context*/,
                                             const v1::GetScorecardRequest* request,
                                             v1::GetScorecardResponse* response) {
  return Reply(service_.GetScorecard(*request), response);
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
