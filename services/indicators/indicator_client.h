#ifndef CARESCORE_SERVICES_INDICATORS_INDICATOR_CLIENT_H_
#define CARESCORE_SERVICES_INDICATORS_INDICATOR_CLIENT_H_

// What other services read from the indicator service: the catalogue, the
// LAs and values. IndicatorReader is the interface their rules depend on;
// GrpcIndicatorReader is the real one, over the indicator service's gRPC API
// (in carescored through the in-process channel). Implementations must be
// thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "absl/synchronization/mutex.h"
#include "common/channel_slot.h"

namespace carescore::indicators {

class IndicatorReader {
 public:
  virtual ~IndicatorReader() = default;
  // NotFound for an unknown code.
  virtual absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code) = 0;
  // Every LA, current and former, by code.
  virtual absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() = 0;
  // One LA; NotFound for an unknown code.
  virtual absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) = 0;
  // Every page of the answer.
  virtual absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest request) = 0;
  // The whole catalogue, in catalogue order.
  virtual absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() = 0;
  virtual absl::StatusOr<std::vector<v1::Target>> ListTargets(const v1::ListTargetsRequest& request) = 0;
  virtual absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& request) = 0;
  // Every revision, oldest first; empty if the value was never written.
  virtual absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& request) = 0;
  // The LA's and all LAs' data versions, with their lease (version_lease.h).
  virtual absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) = 0;
};

class GrpcIndicatorReader final : public IndicatorReader {
 public:
  // `channel` outlives *this; each call has `timeout`.
  explicit GrpcIndicatorReader(const ChannelSlot& channel,
                               absl::Duration timeout = absl::Seconds(30))
      : channel_(channel), timeout_(timeout) {}

  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code) override;
  absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override;
  absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) override;
  absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest request) override;
  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override;
  absl::StatusOr<std::vector<v1::Target>> ListTargets(const v1::ListTargetsRequest& request) override;
  absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& request) override;
  absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& request) override;
  absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) override;

 private:
  // The stub for the slot's channel, made once it is set. Stubs are
  // thread-safe and shared.
  absl::StatusOr<v1::IndicatorService::Stub*> Stub();
  // One unary call with the timeout; errors say they came from here.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      grpc::Status (v1::IndicatorService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
      const Request& request);

  const ChannelSlot& channel_;
  absl::Duration timeout_;
  absl::Mutex mu_;
  std::unique_ptr<v1::IndicatorService::Stub> stub_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_INDICATOR_CLIENT_H_
