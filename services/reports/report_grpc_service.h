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

 private:
  ReportService& service_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_
