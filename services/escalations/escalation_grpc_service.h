#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_GRPC_SERVICE_H_

// The wire edge of EscalationService. With a gate, every call is admitted
// by it (common/auth/gate.h) and the caller is the token's subject (or the
// caller a service acts for): the requests' `actor` fields and
// `x-carescore-actor` metadata are ignored, and each write passes the
// subject and roles to the rules as an Acting, so the ladder's stage roles
// are checked (PERMISSION_DENIED, STAGE_NOT_ALLOWED). Without a gate (the
// rules' wire tests only) calls are unchecked, there is no stage check, and
// the caller's identity for the access log comes from the
// `x-carescore-actor` metadata when sent (it overrides the request's
// `actor`). Watch streams end when the client cancels or the server shuts
// down. Thread-safe.

#include <string>
#include <vector>

#include "carescore/v1/escalations.grpc.pb.h"
#include "common/auth/gate.h"
#include "common/idempotency/idempotent_writes.h"
#include "services/escalations/escalation_service.h"

namespace carescore::escalations {

class EscalationGrpcService final : public v1::EscalationService::Service {
 public:
  // `gate` (null: every call let in, for the rules' wire tests) outlives
  // *this, as does `service`.
  // `writes` (null: request ids only checked, for the rules' wire tests)
  // keeps the answers to writes sent with a request_id; it outlives *this.
  explicit EscalationGrpcService(EscalationService& service, auth::AuthGate* gate = nullptr,
                                 IdempotentWrites* writes = nullptr)
      : service_(service), gate_(gate), writes_(writes) {}

  grpc::Status RaiseEscalation(grpc::ServerContext* context,
                               const v1::RaiseEscalationRequest* request,
                               v1::RaiseEscalationResponse* response) override;
  grpc::Status RespondToEscalation(grpc::ServerContext* context,
                                   const v1::RespondToEscalationRequest* request,
                                   v1::RespondToEscalationResponse* response) override;
  grpc::Status EscalateEscalation(grpc::ServerContext* context,
                                  const v1::EscalateEscalationRequest* request,
                                  v1::EscalateEscalationResponse* response) override;
  grpc::Status ResolveEscalation(grpc::ServerContext* context,
                                 const v1::ResolveEscalationRequest* request,
                                 v1::ResolveEscalationResponse* response) override;
  grpc::Status WithdrawEscalation(grpc::ServerContext* context,
                                  const v1::WithdrawEscalationRequest* request,
                                  v1::WithdrawEscalationResponse* response) override;
  grpc::Status ReferToCafcass(grpc::ServerContext* context,
                              const v1::ReferToCafcassRequest* request,
                              v1::ReferToCafcassResponse* response) override;
  grpc::Status GetEscalation(grpc::ServerContext* context, const v1::GetEscalationRequest* request,
                             v1::GetEscalationResponse* response) override;
  grpc::Status ListEscalations(grpc::ServerContext* context,
                               const v1::ListEscalationsRequest* request,
                               v1::ListEscalationsResponse* response) override;
  grpc::Status ListOverdueEscalations(grpc::ServerContext* context,
                                      const v1::ListOverdueEscalationsRequest* request,
                                      v1::ListOverdueEscalationsResponse* response) override;
  grpc::Status GetEscalationSummary(grpc::ServerContext* context,
                                    const v1::GetEscalationSummaryRequest* request,
                                    v1::GetEscalationSummaryResponse* response) override;
  grpc::Status WatchEscalations(grpc::ServerContext* context,
                                const v1::WatchEscalationsRequest* request,
                                grpc::ServerWriter<v1::WatchEscalationsResponse>* writer) override;
  grpc::Status RecordAudit(grpc::ServerContext* context, const v1::RecordAuditRequest* request,
                           v1::RecordAuditResponse* response) override;
  grpc::Status GetAuditSummary(grpc::ServerContext* context,
                               const v1::GetAuditSummaryRequest* request,
                               v1::GetAuditSummaryResponse* response) override;
  grpc::Status GetLadder(grpc::ServerContext* context, const v1::GetLadderRequest* request,
                         v1::GetLadderResponse* response) override;
  grpc::Status AddWorkingDays(grpc::ServerContext* context,
                              const v1::AddWorkingDaysRequest* request,
                              v1::AddWorkingDaysResponse* response) override;
  grpc::Status AddClosureDays(grpc::ServerContext* context,
                              const v1::AddClosureDaysRequest* request,
                              v1::AddClosureDaysResponse* response) override;

 private:
  // The LA of the case a by-id request names, for the gate.
  std::vector<std::string> CaseLas(const std::string& id);

  EscalationService& service_;
  auth::AuthGate* gate_;
  IdempotentWrites* writes_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_GRPC_SERVICE_H_
