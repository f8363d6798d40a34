#include "services/escalations/escalation_grpc_service.h"

#include <optional>
#include <string>
#include <vector>

#include "common/auth/guarded.h"
#include "common/grpc_status.h"
#include "common/idempotency/idempotent_writes.h"

namespace carescore::escalations {
namespace {

// The request with its actor set: the token's subject (or, for a service,
// the subject it acts for) when the call was admitted by a gate, whatever
// the request or its metadata claim; without a gate (the rules' wire
// tests), the x-carescore-actor metadata if sent.
template <typename Request>
Request WithActor(const grpc::ServerContext* context, const Request& request,
                  const auth::Admitted* admitted) {
  Request copy = request;
  if (admitted != nullptr) {
    copy.set_actor(admitted->principal().subject);
    return copy;
  }
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("x-carescore-actor");
  if (it != metadata.end()) copy.set_actor(std::string(it->second.data(), it->second.size()));
  return copy;
}

// Who acts on a write, for the rules' stage check; none without a gate,
// which skips the check.
std::optional<Acting> ActingOf(const auth::Admitted* admitted) {
  if (admitted == nullptr) return std::nullopt;
  return Acting{admitted->principal().subject, admitted->principal().roles};
}

}  // namespace

std::vector<std::string> EscalationGrpcService::CaseLas(const std::string& id) {
  // "?" for no such case: only a caller covering every LA gets past the
  // gate to learn that (as NOT_FOUND); anyone else is refused as for
  // another LA's case, so ids cannot be probed.
  absl::StatusOr<std::string> la = service_.CaseLa(id);
  return {la.ok() ? *la : std::string("?")};
}

grpc::Status EscalationGrpcService::RaiseEscalation(grpc::ServerContext* context,
                                                    const v1::RaiseEscalationRequest* request,
                                                    v1::RaiseEscalationResponse* response) {
  return auth::Guarded(gate_, *context, "EscalationService/RaiseEscalation", *request, response,
                       OnceOnly(writes_, "EscalationService/RaiseEscalation", *request,
                                [&](const auth::Admitted* admitted) {
                                  return service_.RaiseEscalation(
                                      WithActor(context, *request, admitted), ActingOf(admitted));
                                }));
}

grpc::Status EscalationGrpcService::RespondToEscalation(
    grpc::ServerContext* context, const v1::RespondToEscalationRequest* request,
    v1::RespondToEscalationResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/RespondToEscalation",
                          CaseLas(request->id()), request->id(), response,
                          OnceOnly(writes_, "EscalationService/RespondToEscalation", *request,
                                   [&](const auth::Admitted* admitted) {
                                     return service_.RespondToEscalation(
                                         WithActor(context, *request, admitted),
                                         ActingOf(admitted));
                                   }));
}

grpc::Status EscalationGrpcService::EscalateEscalation(grpc::ServerContext* context,
                                                       const v1::EscalateEscalationRequest* request,
                                                       v1::EscalateEscalationResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/EscalateEscalation",
                          CaseLas(request->id()), request->id(), response,
                          OnceOnly(writes_, "EscalationService/EscalateEscalation", *request,
                                   [&](const auth::Admitted* admitted) {
                                     return service_.EscalateEscalation(
                                         WithActor(context, *request, admitted),
                                         ActingOf(admitted));
                                   }));
}

grpc::Status EscalationGrpcService::ResolveEscalation(grpc::ServerContext* context,
                                                      const v1::ResolveEscalationRequest* request,
                                                      v1::ResolveEscalationResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/ResolveEscalation",
                          CaseLas(request->id()), request->id(), response,
                          OnceOnly(writes_, "EscalationService/ResolveEscalation", *request,
                                   [&](const auth::Admitted* admitted) {
                                     return service_.ResolveEscalation(
                                         WithActor(context, *request, admitted),
                                         ActingOf(admitted));
                                   }));
}

grpc::Status EscalationGrpcService::WithdrawEscalation(grpc::ServerContext* context,
                                                       const v1::WithdrawEscalationRequest* request,
                                                       v1::WithdrawEscalationResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/WithdrawEscalation",
                          CaseLas(request->id()), request->id(), response,
                          OnceOnly(writes_, "EscalationService/WithdrawEscalation", *request,
                                   [&](const auth::Admitted* admitted) {
                                     return service_.WithdrawEscalation(
                                         WithActor(context, *request, admitted),
                                         ActingOf(admitted));
                                   }));
}

grpc::Status EscalationGrpcService::ReferToCafcass(grpc::ServerContext* context,
                                                   const v1::ReferToCafcassRequest* request,
                                                   v1::ReferToCafcassResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/ReferToCafcass",
                          CaseLas(request->id()), request->id(), response,
                          OnceOnly(writes_, "EscalationService/ReferToCafcass", *request,
                                   [&](const auth::Admitted* admitted) {
                                     return service_.ReferToCafcass(
                                         WithActor(context, *request, admitted),
                                         ActingOf(admitted));
                                   }));
}

