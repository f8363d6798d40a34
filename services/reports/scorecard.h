#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_H_

// The monthly scorecard's rules, as pure functions over one indicator's
// figures. No I/O, thread-safe.
//
// - Year to date by period type: financial_ytd counts are summed over the
//   months held; financial_ytd percentages and rates are pooled (sum of
//   numerators over sum of denominators, 911 of 1055 = 86.4%), and there is
//   none when a month lacks its numerator; ytd_average months already are
//   the YTD; month_end, rolling_12m, termly, quarterly and annual figures
//   have none.
// - Direction of travel: this month against the month before, both at
//   display precision (95.0 then 95.0 is no change); improving/declining
//   for high and low polarity, increase/decrease for info and range.
// - RAG against the financial year's target, on the indicator's RAG basis:
//   high: red below red, green at or above green, else amber; low: red at
//   or above red, green below green, else amber; range: green inside, amber
//   up to the tolerance (a percentage of the bound) beyond, red further.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "carescore/v1/benchmarks.pb.h"
#include "carescore/v1/indicators.pb.h"
#include "carescore/v1/reports.pb.h"
#include "common/period.h"

namespace carescore::reports {

// Everything the scorecard needs of one indicator for one LA and month.
struct IndicatorFigures {
  v1::Indicator indicator;
  // The target for the month's financial year (the LA's own or the default).
  std::optional<v1::Target> target;
  std::vector<v1::Milestone> milestones;
  // Monthly values, by month ("2018-10").
  std::map<std::string, v1::Value> months;
  // Outturns by financial year.
  std::map<std::string, v1::Value> outturns;
  // The most recent published comparators, if any.
  std::optional<v1::Benchmark> published;
  // Computed comparators for the last complete financial year and for the
  // month, where other LAs' values are held.
  std::optional<v1::Benchmark> computed;
  std::optional<v1::Benchmark> computed_month;
  // Every revision of the month's value, oldest first.
  std::vector<v1::Value> history;
};

struct YearToDate {
  std::optional<double> value;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::string note;
};

YearToDate ComputeYearToDate(const v1::Indicator& indicator,
                             const std::map<std::string, v1::Value>& months, Month month);

// A scorecard's view of comparators: the figures, and the in-month value's
// gap to each (`in_month` may be null: no gaps).
v1::ComparatorFigures ComparatorFiguresOf(const v1::Benchmark& b, const double* in_month,
                                          const v1::Indicator& indicator);

v1::Direction DirectionOf(double current, double previous, const v1::Indicator& indicator);

// RAG_NONE for a target of kind none or thresholds that do not fit.
v1::Rag RagOf(double value, const v1::Target& target, const v1::Indicator& indicator);

// Two-proportion z-test between this month and the previous; absent when
// either lacks a numerator and denominator.
std::optional<v1::Flag> SignificanceOf(const v1::Value& current, const v1::Value& previous,
                                       const v1::Indicator& indicator);

// Denominators below this are flagged as small.
inline constexpr double kSmallDenominator = 10;

// One line of the scorecard for `month`.
v1::ScorecardLine BuildLine(const IndicatorFigures& figures, Month month);
// The same, into `line` (which may live on an arena); `line` starts empty.
void BuildLineInto(const IndicatorFigures& figures, Month month, v1::ScorecardLine& line);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_H_
