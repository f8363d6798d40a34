#ifndef CARESCORE_SERVICES_INDICATORS_TESTING_SWITCHABLE_INDICATOR_READER_H_
#define CARESCORE_SERVICES_INDICATORS_TESTING_SWITCHABLE_INDICATOR_READER_H_

// A fake IndicatorReader for other services' tests: it passes every call to
// a real reader (usually DirectIndicatorReader over the real rules) until a
// failure is switched on, then answers every call with that status, as the
// indicator service being down or refusing would. Counts the calls it saw,
// and the data version calls apart (a cache hit within a lease makes none).
// Thread-safe if the real reader is.

#include <atomic>
#include <vector>

#include "common/testing/failure_switch.h"
#include "services/indicators/indicator_reader.h"

namespace carescore::indicators::testing {

class SwitchableIndicatorReader final : public IndicatorReader,
                                        public carescore::testing::FailureSwitch {
 public:
  // `real` outlives *this.
  explicit SwitchableIndicatorReader(IndicatorReader& real) : real_(real) {}

  // Every call seen, failed or not.
  int calls() const { return calls_.load(); }
  // The GetDataVersion calls among them.
  int version_calls() const { return version_calls_.load(); }

  absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view code) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.GetIndicator(code);
  }
  absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListLocalAuthorities();
  }
  absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.GetLocalAuthority(la_code);
  }
  absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest request) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListValues(std::move(request));
  }
  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListIndicators();
  }
  absl::StatusOr<std::vector<v1::Target>> ListTargets(
      const v1::ListTargetsRequest& request) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListTargets(request);
  }
  absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      const v1::ListMilestonesRequest& request) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListMilestones(request);
  }
  absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
      const v1::ListValueHistoryRequest& request) override {
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.ListValueHistory(request);
  }
  absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la_code) override {
    ++version_calls_;
    if (absl::Status s = Gate(); !s.ok()) return s;
    return real_.GetDataVersion(la_code);
  }

 private:
  absl::Status Gate() {
    ++calls_;
    return status();
  }

  IndicatorReader& real_;
  std::atomic<int> calls_{0};
  std::atomic<int> version_calls_{0};
};

}  // namespace carescore::indicators::testing

#endif  // CARESCORE_SERVICES_INDICATORS_TESTING_SWITCHABLE_INDICATOR_READER_H_
