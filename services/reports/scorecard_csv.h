#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_CSV_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_CSV_H_

// The scorecard summary as CSV columns and rows, as GetReport's CSV format
// and the XLSX summary sheet print it. Columns: section, code, title,
// good_performance_is, the last three months ("2018-08".."2018-10"), ytd,
// dot, rag, red, amber, green (the target bands), one per outturn year of
// the first line, sn_average, best_sn, national_average,
// top_quartile_threshold, comparator_year, comparator_source, quartile,
// rank, flags. Comparators are the headline ones (scorecard.h). A figure
// not held is an empty cell. Pure functions, thread-safe; no server code.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "carescore/v1/reports.pb.h"

namespace carescore::reports {

std::vector<std::string> ScorecardCsvHeader(const v1::Scorecard& card);

// One line's cells, unquoted; `month` is the card's ("2018-10").
std::vector<std::string> ScorecardCsvRow(const v1::ScorecardLine& line, const std::string& month);

// `text` as a CSV field: neutralised if a spreadsheet would run it as a
// formula, and quoted (quotes doubled) if it holds a comma, a quote or a
// line break (common/spreadsheet_cell.h).
std::string CsvField(absl::string_view text);

// The header and a row per line, each ending "\n".
std::string ScorecardCsv(const v1::Scorecard& card);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_CSV_H_
