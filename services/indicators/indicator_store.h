#ifndef CARESCORE_SERVICES_INDICATORS_INDICATOR_STORE_H_
#define CARESCORE_SERVICES_INDICATORS_INDICATOR_STORE_H_

// Where local authorities, the catalogue, targets, milestones and value
// revisions are kept. The store enforces nothing about the domain (the
// IndicatorService validates first); it guarantees atomicity: each call that
// writes either stores everything it was given or nothing. Implementations
// must be thread-safe: handlers run concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carescore/v1/indicators.pb.h"

namespace carescore::indicators {

// Identifies one value: LA, indicator and period (a month "2018-10" or a
// financial year "2018-19").
struct ValueKey {
  std::string la_code;
  std::string indicator_code;
  v1::PeriodKind kind = v1::PERIOD_KIND_MONTH;
  std::string period;
};

struct ValueQuery {
  std::string la_code;         // Empty: every LA.
  std::string indicator_code;  // Empty: every indicator.
  // Empty: every indicator; otherwise only these (and `indicator_code`).
  std::vector<std::string> indicator_codes;
  v1::PeriodKind kind = v1::PERIOD_KIND_MONTH;
  std::string from_period;  // Inclusive; empty: unbounded.
  std::string to_period;    // Inclusive; empty: unbounded.
  // Only loads recorded at or before this moment count.
  std::optional<absl::Time> as_of;
  bool include_missing = false;
  // Leave out recorded_at, source and load_id (VALUE_VIEW_FIGURES).
  bool figures_only = false;
  // Results start strictly after this key (paging).
  std::optional<ValueKey> after;
  int limit = 1000;
};

struct TargetFilter {
  std::string indicator_code;  // Each empty: any.
  std::string financial_year;
  std::string la_code;
};

// What a committed load was given.
struct LoadReceipt {
  int64_t load_id = 0;
  absl::Time recorded_at;
  int64_t written = 0;
};

class IndicatorStore {
 public:
  virtual ~IndicatorStore() = default;

  // Creates or replaces by la_code.
  [[nodiscard]] virtual absl::Status UpsertLocalAuthorities(
      const std::vector<v1::LocalAuthority>& las) = 0;
  // Every LA, ordered by la_code.
  virtual absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() = 0;
  // NotFound for a code the store does not hold.
  virtual absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la_code) = 0;

  // Creates or replaces by code; a new code goes to the end of the
  // catalogue order, a replaced one keeps its place.
  [[nodiscard]] virtual absl::Status UpsertIndicators(
      const std::vector<v1::Indicator>& indicators) = 0;
  // The whole catalogue in catalogue order.
  virtual absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() = 0;

  // Creates or replaces by (indicator_code, financial_year, la_code).
  [[nodiscard]] virtual absl::Status UpsertTargets(const std::vector<v1::Target>& targets) = 0;
  // Ordered by indicator, year, LA.
  virtual absl::StatusOr<std::vector<v1::Target>> ListTargets(const TargetFilter& filter) = 0;

  // Replaces the whole trajectory of (indicator_code, la_code).
  [[nodiscard]] virtual absl::Status ReplaceMilestones(
      absl::string_view indicator_code, absl::string_view la_code,
      const std::vector<v1::Milestone>& milestones) = 0;
  // By indicator, then month; an empty indicator code means every indicator.
  virtual absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
      absl::string_view indicator_code, absl::string_view la_code) = 0;

  // Appends one revision of each value as one load labelled `source`, and
  // increases the data version of every LA it touches; all or nothing.
  // Loads are numbered and stamped in commit order, each strictly later
  // than the one before.
  virtual absl::StatusOr<LoadReceipt> AppendValues(absl::string_view source,
                                                   const std::vector<v1::ValueInput>& values) = 0;
  // The latest revision (as of `query.as_of`) of each matching value, in
  // (la_code, indicator_code, period) order, at most `query.limit`.
  virtual absl::StatusOr<std::vector<v1::Value>> ListValues(const ValueQuery& query) = 0;
  // Every revision of one value, oldest first; empty if none.
  virtual absl::StatusOr<std::vector<v1::Value>> ValueHistory(const ValueKey& key) = 0;
  // Increases with every load that touches the LA and with every write to
  // the LAs, catalogue, targets or milestones (which every scorecard reads).
  // NotFound for an LA the store does not hold. One cheap query: caches
  // call it on every request.
  virtual absl::StatusOr<int64_t> DataVersion(absl::string_view la_code) = 0;
  // Increases with every write that raises any LA's DataVersion.
  virtual absl::StatusOr<int64_t> AllDataVersion() = 0;
  // How many LAs have had values loaded.
  virtual absl::StatusOr<int> LasWithValues() = 0;
  // Increases with every write to the LAs, catalogue, targets or milestones.
  virtual absl::StatusOr<int64_t> CatalogueVersion() = 0;
};

}  // namespace carescore::indicators

#endif  // CARESCORE_SERVICES_INDICATORS_INDICATOR_STORE_H_
