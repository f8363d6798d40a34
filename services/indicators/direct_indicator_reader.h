#ifndef CARESCORE_SERVICES_INDICATORS_DIRECT_INDICATOR_READER_H_
#define CARESCORE_SERVICES_INDICATORS_DIRECT_INDICATOR_READER_H_

// An IndicatorReader that calls the indicator rules directly, without gRPC:
// the real rules and store standing in for the remote service in other
// services' tests. Thread-safe if the service is.

#include <string>
#include <utility>
#include <vector>

#include "common/all_pages.h"
#include "services/indicators/indicator_reader.h"
#include "services/indicators/indicator_service.h"

namespace carescore::indicators {

class DirectIndicatorReader final : public IndicatorReader {
 public:
  explicit DirectIndicatorReader(IndicatorService& service) : service_(service) {}

  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code) override {
    v1::GetIndicatorRequest r;
    r.set_code(std::string(code));
    auto got = service_.GetIndicator(r);
    if (!got.ok()) return got.status();
    return got->indicator();
  }
  absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override {
    v1::ListLocalAuthoritiesRequest r;
    r.set_page_size(1000);
    r.set_include_former(true);
    return AllPages<v1::LocalAuthority>(
        r, [this](const auto& page) { return service_.ListLocalAuthorities(page); },
        [](v1::ListLocalAuthoritiesResponse& page) { return page.mutable_local_authorities(); });
  }
  absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) override {
    v1::GetLocalAuthorityRequest r;
    r.set_la_code(std::string(la_code));
    auto got = service_.GetLocalAuthority(r);
    if (!got.ok()) return got.status();
    return got->local_authority();
  }
  absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest r) override {
    r.set_page_size(10000);
    return AllPages<v1::Value>(
        std::move(r), [this](const auto& page) { return service_.ListValues(page); },
        [](v1::ListValuesResponse& page) { return page.mutable_values(); });
  }
  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override {
    v1::ListIndicatorsRequest r;
    r.set_page_size(1000);
    return AllPages<v1::Indicator>(
        r, [this](const auto& page) { return service_.ListIndicators(page); },
        [](v1::ListIndicatorsResponse& page) { return page.mutable_indicators(); });
  }
  absl::StatusOr<std::vector<v1::Target>> ListTargets(const v1::ListTargetsRequest& r) override {
    v1::ListTargetsRequest all = r;
    all.set_page_size(1000);
    return AllPages<v1::Target>(
        std::move(all), [this](const auto& page) { return service_.ListTargets(page); },
        [](v1::ListTargetsResponse& page) { return page.mutable_targets(); });
  }
  absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& r) override {
    v1::ListMilestonesRequest all = r;
    all.set_page_size(1000);
    return AllPages<v1::Milestone>(
        std::move(all), [this](const auto& page) { return service_.ListMilestones(page); },
        [](v1::ListMilestonesResponse& page) { return page.mutable_milestones(); });
  }
  absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& r) override {
    v1::ListValueHistoryRequest all = r;
    all.set_page_size(1000);
    auto got = AllPages<v1::Value>(
        std::move(all), [this](const auto& page) { return service_.ListValueHistory(page); },
        [](v1::ListValueHistoryResponse& page) { return page.mutable_values(); });
    if (got.status().code() == absl::StatusCode::kNotFound) return std::vector<v1::Value>();
    return got;
  }
  absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) override {
    v1::GetDataVersionRequest r;
    r.set_la_code(std::string(la_code));
    auto got = service_.GetDataVersion(r);
    return got;
  }

 private:
  IndicatorService& service_;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_DIRECT_INDICATOR_READER_H_
