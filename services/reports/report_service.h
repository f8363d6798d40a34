#ifndef CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_

// The report rules, with no gRPC in them: gathers an LA's figures from the
// indicator and benchmarking services (through their readers) and builds
// the monthly scorecard (scorecard.h has the per-indicator rules).
// Scorecards are cached under a key holding the LA's data version and the
// comparators' version, so any write is seen at once; concurrent requests
// for one key compute it once. Thread-safe if the readers and cache are.
// Errors: InvalidArgument (malformed LA code or month), NotFound (unknown
// LA; no value for the LA in the month), and the readers' errors.

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "carescore/v1/reports.pb.h"
#include "services/benchmarks/benchmark_client.h"
#include "services/indicators/indicator_client.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

class ReportService {
 public:
  // The readers and `cache` (null: no cache) outlive *this.
  ReportService(indicators::IndicatorReader& indicators, benchmarks::BenchmarkReader& benchmarks,
                ScorecardCache* cache = nullptr,
                std::function<absl::Time()> now = [] { return absl::Now(); })
      : indicators_(indicators), benchmarks_(benchmarks), cache_(cache), now_(std::move(now)) {}

  absl::StatusOr<v1::GetScorecardResponse> GetScorecard(const v1::GetScorecardRequest& request);

 private:
  absl::StatusOr<v1::Scorecard> BuildScorecard(const v1::GetScorecardRequest& request,
                                               const v1::ListPublishedComparatorsResponse& published,
                                               int64_t data_version);

  indicators::IndicatorReader& indicators_;
  benchmarks::BenchmarkReader& benchmarks_;
  ScorecardCache* cache_;
  std::function<absl::Time()> now_;
  SingleFlight flights_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
