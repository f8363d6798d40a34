#include <string>

#include "services/reports/report_renderer.h"
#include "services/reports/scorecard_csv.h"

namespace carescore::reports {

std::string RenderCsv(const v1::ReportDocument& doc) { return ScorecardCsv(doc.scorecard()); }

}  // namespace carescore::reports
