#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_TEXT_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_TEXT_H_

// How a scorecard is written out: the phrases, target bands and month labels
// that the HTML report, the CSV and the XLSX share. Pure functions over the
// messages, thread-safe; no server code, so a client may use them too.

#include <string>
#include <utility>
#include <vector>

#include "carescore/v1/reports.pb.h"

namespace carescore::reports {

// What good performance is: "High", "Low", "Within range" or "Information".
std::string PolarityText(v1::Polarity polarity);

// A threshold or bound as the bands print it: whole numbers without
// decimals, anything else to one place ("13", "10.8").
std::string PlainNumber(double value);

// The RAG bands of a line's target, e.g. high polarity: "< 85", "85 to < 90",
// ">= 90"; range: "beyond", "within 10%", "14 to 20". All empty without
// thresholds; amber is "-" when red and green meet.
struct TargetBands {
  std::string red;
  std::string amber;
  std::string green;
};
TargetBands BandsOf(const v1::ScorecardLine& line);

// The line's figure for `month` ("2018-10"), or null if it has none.
const v1::MonthFigure* FigureOf(const v1::ScorecardLine& line, const std::string& month);

// The `n` months to `month`, oldest first; empty for a malformed month.
std::vector<std::string> LastMonths(const std::string& month, int n);

// "Oct 18" for "2018-10"; a malformed month as it is.
std::string ShortMonth(const std::string& month);

// The card's lines grouped by section, in catalogue order. The pointers
// point into `card`.
std::vector<std::pair<std::string, std::vector<const v1::ScorecardLine*>>> BySection(
    const v1::Scorecard& card);

// The comparators a one-line summary shows: the published ones if held,
// otherwise those computed for the last complete year; null if neither.
const v1::ComparatorFigures* HeadlineComparators(const v1::ScorecardLine& line);
// HeadlineComparators, or an empty set if there are none.
const v1::ComparatorFigures& HeadlineOrNone(const v1::ScorecardLine& line);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_TEXT_H_
