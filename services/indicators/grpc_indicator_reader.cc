#include "services/indicators/grpc_indicator_reader.h"

#include <string>
#include <utility>

#include "common/all_pages.h"

namespace carescore::indicators {
namespace {

using Stub = v1::IndicatorService::Stub;

}  // namespace

absl::StatusOr<v1::Indicator> GrpcIndicatorReader::GetIndicator(absl::string_view code) {
  v1::GetIndicatorRequest request;
  request.set_code(std::string(code));
  absl::StatusOr<v1::GetIndicatorResponse> got = caller_.Call(&Stub::GetIndicator, request);
  if (!got.ok()) return got.status();
  return std::move(*got->mutable_indicator());
}

absl::StatusOr<std::vector<v1::LocalAuthority>> GrpcIndicatorReader::ListLocalAuthorities() {
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1000);
  request.set_include_former(true);
  return AllPages<v1::LocalAuthority>(
      request, [this](const auto& r) { return caller_.Call(&Stub::ListLocalAuthorities, r); },
      [](v1::ListLocalAuthoritiesResponse& r) { return r.mutable_local_authorities(); });
}

absl::StatusOr<v1::LocalAuthority> GrpcIndicatorReader::GetLocalAuthority(
    absl::string_view la_code) {
  v1::GetLocalAuthorityRequest request;
  request.set_la_code(std::string(la_code));
  absl::StatusOr<v1::GetLocalAuthorityResponse> got =
      caller_.Call(&Stub::GetLocalAuthority, request);
  if (!got.ok()) return got.status();
  return std::move(*got->mutable_local_authority());
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValues(
    v1::ListValuesRequest request) {
  if (request.page_size() == 0) request.set_page_size(10000);
  return AllPages<v1::Value>(
      std::move(request), [this](const auto& r) { return caller_.Call(&Stub::ListValues, r); },
      [](v1::ListValuesResponse& r) { return r.mutable_values(); });
}

absl::StatusOr<std::vector<v1::Indicator>> GrpcIndicatorReader::ListIndicators() {
  v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  return AllPages<v1::Indicator>(
      request, [this](const auto& r) { return caller_.Call(&Stub::ListIndicators, r); },
      [](v1::ListIndicatorsResponse& r) { return r.mutable_indicators(); });
}

absl::StatusOr<std::vector<v1::Target>> GrpcIndicatorReader::ListTargets(
    const v1::ListTargetsRequest& request) {
  v1::ListTargetsRequest all = request;
  if (all.page_size() == 0) all.set_page_size(1000);
  return AllPages<v1::Target>(
      std::move(all), [this](const auto& r) { return caller_.Call(&Stub::ListTargets, r); },
      [](v1::ListTargetsResponse& r) { return r.mutable_targets(); });
}

absl::StatusOr<std::vector<v1::Milestone>> GrpcIndicatorReader::ListMilestones(
    const v1::ListMilestonesRequest& request) {
  v1::ListMilestonesRequest all = request;
  if (all.page_size() == 0) all.set_page_size(1000);
  return AllPages<v1::Milestone>(
      std::move(all), [this](const auto& r) { return caller_.Call(&Stub::ListMilestones, r); },
      [](v1::ListMilestonesResponse& r) { return r.mutable_milestones(); });
}

absl::StatusOr<std::vector<v1::Value>> GrpcIndicatorReader::ListValueHistory(
    const v1::ListValueHistoryRequest& request) {
  v1::ListValueHistoryRequest all = request;
  if (all.page_size() == 0) all.set_page_size(1000);
  absl::StatusOr<std::vector<v1::Value>> got = AllPages<v1::Value>(
      std::move(all), [this](const auto& r) { return caller_.Call(&Stub::ListValueHistory, r); },
      [](v1::ListValueHistoryResponse& r) { return r.mutable_values(); });
  // A value never written has no history.
  if (got.status().code() == absl::StatusCode::kNotFound) return std::vector<v1::Value>();
  return got;
}

absl::StatusOr<v1::GetDataVersionResponse> GrpcIndicatorReader::GetDataVersion(
    absl::string_view la_code) {
  v1::GetDataVersionRequest request;
  request.set_la_code(std::string(la_code));
  return caller_.Call(&Stub::GetDataVersion, request);
}

}  // namespace carescore::indicators
