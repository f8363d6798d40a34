#include "services/indicators/indicator_grpc_service.h"

#include <string>
#include <vector>

#include "common/grpc_status.h"

namespace carescore::indicators {

grpc::Status IndicatorGrpcService::ImportLocalAuthorities(
    grpc::ServerContext* /*context*/, const v1::ImportLocalAuthoritiesRequest* request,
    v1::ImportLocalAuthoritiesResponse* response) {
  return Reply(service_.ImportLocalAuthorities(*request), response);
}

grpc::Status IndicatorGrpcService::GetLocalAuthority(grpc::ServerContext* /*context*/,
                                                     const v1::GetLocalAuthorityRequest* request,
                                                     v1::GetLocalAuthorityResponse* response) {
  return Reply(service_.GetLocalAuthority(*request), response);
}

grpc::Status IndicatorGrpcService::ListLocalAuthorities(
    grpc::ServerContext* /*context*/, const v1::ListLocalAuthoritiesRequest* request,
    v1::ListLocalAuthoritiesResponse* response) {
  return Reply(service_.ListLocalAuthorities(*request), response);
}

grpc::Status IndicatorGrpcService::ImportIndicators(grpc::ServerContext* /*context*/,
                                                    const v1::ImportIndicatorsRequest* request,
                                                    v1::ImportIndicatorsResponse* response) {
  return Reply(service_.ImportIndicators(*request), response);
}

grpc::Status IndicatorGrpcService::GetIndicator(grpc::ServerContext* /*context*/,
                                                const v1::GetIndicatorRequest* request,
                                                v1::GetIndicatorResponse* response) {
  return Reply(service_.GetIndicator(*request), response);
}

grpc::Status IndicatorGrpcService::ListIndicators(grpc::ServerContext* /*context*/,
                                                  const v1::ListIndicatorsRequest* request,
                                                  v1::ListIndicatorsResponse* response) {
  return Reply(service_.ListIndicators(*request), response);
}

grpc::Status IndicatorGrpcService::SetTargets(grpc::ServerContext* /*context*/,
                                              const v1::SetTargetsRequest* request,
                                              v1::SetTargetsResponse* response) {
  return Reply(service_.SetTargets(*request), response);
}

grpc::Status IndicatorGrpcService::ListTargets(grpc::ServerContext* /*context*/,
                                               const v1::ListTargetsRequest* request,
                                               v1::ListTargetsResponse* response) {
  return Reply(service_.ListTargets(*request), response);
}

grpc::Status IndicatorGrpcService::SetMilestones(grpc::ServerContext* /*context*/,
                                                 const v1::SetMilestonesRequest* request,
                                                 v1::SetMilestonesResponse* response) {
  return Reply(service_.SetMilestones(*request), response);
}

grpc::Status IndicatorGrpcService::ListMilestones(grpc::ServerContext* /*context*/,
                                                  const v1::ListMilestonesRequest* request,
                                                  v1::ListMilestonesResponse* response) {
  return Reply(service_.ListMilestones(*request), response);
}

grpc::Status IndicatorGrpcService::WriteValues(grpc::ServerContext* /*context*/,
                                               const v1::WriteValuesRequest* request,
                                               v1::WriteValuesResponse* response) {
  return Reply(service_.WriteValues(*request), response);
}

grpc::Status IndicatorGrpcService::ImportValues(grpc::ServerContext* context,
                                                grpc::ServerReader<v1::ImportValuesRequest>* reader,
                                                v1::ImportValuesResponse* response) {
  // The stream is one load: gather it whole, then validate and commit once,
  // so that a bad row anywhere, or a client that goes away, stores nothing.
  std::string source;
  std::vector<v1::ValueInput> values;
  v1::ImportValuesRequest chunk;
  while (reader->Read(&chunk)) {
    if (!chunk.source().empty()) {
      if (source.empty()) {
        source = chunk.source();
      } else if (chunk.source() != source) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "source: one stream is one load, so every message must carry the "
                            "same source (or none after the first)");
      }
    }
    for (v1::ValueInput& v : *chunk.mutable_values()) values.push_back(std::move(v));
  }
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled; nothing stored");
  }
  return Reply(service_.ImportValues(source, values), response);
}

grpc::Status IndicatorGrpcService::ListValues(grpc::ServerContext* /*context*/,
                                              const v1::ListValuesRequest* request,
                                              v1::ListValuesResponse* response) {
  return Reply(service_.ListValues(*request), response);
}

grpc::Status IndicatorGrpcService::ListValueHistory(grpc::ServerContext* /*context*/,
                                                    const v1::ListValueHistoryRequest* request,
                                                    v1::ListValueHistoryResponse* response) {
  return Reply(service_.ListValueHistory(*request), response);
}

grpc::Status IndicatorGrpcService::GetDataVersion(grpc::ServerContext* /*context*/,
                                                  const v1::GetDataVersionRequest* request,
                                                  v1::GetDataVersionResponse* response) {
  return Reply(service_.GetDataVersion(*request), response);
}

}  // namespace carescore::indicators
