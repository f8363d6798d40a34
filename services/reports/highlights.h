#ifndef CARESCORE_SERVICES_REPORTS_HIGHLIGHTS_H_
#define CARESCORE_SERVICES_REPORTS_HIGHLIGHTS_H_

// The highlight report: per section, the current issues (rated red, or
// declining) and the improvements (improving), each with a sentence of
// facts in the council reports' style: "In October 2018 there were 12.1%
// (79 of 651), lower than 12.7% in September 2018 and the lowest in the
// past 12 months." Pure, thread-safe.

#include <string>
#include <vector>

#include "carescore/v1/reports.pb.h"

namespace carescore::reports {

// A figure as the report prints it: "89.9% (133 of 148)", "658",
// "116.3 per 10,000", "351.4 days".
std::string FigureText(const v1::ScorecardLine& line, double value, bool with_ratio,
                       double numerator = 0, double denominator = 0);

// The sentence of facts for a line of the month.
std::string HighlightSentence(const v1::ScorecardLine& line, const std::string& month);

// In catalogue order of sections; sections with nothing to say are left out.
std::vector<v1::SectionHighlights> BuildHighlights(const v1::Scorecard& card);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_HIGHLIGHTS_H_
