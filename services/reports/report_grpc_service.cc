#include "services/reports/report_grpc_service.h"

#include "common/grpc_status.h"

namespace carescore::reports {

grpc::Status ReportGrpcService::GetScorecard(grpc::ServerContext* /*context*/,
                                             const v1::GetScorecardRequest* request,
                                             v1::GetScorecardResponse* response) {
  return Reply(service_.GetScorecard(*request), response);
}

}  // namespace carescore::reports
