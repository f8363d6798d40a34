#include "services/indicators/indicator_grpc_service.h"

#include <string>
#include <vector>

#include "common/auth/guarded.h"
#include "common/enum_check.h"
#include "common/grpc_status.h"
#include "common/idempotency/idempotent_writes.h"

namespace carescore::indicators {

grpc::Status IndicatorGrpcService::ImportLocalAuthorities(
    grpc::ServerContext* context, const v1::ImportLocalAuthoritiesRequest* request,
    v1::ImportLocalAuthoritiesResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/ImportLocalAuthorities", *request, response,
      OnceOnly(writes_, "IndicatorService/ImportLocalAuthorities", *request,
               [&](const auth::Admitted*) { return service_.ImportLocalAuthorities(*request); }));
}

grpc::Status IndicatorGrpcService::GetLocalAuthority(grpc::ServerContext* context,
                                                     const v1::GetLocalAuthorityRequest* request,
                                                     v1::GetLocalAuthorityResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/GetLocalAuthority", *request, response,
                       [&](const auth::Admitted*) { return service_.GetLocalAuthority(*request); });
}

grpc::Status IndicatorGrpcService::ListLocalAuthorities(
    grpc::ServerContext* context, const v1::ListLocalAuthoritiesRequest* request,
    v1::ListLocalAuthoritiesResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/ListLocalAuthorities", *request, response,
      [&](const auth::Admitted*) { return service_.ListLocalAuthorities(*request); });
}

grpc::Status IndicatorGrpcService::ImportIndicators(grpc::ServerContext* context,
                                                    const v1::ImportIndicatorsRequest* request,
                                                    v1::ImportIndicatorsResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/ImportIndicators", *request, response,
      OnceOnly(writes_, "IndicatorService/ImportIndicators", *request,
               [&](const auth::Admitted*) { return service_.ImportIndicators(*request); }));
}

grpc::Status IndicatorGrpcService::GetIndicator(grpc::ServerContext* context,
                                                const v1::GetIndicatorRequest* request,
                                                v1::GetIndicatorResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/GetIndicator", *request, response,
                       [&](const auth::Admitted*) { return service_.GetIndicator(*request); });
}

grpc::Status IndicatorGrpcService::ListIndicators(grpc::ServerContext* context,
                                                  const v1::ListIndicatorsRequest* request,
                                                  v1::ListIndicatorsResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/ListIndicators", *request, response,
                       [&](const auth::Admitted*) { return service_.ListIndicators(*request); });
}

grpc::Status IndicatorGrpcService::SetTargets(grpc::ServerContext* context,
                                              const v1::SetTargetsRequest* request,
                                              v1::SetTargetsResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/SetTargets", *request, response,
      OnceOnly(writes_, "IndicatorService/SetTargets", *request,
               [&](const auth::Admitted*) { return service_.SetTargets(*request); }));
}

grpc::Status IndicatorGrpcService::ListTargets(grpc::ServerContext* context,
                                               const v1::ListTargetsRequest* request,
                                               v1::ListTargetsResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/ListTargets", *request, response,
                       [&](const auth::Admitted*) { return service_.ListTargets(*request); });
}

grpc::Status IndicatorGrpcService::SetMilestones(grpc::ServerContext* context,
                                                 const v1::SetMilestonesRequest* request,
                                                 v1::SetMilestonesResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/SetMilestones", *request, response,
      OnceOnly(writes_, "IndicatorService/SetMilestones", *request,
               [&](const auth::Admitted*) { return service_.SetMilestones(*request); }));
}

grpc::Status IndicatorGrpcService::ListMilestones(grpc::ServerContext* context,
                                                  const v1::ListMilestonesRequest* request,
                                                  v1::ListMilestonesResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/ListMilestones", *request, response,
                       [&](const auth::Admitted*) { return service_.ListMilestones(*request); });
}

