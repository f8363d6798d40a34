#ifndef CARESCORE_SERVICES_ESCALATIONS_GRPC_ESCALATION_READER_H_
#define CARESCORE_SERVICES_ESCALATIONS_GRPC_ESCALATION_READER_H_

// The EscalationReader other services use: the escalation service's gRPC API
// (in carescored the in-process channel) through the shared UnaryCaller, with
// one stub for every call; the channel slot's metadata says who calls and for
// whom (common/auth/service_token.h). Errors keep their codes, with "escalation service: " in
// front. Thread-safe.

#include "absl/time/time.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "common/channel_slot.h"
#include "common/unary_call.h"
#include "services/escalations/escalation_reader.h"

namespace carescore::escalations {

class GrpcEscalationReader final : public EscalationReader {
 public:
  // `channel` outlives *this; each call has `timeout`. Fails fast rather
  // than waiting for a peer that is down: the escalation figures are one
  // optional section of a report, which should not stall for them.
  explicit GrpcEscalationReader(const ChannelSlot& channel,
                                absl::Duration timeout = kDefaultPeerTimeout)
      : caller_(channel, "escalation service", timeout, PeerReadiness::kFailFast) {}
  absl::StatusOr<v1::GetEscalationSummaryResponse> Summary(
      const v1::GetEscalationSummaryRequest& request) override;

 private:
  UnaryCaller<v1::EscalationService> caller_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_GRPC_ESCALATION_READER_H_
