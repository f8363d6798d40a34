#ifndef CARESCORE_SERVICES_REPORTS_TESTING_FAKE_READERS_H_
#define CARESCORE_SERVICES_REPORTS_TESTING_FAKE_READERS_H_

// Test doubles for the report service, each with a failure switch: readers
// that pass every call to a real reader until told to fail, a fake
// escalation reader, and a cache that can go down. Thread-safe (the edge
// test calls them from gRPC's threads). For tests only.

#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/testing/failure_switch.h"
#include "services/benchmarks/benchmark_reader.h"
#include "services/escalations/escalation_reader.h"
#include "services/indicators/testing/switchable_indicator_reader.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

using carescore::testing::FailureSwitch;
using indicators::testing::SwitchableIndicatorReader;

// Passes every call to `inner` (which outlives *this) unless failing.
class SwitchableBenchmarkReader final : public benchmarks::BenchmarkReader, public FailureSwitch {
 public:
  explicit SwitchableBenchmarkReader(benchmarks::BenchmarkReader& inner) : inner_(inner) {}

  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override {
    if (absl::Status s = status(); !s.ok()) return s;
    return inner_.ListPublished(la_code);
  }
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) override {
    if (absl::Status s = status(); !s.ok()) return s;
    return inner_.BatchGet(request);
  }
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() override {
    if (absl::Status s = status(); !s.ok()) return s;
    return inner_.GetVersion();
  }

 private:
  benchmarks::BenchmarkReader& inner_;
};

// Answers Summary with the response set (empty by default) unless failing;
// keeps the last request.
class FakeEscalationReader final : public escalations::EscalationReader, public FailureSwitch {
 public:
  void SetSummary(v1::GetEscalationSummaryResponse response) {
    absl::MutexLock lock(&mu_);
    response_ = std::move(response);
  }
  absl::StatusOr<v1::GetEscalationSummaryResponse> Summary(
      const v1::GetEscalationSummaryRequest& request) override {
    absl::MutexLock lock(&mu_);
    last_request_ = request;
    if (absl::Status s = status(); !s.ok()) return s;
    return response_;
  }
  std::optional<v1::GetEscalationSummaryRequest> last_request() {
    absl::MutexLock lock(&mu_);
    return last_request_;
  }

 private:
  absl::Mutex mu_;
  v1::GetEscalationSummaryResponse response_ ABSL_GUARDED_BY(mu_);
  std::optional<v1::GetEscalationSummaryRequest> last_request_ ABSL_GUARDED_BY(mu_);
};

// An in-process cache that can go down: then, as ScorecardCache allows for
// a failing store, Get answers nothing and Put drops the value.
class SwitchableScorecardCache final : public ScorecardCache {
 public:
  void SetDown(bool down) { down_ = down; }
  std::optional<std::string> Get(const std::string& key) override {
    ++gets;
    if (down_) return std::nullopt;
    return inner_.Get(key);
  }
  void Put(const std::string& key, const std::string& value) override {
    ++puts;
    if (!down_) inner_.Put(key, value);
  }
  const char* Name() const override { return "switchable"; }

  std::atomic<int> gets{0};
  std::atomic<int> puts{0};

 private:
  std::atomic<bool> down_{false};
  InProcessScorecardCache inner_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_TESTING_FAKE_READERS_H_
