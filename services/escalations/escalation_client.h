#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_CLIENT_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_CLIENT_H_

// What other services read from the escalation service. EscalationReader is
// the interface their rules depend on; GrpcEscalationReader is the real one
// over the gRPC API (in carescored, the in-process channel). Thread-safe.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.grpc.pb.h"
#include "common/channel_slot.h"

namespace carescore::escalations {

class EscalationReader {
 public:
  virtual ~EscalationReader() = default;
  virtual absl::StatusOr<v1::GetEscalationSummaryResponse> Summary(
      const v1::GetEscalationSummaryRequest& request) = 0;
};

class GrpcEscalationReader final : public EscalationReader {
 public:
  explicit GrpcEscalationReader(const ChannelSlot& channel,
                                absl::Duration timeout = absl::Seconds(30))
      : channel_(channel), timeout_(timeout) {}
  absl::StatusOr<v1::GetEscalationSummaryResponse> Summary(
      const v1::GetEscalationSummaryRequest& request) override;

 private:
  const ChannelSlot& channel_;
  absl::Duration timeout_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_CLIENT_H_
