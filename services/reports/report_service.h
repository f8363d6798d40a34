#ifndef CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_

// The report rules, with no gRPC in them: gathers an LA's figures from the
// indicator and benchmarking services (through their readers) and builds
// the monthly scorecard (scorecard.h has the per-indicator rules).
// Thread-safe if the readers are.
// Errors: InvalidArgument (malformed LA code or month), NotFound (unknown
// LA; no value for the LA in the month), and the readers' errors.

#include "absl/status/statusor.h"
#include "carescore/v1/reports.pb.h"
#include "services/benchmarks/benchmark_client.h"
#include "services/indicators/indicator_client.h"

namespace carescore::reports {

class ReportService {
 public:
  // Both readers outlive *this.
  ReportService(indicators::IndicatorReader& indicators, benchmarks::BenchmarkReader& benchmarks)
      : indicators_(indicators), benchmarks_(benchmarks) {}

  absl::StatusOr<v1::GetScorecardResponse> GetScorecard(const v1::GetScorecardRequest& request);

 private:
  indicators::IndicatorReader& indicators_;
  benchmarks::BenchmarkReader& benchmarks_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
