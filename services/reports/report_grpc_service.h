#ifndef CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_

// The wire edge of ReportService: one line per RPC. Thread-safe.

#include "carescore/v1/reports.grpc.pb.h"
#include "services/reports/report_service.h"

namespace carescore::reports {

class ReportGrpcService final : public v1::ReportService::Service {
 public:
  explicit ReportGrpcService(ReportService& service) : service_(service) {}

  grpc::Status GetScorecard(grpc::ServerContext* context, const v1::GetScorecardRequest* request,
                            v1::GetScorecardResponse* response) override;
  grpc::Status GetReport(grpc::ServerContext* context, const v1::GetReportRequest* request,
                         v1::GetReportResponse* response) override;
  grpc::Status GetHighlights(grpc::ServerContext* context, const v1::GetHighlightsRequest* request,
                             v1::GetHighlightsResponse* response) override;
  grpc::Status SetCommentary(grpc::ServerContext* context, const v1::SetCommentaryRequest* request,
                             v1::SetCommentaryResponse* response) override;
  grpc::Status ListCommentary(grpc::ServerContext* context,
                              const v1::ListCommentaryRequest* request,
                              v1::ListCommentaryResponse* response) override;

 private:
  ReportService& service_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_
