#include "services/escalations/grpc_escalation_reader.h"

namespace carescore::escalations {

absl::StatusOr<v1::GetEscalationSummaryResponse> GrpcEscalationReader::Summary(
    const v1::GetEscalationSummaryRequest& request) {
  return caller_.Call(&v1::EscalationService::Stub::GetEscalationSummary, request);
}

}  // namespace carescore::escalations
