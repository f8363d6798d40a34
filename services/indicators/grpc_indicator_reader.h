#ifndef CARESCORE_SERVICES_INDICATORS_GRPC_INDICATOR_READER_H_
#define CARESCORE_SERVICES_INDICATORS_GRPC_INDICATOR_READER_H_

// The IndicatorReader other services use: the indicator service's gRPC API
// (in carescored over the in-process channel, across containers over the
// network), through the shared UnaryCaller. Errors keep their codes, with
// "indicator service: " in front. Thread-safe.

#include <vector>

#include "absl/time/time.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "common/channel_slot.h"
#include "common/unary_call.h"
#include "services/indicators/indicator_reader.h"

namespace carescore::indicators {

class GrpcIndicatorReader final : public IndicatorReader {
 public:
  // `channel` outlives *this; each call has `timeout`.
  explicit GrpcIndicatorReader(const ChannelSlot& channel,
                               absl::Duration timeout = kDefaultPeerTimeout)
      : caller_(channel, "indicator service", timeout) {}

  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code) override;
  absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override;
  absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) override;
  absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest request) override;
  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override;
  absl::StatusOr<std::vector<v1::Target>> ListTargets(
      const v1::ListTargetsRequest& request) override;
  absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& request) override;
  absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& request) override;
  absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) override;

 private:
  UnaryCaller<v1::IndicatorService> caller_;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_GRPC_INDICATOR_READER_H_
