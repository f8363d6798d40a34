#ifndef CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_

// The report rules, with no gRPC in them: gathers an LA's figures from the
// indicator and benchmarking services (through their readers) and builds
// the monthly scorecard (scorecard.h has the per-indicator rules).
// Scorecards are cached under a key holding the LA's data version, every
// LA's (computed comparators read them all) and the comparators' version.
// Those versions are held for the lease their services grant
// (common/version_lease.h), so a hit asks no other service, yet any write
// that has been answered is seen by the next scorecard. Concurrent requests
// for one key compute it once. Thread-safe if the readers and cache are.
// Errors: InvalidArgument (malformed LA code or month), NotFound (unknown
// LA; no value for the LA in the month), and the readers' errors.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "carescore/v1/reports.pb.h"
#include "common/period.h"
#include "common/single_flight.h"
#include "common/version_lease.h"
#include "services/benchmarks/benchmark_reader.h"
#include "services/escalations/escalation_reader.h"
#include "services/indicators/indicator_reader.h"
#include "services/reports/commentary_store.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

// A scorecard as the cache holds it, and where it came from: what the wire
// edge needs to send a GetScorecardResponse without parsing the scorecard.
struct ScorecardBytes {
  std::string scorecard;  // A v1::Scorecard's wire bytes.
  std::string cache;      // GetScorecardResponse.cache: "hit", "miss" or "uncached".
};

// What ReportService reads from and writes to, besides the two services it
// always needs. Every pointer may be null; all outlive the service.
struct ReportDependencies {
  ScorecardCache* cache = nullptr;                       // Null: no cache.
  CommentaryStore* commentary = nullptr;                 // Null: no commentary.
  escalations::EscalationReader* escalations = nullptr;  // Null: no IRO section.
  // The Chromium that prints PDFs: a path or a name on PATH.
  std::string chromium = "chromium";
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class ReportService {
 public:
  // The readers outlive *this.
  ReportService(indicators::IndicatorReader& indicators, benchmarks::BenchmarkReader& benchmarks,
                ReportDependencies dependencies = {})
      : indicators_(indicators),
        benchmarks_(benchmarks),
        cache_(dependencies.cache),
        deps_(std::move(dependencies)),
        now_(deps_.now),
        data_versions_(
            [this](const std::string& la) { return indicators_.GetDataVersion(la); },
            [](const v1::GetDataVersionResponse& r) { return LeaseFromProto(r.lease()); }),
        comparator_versions_(
            [this](const std::string&) { return benchmarks_.GetVersion(); },
            [](const v1::GetComparatorsVersionResponse& r) { return LeaseFromProto(r.lease()); }) {}

  // The scorecard, parsed, with the cache outcome.
  absl::StatusOr<v1::GetScorecardResponse> GetScorecard(const v1::GetScorecardRequest& request);
  // The same answer unparsed: a cache hit is the cached bytes as they are.
  // `missed_key`: a key CachedScorecardBytes has just missed, not looked up
  // again.
  absl::StatusOr<ScorecardBytes> GetScorecardBytes(const v1::GetScorecardRequest& request,
                                                   const std::string& missed_key = "");
  // GetScorecardBytes's answer if it is a cache hit that needs no call to
  // the other services (the versions are held within their leases);
  // otherwise nothing, and GetScorecardBytes has the answer or the error.
  // On a miss `missed_key` (if given) gets the key looked up. At worst it
  // waits for the cache's command timeout.
  std::optional<ScorecardBytes> CachedScorecardBytes(const v1::GetScorecardRequest& request,
                                                     std::string* missed_key = nullptr);
  absl::StatusOr<v1::GetReportResponse> GetReport(const v1::GetReportRequest& request);
  absl::StatusOr<v1::GetHighlightsResponse> GetHighlights(const v1::GetHighlightsRequest& request);
  absl::StatusOr<v1::SetCommentaryResponse> SetCommentary(const v1::SetCommentaryRequest& request);
  absl::StatusOr<v1::ListCommentaryResponse> ListCommentary(
      const v1::ListCommentaryRequest& request);

 private:
  // What a scorecard was built from; its cache key holds all three.
  struct ScorecardVersions {
    int64_t la = 0;           // The LA's data version.
    int64_t all = 0;          // Every LA's.
    int64_t comparators = 0;  // The benchmarking store's.
    int las_with_values = 0;  // Not in the key: `all` rises whenever it does.
    int64_t catalogue = 0;    // LAs, indicators, targets, milestones (in `la`).
  };
  // What a scorecard reads besides values: it changes only with the
  // catalogue version (LAs, indicators, targets, milestones) or the
  // comparators' version, so it is held per version, LA and year.
  struct ReferenceData {
    v1::LocalAuthority la;
    std::vector<v1::Indicator> catalogue;
    std::map<std::string, v1::Target> target_by_code;  // The LA's own, else the default.
    std::map<std::string, std::vector<v1::Milestone>> own_milestones;
    std::map<std::string, std::vector<v1::Milestone>> default_milestones;
    // The latest published before the year, by indicator.
    std::map<std::string, v1::PublishedComparator> published_by_code;
  };
  // Computed comparators by line code: for the last complete financial year
  // and for the month.
  struct ComputedComparators {
    std::map<std::string, v1::Benchmark> year;
    std::map<std::string, v1::Benchmark> month;
  };

  // The Scorecard's wire bytes.
  absl::StatusOr<std::string> BuildScorecard(const v1::GetScorecardRequest& request,
                                             const ScorecardVersions& versions);
  absl::StatusOr<std::shared_ptr<const ReferenceData>> Reference(const std::string& la_code,
                                                                 FinancialYear fy,
                                                                 const ScorecardVersions& versions);
  std::string CacheKey(const v1::GetScorecardRequest& request, Month month,
                       const ScorecardVersions& versions);
  static ScorecardVersions VersionsOf(const v1::GetDataVersionResponse& data,
                                      const v1::GetComparatorsVersionResponse& comparators);
  // `reported`: the LA's values by indicator, which say what the lines are.
  absl::StatusOr<ComputedComparators> ComputedFor(
      const v1::GetScorecardRequest& request, Month month, const ScorecardVersions& versions,
      const std::vector<v1::Indicator>& catalogue,
      const std::map<std::string, std::map<std::string, v1::Value>>& reported);

  indicators::IndicatorReader& indicators_;
  benchmarks::BenchmarkReader& benchmarks_;
  // The scorecard, commentary, highlights and escalations of a report.
  absl::StatusOr<v1::ReportDocument> Document(const std::string& la_code, const std::string& month,
                                              const google::protobuf::Timestamp* as_of);

  ScorecardCache* cache_;
  ReportDependencies deps_;
  std::function<absl::Time()> now_;
  SingleFlight flights_;
  static constexpr size_t kMaxReferences = 256;
  absl::Mutex reference_mu_;
  std::map<std::string, std::shared_ptr<const ReferenceData>> references_
      ABSL_GUARDED_BY(reference_mu_);
  LeasedVersions<v1::GetDataVersionResponse> data_versions_;               // By LA code.
  LeasedVersions<v1::GetComparatorsVersionResponse> comparator_versions_;  // One key, "".
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_SERVICE_H_
