#ifndef CARESCORE_SERVICES_INDICATORS_INDICATOR_SERVICE_H_
#define CARESCORE_SERVICES_INDICATORS_INDICATOR_SERVICE_H_

// The indicator rules, with no gRPC in them: validates every batch whole
// (rows are numbered by their `row` field, or their position from 1) and
// hands only valid batches to the store, so a rejected batch stores
// nothing. Thread-safe if the store is. Errors: InvalidArgument for bad
// input (every bad row listed, with a google.rpc.BadRequest payload),
// NotFound for a missing LA, indicator or value, and the store's errors
// (Unavailable, Internal) as they come.
// Writes are answered only after the version lease has passed since they
// committed (common/version_lease.h), so callers may hold a data version
// for that long.

#include <vector>

#include "absl/status/statusor.h"
#include "carescore/v1/indicators.pb.h"
#include "common/version_lease.h"
#include "services/indicators/indicator_store.h"

namespace carescore::indicators {

class IndicatorService {
 public:
  // `store` outlives *this. `version_lease`: how long callers may hold a
  // data version (zero: not at all, and writes do not wait).
  explicit IndicatorService(IndicatorStore& store,
                            absl::Duration version_lease = absl::ZeroDuration())
      : store_(store), fence_(version_lease) {}

  absl::StatusOr<v1::ImportLocalAuthoritiesResponse> ImportLocalAuthorities(
      const v1::ImportLocalAuthoritiesRequest& request);
  absl::StatusOr<v1::GetLocalAuthorityResponse> GetLocalAuthority(
      const v1::GetLocalAuthorityRequest& request);
  absl::StatusOr<v1::ListLocalAuthoritiesResponse> ListLocalAuthorities(
      const v1::ListLocalAuthoritiesRequest& request);

  absl::StatusOr<v1::ImportIndicatorsResponse> ImportIndicators(
      const v1::ImportIndicatorsRequest& request);
  absl::StatusOr<v1::GetIndicatorResponse> GetIndicator(const v1::GetIndicatorRequest& request);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const v1::ListIndicatorsRequest& request);

  absl::StatusOr<v1::SetTargetsResponse> SetTargets(const v1::SetTargetsRequest& request);
  absl::StatusOr<v1::ListTargetsResponse> ListTargets(const v1::ListTargetsRequest& request);
  absl::StatusOr<v1::SetMilestonesResponse> SetMilestones(const v1::SetMilestonesRequest& request);
  absl::StatusOr<v1::ListMilestonesResponse> ListMilestones(
      const v1::ListMilestonesRequest& request);

  absl::StatusOr<v1::WriteValuesResponse> WriteValues(const v1::WriteValuesRequest& request);
  // The whole of a client stream: `values` is consumed. Same rules as
  // WriteValues; the stream is one load.
  absl::StatusOr<v1::ImportValuesResponse> ImportValues(const std::string& source,
                                                        std::vector<v1::ValueInput>& values);
  absl::StatusOr<v1::ListValuesResponse> ListValues(const v1::ListValuesRequest& request);
  absl::StatusOr<v1::ListValueHistoryResponse> ListValueHistory(
      const v1::ListValueHistoryRequest& request);
  absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(
      const v1::GetDataVersionRequest& request);

 private:
  // Validates and stores one load; `values` gets derived values filled in.
  absl::StatusOr<LoadReceipt> Load(const std::string& source, std::vector<v1::ValueInput>& values);

  IndicatorStore& store_;
  WriteFence fence_;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_INDICATOR_SERVICE_H_