grpc::Status EscalationGrpcService::GetEscalation(grpc::ServerContext* context,
                                                  const v1::GetEscalationRequest* request,
                                                  v1::GetEscalationResponse* response) {
  return auth::GuardedFor(gate_, *context, "EscalationService/GetEscalation",
                          CaseLas(request->id()), request->id(), response,
                          [&](const auth::Admitted* admitted) {
                            return service_.GetEscalation(WithActor(context, *request, admitted));
                          });
}

grpc::Status EscalationGrpcService::ListEscalations(grpc::ServerContext* context,
                                                    const v1::ListEscalationsRequest* request,
                                                    v1::ListEscalationsResponse* response) {
  return auth::Guarded(gate_, *context, "EscalationService/ListEscalations", *request, response,
                       [&](const auth::Admitted* admitted) {
                         return service_.ListEscalations(WithActor(context, *request, admitted));
                       });
}

grpc::Status EscalationGrpcService::ListOverdueEscalations(
    grpc::ServerContext* context, const v1::ListOverdueEscalationsRequest* request,
    v1::ListOverdueEscalationsResponse* response) {
  return auth::Guarded(
      gate_, *context, "EscalationService/ListOverdueEscalations", *request, response,
      [&](const auth::Admitted* admitted) {
        return service_.ListOverdueEscalations(WithActor(context, *request, admitted));
      });
}

grpc::Status EscalationGrpcService::GetEscalationSummary(
    grpc::ServerContext* context, const v1::GetEscalationSummaryRequest* request,
    v1::GetEscalationSummaryResponse* response) {
  return auth::Guarded(
      gate_, *context, "EscalationService/GetEscalationSummary", *request, response,
      [&](const auth::Admitted* admitted) {
        return service_.GetEscalationSummary(WithActor(context, *request, admitted));
      });
}

grpc::Status EscalationGrpcService::WatchEscalations(
    grpc::ServerContext* context, const v1::WatchEscalationsRequest* request,
    grpc::ServerWriter<v1::WatchEscalationsResponse>* writer) {
  std::optional<auth::Admitted> admitted;
  if (gate_ != nullptr) {
    absl::StatusOr<auth::Admitted> let_in =
        gate_->Admit(*context, "EscalationService/WatchEscalations", auth::LaCodesOf(*request));
    if (!let_in.ok()) return ToGrpcStatus(let_in.status());
    admitted = *std::move(let_in);
    absl::Status recorded = gate_->Record(*admitted, "EscalationService/WatchEscalations",
                                          auth::LaCodesOf(*request), "", absl::OkStatus());
    if (!recorded.ok()) return ToGrpcStatus(recorded);
  }
  const v1::WatchEscalationsRequest watch =
      WithActor(context, *request, admitted ? &*admitted : nullptr);
  // The ticket holds this stream's place under the caps until it returns.
  absl::StatusOr<WatchStreams::Ticket> started = service_.StartWatch(watch);
  if (!started.ok()) return ToGrpcStatus(started.status());
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
  return auth::Guarded(gate_, *context, "EscalationService/RecordAudit", *request, response,
                       OnceOnly(writes_, "EscalationService/RecordAudit", *request,
                                [&](const auth::Admitted* admitted) {
                                  return service_.RecordAudit(
                                      WithActor(context, *request, admitted), ActingOf(admitted));
                                }));
}

grpc::Status EscalationGrpcService::GetAuditSummary(grpc::ServerContext* context,
                                                    const v1::GetAuditSummaryRequest* request,
                                                    v1::GetAuditSummaryResponse* response) {
  return auth::Guarded(gate_, *context, "EscalationService/GetAuditSummary", *request, response,
                       [&](const auth::Admitted* admitted) {
                         return service_.GetAuditSummary(WithActor(context, *request, admitted));
                       });
}

grpc::Status EscalationGrpcService::GetLadder(grpc::ServerContext* context,
                                              const v1::GetLadderRequest* request,
                                              v1::GetLadderResponse* response) {
  return auth::Guarded(gate_, *context, "EscalationService/GetLadder", *request, response,
                       [&](const auth::Admitted*) { return service_.GetLadder(*request); });
}

grpc::Status EscalationGrpcService::AddWorkingDays(grpc::ServerContext* context,
                                                   const v1::AddWorkingDaysRequest* request,
                                                   v1::AddWorkingDaysResponse* response) {
  return auth::Guarded(gate_, *context, "EscalationService/AddWorkingDays", *request, response,
                       [&](const auth::Admitted*) { return service_.AddWorkingDays(*request); });
}

grpc::Status EscalationGrpcService::AddClosureDays(grpc::ServerContext* context,
                                                   const v1::AddClosureDaysRequest* request,
                                                   v1::AddClosureDaysResponse* response) {
  return auth::Guarded(
      gate_, *context, "EscalationService/AddClosureDays", *request, response,
      OnceOnly(writes_, "EscalationService/AddClosureDays", *request,
               [&](const auth::Admitted*) { return service_.AddClosureDays(*request); }));
}

}  // namespace carescore::escalations
