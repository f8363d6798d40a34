#include "services/reports/scorecard_text.h"

#include <cmath>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/measure.h"
#include "common/period.h"

namespace carescore::reports {

std::string PolarityText(v1::Polarity polarity) {
  switch (polarity) {
    case v1::POLARITY_HIGH:
      return "High";
    case v1::POLARITY_LOW:
      return "Low";
    case v1::POLARITY_RANGE:
      return "Within range";
    default:
      return "Information";
  }
}

std::string PlainNumber(double value) {
  return FormatFigure(value, std::abs(value - std::round(value)) < 1e-9 ? 0 : 1);
}

TargetBands BandsOf(const v1::ScorecardLine& line) {
  const v1::Target& t = line.target();
  if (t.kind() == v1::TARGET_KIND_THRESHOLDS && t.has_red_threshold() && t.has_green_threshold()) {
    const std::string r = PlainNumber(t.red_threshold());
    const std::string g = PlainNumber(t.green_threshold());
    if (line.polarity() == v1::POLARITY_HIGH) {
      return {"< " + r, r == g ? "-" : r + " to < " + g, ">= " + g};
    }
    return {">= " + r, r == g ? "-" : g + " to < " + r, "< " + g};
  }
  if (t.kind() == v1::TARGET_KIND_RANGE) {
    return {"beyond", absl::StrCat("within ", PlainNumber(t.range_tolerance_pct()), "%"),
            absl::StrCat(PlainNumber(t.range_low()), " to ", PlainNumber(t.range_high()))};
  }
  return {"", "", ""};
}

const v1::MonthFigure* FigureOf(const v1::ScorecardLine& line, const std::string& month) {
  for (const v1::MonthFigure& f : line.months()) {
    if (f.month() == month) return &f;
  }
  return nullptr;
}

std::vector<std::string> LastMonths(const std::string& month, int n) {
  std::vector<std::string> out;
  absl::StatusOr<Month> m = Month::Parse(month);
  if (!m.ok()) return out;
  for (int back = n - 1; back >= 0; --back) out.push_back(m->Plus(-back).ToString());
  return out;
}

std::string ShortMonth(const std::string& month) {
  absl::StatusOr<Month> m = Month::Parse(month);
  if (!m.ok()) return month;
  const std::string name = m->LongName();
  return absl::StrCat(name.substr(0, 3), " ", month.substr(2, 2));
}

std::vector<std::pair<std::string, std::vector<const v1::ScorecardLine*>>> BySection(
    const v1::Scorecard& card) {
  std::vector<std::pair<std::string, std::vector<const v1::ScorecardLine*>>> out;
  for (const v1::ScorecardLine& line : card.lines()) {
    if (out.empty() || out.back().first != line.section()) out.push_back({line.section(), {}});
    out.back().second.push_back(&line);
  }
  return out;
}

const v1::ComparatorFigures* HeadlineComparators(const v1::ScorecardLine& line) {
  if (line.has_published() && !line.published().financial_year().empty()) return &line.published();
  if (line.has_computed()) return &line.computed();
  return nullptr;
}

const v1::ComparatorFigures& HeadlineOrNone(const v1::ScorecardLine& line) {
  static const v1::ComparatorFigures kNone;
  const v1::ComparatorFigures* c = HeadlineComparators(line);
  return c != nullptr ? *c : kNone;
}

}  // namespace carescore::reports
