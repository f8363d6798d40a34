#ifndef CARESCORE_SERVICES_INDICATORS_INDICATOR_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_INDICATORS_INDICATOR_GRPC_SERVICE_H_

// The wire edge of IndicatorService: one line per RPC, absl::Status to
// grpc::Status through common/grpc_status.h. Thread-safe.

#include "carescore/v1/indicators.grpc.pb.h"
#include "common/auth/gate.h"
#include "common/idempotency/idempotent_writes.h"
#include "services/indicators/indicator_service.h"

namespace carescore::indicators {

class IndicatorGrpcService final : public v1::IndicatorService::Service {
 public:
  // `gate` (null: every call let in, for the rules' wire tests) outlives
  // *this, as does `service`.
  // `writes` (null: request ids only checked, for the rules' wire tests)
  // keeps the answers to writes sent with a request_id; it outlives *this.
  explicit IndicatorGrpcService(IndicatorService& service, auth::AuthGate* gate = nullptr,
                                IdempotentWrites* writes = nullptr)
      : service_(service), gate_(gate), writes_(writes) {}

  grpc::Status ImportLocalAuthorities(grpc::ServerContext* context,
                                      const v1::ImportLocalAuthoritiesRequest* request,
                                      v1::ImportLocalAuthoritiesResponse* response) override;
  grpc::Status GetLocalAuthority(grpc::ServerContext* context,
                                 const v1::GetLocalAuthorityRequest* request,
                                 v1::GetLocalAuthorityResponse* response) override;
  grpc::Status ListLocalAuthorities(grpc::ServerContext* context,
                                    const v1::ListLocalAuthoritiesRequest* request,
                                    v1::ListLocalAuthoritiesResponse* response) override;
  grpc::Status ImportIndicators(grpc::ServerContext* context,
                                const v1::ImportIndicatorsRequest* request,
                                v1::ImportIndicatorsResponse* response) override;
  grpc::Status GetIndicator(grpc::ServerContext* context, const v1::GetIndicatorRequest* request,
                            v1::GetIndicatorResponse* response) override;
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* response) override;
  grpc::Status SetTargets(grpc::ServerContext* context, const v1::SetTargetsRequest* request,
                          v1::SetTargetsResponse* response) override;
  grpc::Status ListTargets(grpc::ServerContext* context, const v1::ListTargetsRequest* request,
                           v1::ListTargetsResponse* response) override;
  grpc::Status SetMilestones(grpc::ServerContext* context, const v1::SetMilestonesRequest* request,
                             v1::SetMilestonesResponse* response) override;
  grpc::Status ListMilestones(grpc::ServerContext* context,
                              const v1::ListMilestonesRequest* request,
                              v1::ListMilestonesResponse* response) override;
  grpc::Status WriteValues(grpc::ServerContext* context, const v1::WriteValuesRequest* request,
                           v1::WriteValuesResponse* response) override;
  grpc::Status ImportValues(grpc::ServerContext* context,
                            grpc::ServerReader<v1::ImportValuesRequest>* reader,
                            v1::ImportValuesResponse* response) override;
  grpc::Status ListValues(grpc::ServerContext* context, const v1::ListValuesRequest* request,
                          v1::ListValuesResponse* response) override;
  grpc::Status ListValueHistory(grpc::ServerContext* context,
                                const v1::ListValueHistoryRequest* request,
                                v1::ListValueHistoryResponse* response) override;
  grpc::Status GetDataVersion(grpc::ServerContext* context,
                              const v1::GetDataVersionRequest* request,
                              v1::GetDataVersionResponse* response) override;

 private:
  IndicatorService& service_;
  auth::AuthGate* gate_;
  IdempotentWrites* writes_;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_INDICATOR_GRPC_SERVICE_H_
