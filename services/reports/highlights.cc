#include "services/reports/highlights.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/measure.h"
#include "common/period.h"

namespace carescore::reports {
namespace {

std::string MonthName(const std::string& month) {
  absl::StatusOr<Month> m = Month::Parse(month);
  return m.ok() ? m->LongName() : month;
}

const v1::MonthFigure* Find(const v1::ScorecardLine& line, const std::string& month) {
  for (const v1::MonthFigure& f : line.months()) {
    if (f.month() == month && f.has_value()) return &f;
  }
  return nullptr;
}

std::string Compared(double now, double then, int places) {
  const double a = RoundHalfAwayFromZero(now, places);
  const double b = RoundHalfAwayFromZero(then, places);
  if (a == b) return "the same as";
  return a > b ? "higher than" : "lower than";
}

}  // namespace

std::string FigureText(const v1::ScorecardLine& line, double value, bool with_ratio,
                       double numerator, double denominator) {
  const std::string shown = FormatFigure(value, line.decimal_places());
  std::string text;
  switch (line.unit()) {
    case v1::UNIT_PERCENT:
      text = absl::StrCat(shown, "%");
      break;
    case v1::UNIT_RATE_PER_10K:
      text = absl::StrCat(shown, " per 10,000");
      break;
    case v1::UNIT_DAYS:
      text = absl::StrCat(shown, " days");
      break;
    default:
      text = shown;
  }
  if (with_ratio) {
    absl::StrAppend(&text, " (", FormatFigure(numerator, 0), " of ", FormatFigure(denominator, 0),
                    ")");
  }
  return text;
}

std::string HighlightSentence(const v1::ScorecardLine& line, const std::string& month) {
  if (!line.has_value()) return absl::StrCat("No figure for ", MonthName(month), ".");
  const int places = line.decimal_places();
  std::string text =
      absl::StrCat("In ", MonthName(month), " the figure was ",
                   FigureText(line, line.value(), line.has_numerator() && line.has_denominator(),
                              line.numerator(), line.denominator()));
  absl::StatusOr<Month> m = Month::Parse(month);
  if (m.ok()) {
    const std::string last_month = m->Plus(-1).ToString();
    if (const v1::MonthFigure* prev = Find(line, last_month)) {
      absl::StrAppend(&text, ", ", Compared(line.value(), prev->value(), places), " ",
                      FigureText(line, prev->value(), false), " in ", MonthName(last_month));
    }
    const std::string year_ago = m->Plus(-12).ToString();
    if (const v1::MonthFigure* ago = Find(line, year_ago)) {
      absl::StrAppend(&text, " and ", Compared(line.value(), ago->value(), places), " ",
                      FigureText(line, ago->value(), false), " in ", MonthName(year_ago));
    }
    // Highest or lowest of the last 12 months held.
    int held = 0;
    bool highest = true;
    bool lowest = true;
    const double now = RoundHalfAwayFromZero(line.value(), places);
    for (int back = 1; back < 12; ++back) {
      const v1::MonthFigure* f = Find(line, m->Plus(-back).ToString());
      if (f == nullptr) continue;
      ++held;
      const double then = RoundHalfAwayFromZero(f->value(), places);
      highest = highest && now > then;
      lowest = lowest && now < then;
    }
    if (held >= 5 && (highest || lowest)) {
      absl::StrAppend(&text, ", the ", highest ? "highest" : "lowest", " in the past ",
                      held == 11 ? "12 months" : absl::StrCat(held + 1, " months held"));
    }
  }
  if (line.has_ytd() && line.period_type() == v1::PERIOD_TYPE_FINANCIAL_YTD) {
    const bool ratio = line.has_ytd_numerator() && line.has_ytd_denominator();
    absl::StrAppend(
        &text, "; ",
        FigureText(line, line.ytd(), ratio, line.ytd_numerator(), line.ytd_denominator()),
        " so far this year");
  }
  absl::StrAppend(&text, ".");
  return text;
}

std::vector<v1::SectionHighlights> BuildHighlights(const v1::Scorecard& card) {
  std::vector<v1::SectionHighlights> sections;
  std::map<std::string, size_t> index;
  for (const v1::ScorecardLine& line : card.lines()) {
    const bool issue = line.rag() == v1::RAG_RED || line.dot() == v1::DIRECTION_DECLINING;
    const bool better = line.dot() == v1::DIRECTION_IMPROVING;
    if (!issue && !better) continue;
    auto it = index.find(line.section());
    if (it == index.end()) {
      it = index.emplace(line.section(), sections.size()).first;
      sections.emplace_back().set_section(line.section());
    }
    v1::Highlight* h =
        issue ? sections[it->second].add_current_issues() : sections[it->second].add_improvements();
    h->set_code(line.code());
    h->set_title(line.title());
    h->set_text(HighlightSentence(line, card.month()));
    h->set_rag(line.rag());
    h->set_dot(line.dot());
  }
  return sections;
}

}  // namespace carescore::reports
