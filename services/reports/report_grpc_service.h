#ifndef CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_

// The wire edge of ReportService: one line per RPC, except GetScorecard,
// which is a raw callback method: it sends ReportService::GetScorecardBytes
// as they are (scorecard_response.h puts the response's fields around
// them), so a cached scorecard goes out without being parsed and serialised
// again. A request that does not parse is INVALID_ARGUMENT. A hit whose versions are held is
// answered on gRPC's thread (it waits only on the cache, at most its command timeout); other calls,
// which wait on the other services, run on the edge's own threads. Thread-safe.

#include "carescore/v1/reports.grpc.pb.h"
#include "common/auth/gate.h"
#include "common/idempotency/idempotent_writes.h"
#include "common/worker_pool.h"
#include "services/reports/report_service.h"

namespace carescore::reports {

// How many scorecards a server works on at once by default.
inline constexpr int kDefaultScorecardThreads = 16;

class ReportGrpcService final
    : public v1::ReportService::WithRawCallbackMethod_GetScorecard<v1::ReportService::Service> {
 public:
  // `threads`: how many scorecards are worked on at once. `gate` (null:
  // every call let in, for the rules' wire tests) outlives *this, as does
  // `service`.
  // `writes` (null: request ids only checked) keeps the answers to writes
  // sent with a request_id; it outlives *this.
  explicit ReportGrpcService(ReportService& service, int threads = kDefaultScorecardThreads,
                             auth::AuthGate* gate = nullptr, IdempotentWrites* writes = nullptr)
      : service_(service), gate_(gate), writes_(writes), workers_(threads) {}

  grpc::ServerUnaryReactor* GetScorecard(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
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
  auth::AuthGate* gate_;
  IdempotentWrites* writes_;
  WorkerPool workers_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_GRPC_SERVICE_H_