grpc::Status IndicatorGrpcService::WriteValues(grpc::ServerContext* context,
                                               const v1::WriteValuesRequest* request,
                                               v1::WriteValuesResponse* response) {
  return auth::Guarded(
      gate_, *context, "IndicatorService/WriteValues", *request, response,
      OnceOnly(writes_, "IndicatorService/WriteValues", *request,
               [&](const auth::Admitted*) { return service_.WriteValues(*request); }));
}

grpc::Status IndicatorGrpcService::ImportValues(grpc::ServerContext* context,
                                                grpc::ServerReader<v1::ImportValuesRequest>* reader,
                                                v1::ImportValuesResponse* response) {
  // The stream is one load: gather it whole, then validate and commit once,
  // so that a bad row anywhere, or a client that goes away, stores nothing.
  std::string source;
  std::vector<v1::ValueInput> values;
  v1::ImportValuesRequest chunk;
  absl::Status enums;  // The first undefined enum number in any message.
  // A request_id (first message) makes the load safe to retry; its content
  // is every message, each hashed as it arrives.
  bool first = true;
  std::string request_id;
  std::string fingerprints;
  while (reader->Read(&chunk)) {
    if (enums.ok()) enums = CheckEnums(chunk);
    if (first) request_id = chunk.request_id();
    first = false;
    if (!request_id.empty()) {
      chunk.clear_request_id();
      fingerprints += MessageFingerprint(chunk);
    }
    if (!chunk.source().empty()) {
      if (source.empty()) {
        source = chunk.source();
      } else if (chunk.source() != source) {
        return ToGrpcStatus(
            WithErrorInfo(absl::InvalidArgumentError(
                              "source: one stream is one load, so every message must carry the "
                              "same source (or none after the first)"),
                          v1::INVALID_FIELD, {{"field", "source"}}));
      }
    }
    for (v1::ValueInput& v : *chunk.mutable_values()) values.push_back(std::move(v));
  }
  if (context->IsCancelled()) {
    return ToGrpcStatus(absl::CancelledError("the client cancelled; nothing stored"));
  }
  std::vector<std::string> las;
  for (const v1::ValueInput& v : values) las.push_back(v.la_code());
  return auth::GuardedFor(
      gate_, *context, "IndicatorService/ImportValues", las, source, response,
      [&](const auth::Admitted*) -> absl::StatusOr<v1::ImportValuesResponse> {
        if (!enums.ok()) return enums;
        if (request_id.empty()) return service_.ImportValues(source, values);
        if (writes_ == nullptr) {
          absl::Status valid = IdempotentWrites::CheckRequestId(request_id);
          if (!valid.ok()) return valid;
          return service_.ImportValues(source, values);
        }
        absl::StatusOr<std::string> answer = writes_->RunOnce(
            "IndicatorService/ImportValues", request_id, BytesFingerprint(fingerprints),
            [&]() -> absl::StatusOr<std::string> {
              absl::StatusOr<v1::ImportValuesResponse> done = service_.ImportValues(source, values);
              if (!done.ok()) return done.status();
              return done->SerializeAsString();
            });
        if (!answer.ok()) return answer.status();
        return IdempotentWrites::Replay<v1::ImportValuesResponse>(*answer);
      });
}

grpc::Status IndicatorGrpcService::ListValues(grpc::ServerContext* context,
                                              const v1::ListValuesRequest* request,
                                              v1::ListValuesResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/ListValues", *request, response,
                       [&](const auth::Admitted*) { return service_.ListValues(*request); });
}

grpc::Status IndicatorGrpcService::ListValueHistory(grpc::ServerContext* context,
                                                    const v1::ListValueHistoryRequest* request,
                                                    v1::ListValueHistoryResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/ListValueHistory", *request, response,
                       [&](const auth::Admitted*) { return service_.ListValueHistory(*request); });
}

grpc::Status IndicatorGrpcService::GetDataVersion(grpc::ServerContext* context,
                                                  const v1::GetDataVersionRequest* request,
                                                  v1::GetDataVersionResponse* response) {
  return auth::Guarded(gate_, *context, "IndicatorService/GetDataVersion", *request, response,
                       [&](const auth::Admitted*) { return service_.GetDataVersion(*request); });
}

}  // namespace carescore::indicators
