#ifndef CARESCORE_SERVICES_INDICATORS_INDICATOR_READER_H_
#define CARESCORE_SERVICES_INDICATORS_INDICATOR_READER_H_

// What other services read from the indicator service: the catalogue, the
// LAs and values. The interface their rules depend on; it carries no
// transport. GrpcIndicatorReader (grpc_indicator_reader.h) is the real one;
// DirectIndicatorReader (direct_indicator_reader.h) calls the rules in the
// same process, for tests; FakeIndicatorReader (testing/) fails on demand.
// Implementations must be thread-safe.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/indicators.pb.h"

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
  // Every page of the answer (the request's page token is ignored).
  virtual absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest request) = 0;
  // The whole catalogue, in catalogue order.
  virtual absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() = 0;
  virtual absl::StatusOr<std::vector<v1::Target>> ListTargets(
      const v1::ListTargetsRequest& request) = 0;
  virtual absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& request) = 0;
  // Every revision, oldest first; empty if the value was never written.
  virtual absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& request) = 0;
  // The LA's and all LAs' data versions, with their lease (version_lease.h).
  virtual absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) = 0;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_INDICATOR_READER_H_
