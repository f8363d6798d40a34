#include "services/escalations/escalation_grpc_service.h"

#include <string>

#include "common/grpc_status.h"

namespace carescore::escalations {
namespace {

// The request with its actor taken from the call's metadata, if sent.
template <typename Request>
Request WithActor(const grpc::ServerContext* context, const Request& request) {
  Request copy = request;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("x-carescore-actor");
  if (it != metadata.end()) copy.set_actor(std::string(it->second.data(), it->second.size()));
  return copy;
}

}  // namespace

grpc::Status EscalationGrpcService::RaiseEscalation(grpc::ServerContext* context,
                                                    const v1::RaiseEscalationRequest* request,
                                                    v1::RaiseEscalationResponse* response) {
  return Reply(service_.RaiseEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::RespondToEscalation(
    grpc::ServerContext* context, const v1::RespondToEscalationRequest* request,
    v1::RespondToEscalationResponse* response) {
  return Reply(service_.RespondToEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::EscalateEscalation(grpc::ServerContext* context,
                                                       const v1::EscalateEscalationRequest* request,
                                                       v1::EscalateEscalationResponse* response) {
  return Reply(service_.EscalateEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::ResolveEscalation(grpc::ServerContext* context,
                                                      const v1::ResolveEscalationRequest* request,
                                                      v1::ResolveEscalationResponse* response) {
  return Reply(service_.ResolveEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::WithdrawEscalation(grpc::ServerContext* context,
                                                       const v1::WithdrawEscalationRequest* request,
                                                       v1::WithdrawEscalationResponse* response) {
  return Reply(service_.WithdrawEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::ReferToCafcass(grpc::ServerContext* context,
                                                   const v1::ReferToCafcassRequest* request,
                                                   v1::ReferToCafcassResponse* response) {
  return Reply(service_.ReferToCafcass(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::GetEscalation(grpc::ServerContext* context,
                                                  const v1::GetEscalationRequest* request,
                                                  v1::GetEscalationResponse* response) {
  return Reply(service_.GetEscalation(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::ListEscalations(grpc::ServerContext* context,
                                                    const v1::ListEscalationsRequest* request,
                                                    v1::ListEscalationsResponse* response) {
  return Reply(service_.ListEscalations(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::ListOverdueEscalations(
    grpc::ServerContext* context, const v1::ListOverdueEscalationsRequest* request,
    v1::ListOverdueEscalationsResponse* response) {
  return Reply(service_.ListOverdueEscalations(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::GetEscalationSummary(
    grpc::ServerContext* context, const v1::GetEscalationSummaryRequest* request,
    v1::GetEscalationSummaryResponse* response) {
  return Reply(service_.GetEscalationSummary(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::WatchEscalations(
    grpc::ServerContext* context, const v1::WatchEscalationsRequest* request,
    grpc::ServerWriter<v1::WatchEscalationsResponse>* writer) {
  const v1::WatchEscalationsRequest watch = WithActor(context, *request);
  absl::Status started = service_.StartWatch(watch);
  if (!started.ok()) return ToGrpcStatus(started);
  ChangeFeed& feed = service_.feed();
  uint64_t cursor = feed.Next();
  // Wakes at least twice a second to notice a cancelled call or shutdown.
  while (!context->IsCancelled()) {
    std::optional<v1::WatchEscalationsResponse> change =
        feed.Wait(&cursor, absl::Milliseconds(500));
    if (!change.has_value()) continue;
    if (!watch.la_code().empty() && change->escalation().la_code() != watch.la_code()) continue;
    if (!writer->Write(*change)) break;
  }
  return grpc::Status::OK;
}

grpc::Status EscalationGrpcService::RecordAudit(grpc::ServerContext* context,
                                                const v1::RecordAuditRequest* request,
                                                v1::RecordAuditResponse* response) {
  return Reply(service_.RecordAudit(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::GetAuditSummary(grpc::ServerContext* context,
                                                    const v1::GetAuditSummaryRequest* request,
                                                    v1::GetAuditSummaryResponse* response) {
  return Reply(service_.GetAuditSummary(WithActor(context, *request)), response);
}

grpc::Status EscalationGrpcService::GetLadder(grpc::ServerContext* /*context*/,
                                              const v1::GetLadderRequest* request,
                                              v1::GetLadderResponse* response) {
  return Reply(service_.GetLadder(*request), response);
}

grpc::Status EscalationGrpcService::AddWorkingDays(grpc::ServerContext* /*context*/,
                                                   const v1::AddWorkingDaysRequest* request,
                                                   v1::AddWorkingDaysResponse* response) {
  return Reply(service_.AddWorkingDays(*request), response);
}

grpc::Status EscalationGrpcService::AddClosureDays(grpc::ServerContext* /*context*/,
                                                   const v1::AddClosureDaysRequest* request,
                                                   v1::AddClosureDaysResponse* response) {
  return Reply(service_.AddClosureDays(*request), response);
}

}  // namespace carescore::escalations
