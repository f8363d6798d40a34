#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/measure.h"
#include "common/period.h"
#include "common/proto_time.h"
#include "common/words.h"
#include "services/reports/report_renderer.h"
#include "services/reports/scorecard.h"
#include "services/reports/scorecard_text.h"

namespace carescore::reports {
namespace {

std::string Fig(const v1::ScorecardLine& line, bool present, double v) {
  return present ? FormatFigure(v, line.decimal_places()) : "-";
}

// The month's count for a stage of the ladder, if it has one.
std::optional<int32_t> StageCount(const v1::MonthStageCounts& month, int32_t stage) {
  for (const v1::StageCount& s : month.stages()) {
    if (s.stage() == stage) return s.count();
  }
  return std::nullopt;
}

std::string RagClass(v1::Rag r) { return absl::StrCat("rag rag-", RagWord(r)); }

// One indicator's months, target lines and SN average as an inline SVG.
std::string Chart(const v1::ScorecardLine& line) {
  constexpr double kW = 560;
  constexpr double kH = 170;
  constexpr double kLeft = 46;
  constexpr double kRight = 12;
  constexpr double kTop = 12;
  constexpr double kBottom = 28;
  std::vector<double> ys;
  for (const v1::MonthFigure& f : line.months()) {
    if (f.has_value()) ys.push_back(f.value());
  }
  const v1::Target& t = line.target();
  std::vector<std::pair<double, std::string>> refs;  // value, class
  if (t.kind() == v1::TARGET_KIND_THRESHOLDS) {
    if (t.has_red_threshold()) refs.emplace_back(t.red_threshold(), "red");
    if (t.has_green_threshold() && t.green_threshold() != t.red_threshold()) {
      refs.emplace_back(t.green_threshold(), "green");
    }
  }
  if (t.kind() == v1::TARGET_KIND_RANGE) {
    refs.emplace_back(t.range_low(), "green");
    refs.emplace_back(t.range_high(), "green");
  }
  if (const v1::ComparatorFigures* c = HeadlineComparators(line);
      c != nullptr && c->has_sn_average()) {
    refs.emplace_back(c->sn_average(), "sn");
  }
  for (const auto& r : refs) ys.push_back(r.first);
  const std::string title =
      absl::StrCat(HtmlEscape(line.code()), " ", HtmlEscape(line.title()), " by month");
  if (ys.empty()) {
    return absl::StrCat("<p class=\"nochart\">No figures to chart for ", HtmlEscape(line.code()),
                        ".</p>");
  }
  double lo = *std::min_element(ys.begin(), ys.end());
  double hi = *std::max_element(ys.begin(), ys.end());
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const double pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const int n = line.months_size();
  auto x = [&](int i) {
    return kLeft + (n <= 1 ? 0 : (kW - kLeft - kRight) * i / static_cast<double>(n - 1));
  };
  auto y = [&](double v) { return kTop + (kH - kTop - kBottom) * (hi - v) / (hi - lo); };
  std::string svg =
      absl::StrCat("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", kW,
                   " ", kH, "\" width=\"", kW, "\" height=\"", kH, "\" role=\"img\"><title>", title,
                   "</title>", "<rect x=\"", kLeft, "\" y=\"", kTop, "\" width=\"",
                   kW - kLeft - kRight, "\" height=\"", kH - kTop - kBottom, "\" class=\"plot\"/>");
  for (const auto& [value, cls] : refs) {
    absl::StrAppend(&svg, "<line class=\"ref ref-", cls, "\" x1=\"", kLeft, "\" x2=\"", kW - kRight,
                    "\" y1=\"", y(value), "\" y2=\"", y(value), "\"><title>",
                    cls == "sn" ? "Statistical neighbour average " : "Target ", PlainNumber(value),
                    "</title></line>");
  }
  std::string points;
  for (int i = 0; i < n; ++i) {
    const v1::MonthFigure& f = line.months(i);
    if (!f.has_value()) {
      if (!points.empty())
        absl::StrAppend(&svg, "<polyline class=\"series\" points=\"", points, "\"/>");
      points.clear();
      continue;
    }
    absl::StrAppend(&points, x(i), ",", y(f.value()), " ");
    absl::StrAppend(&svg, "<circle class=\"point\" cx=\"", x(i), "\" cy=\"", y(f.value()),
                    "\" r=\"2.5\"><title>", ShortMonth(f.month()), ": ",
                    FormatFigure(f.value(), line.decimal_places()), "</title></circle>");
  }
  if (!points.empty())
    absl::StrAppend(&svg, "<polyline class=\"series\" points=\"", points, "\"/>");
  for (int i = 0; i < n; i += std::max(1, n / 6)) {
    absl::StrAppend(&svg, "<text class=\"axis\" x=\"", x(i), "\" y=\"", kH - 10,
                    "\" text-anchor=\"middle\">", ShortMonth(line.months(i).month()), "</text>");
  }
  absl::StrAppend(&svg, "<text class=\"axis\" x=\"", kLeft - 4, "\" y=\"", y(hi - pad) + 4,
                  "\" text-anchor=\"end\">", PlainNumber(hi - pad), "</text>",
                  "<text class=\"axis\" x=\"", kLeft - 4, "\" y=\"", y(lo + pad) + 4,
                  "\" text-anchor=\"end\">", PlainNumber(lo + pad), "</text></svg>");
  return svg;
}

constexpr absl::string_view kStyle = R"css(
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 11px; color: #1b1b1b; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 18px 0 6px; border-bottom: 2px solid #1d4f76; }
h3 { font-size: 13px; margin: 12px 0 4px; }
table { border-collapse: collapse; margin: 4px 0 10px; }
th, td { border: 1px solid #9aa5ad; padding: 2px 5px; vertical-align: top; }
th { background: #e6ecf0; font-weight: bold; } td.n { text-align: right; white-space: nowrap; }
tr.section th { background: #1d4f76; color: #fff; text-align: left; }
.rag { text-align: center; font-weight: bold; } .rag-red { background: #f1a7a7; }
.rag-amber { background: #f8d68c; } .rag-green { background: #a9dba9; } .rag-none { color: #777; }
.cover { border: 2px solid #1d4f76; padding: 12px 16px; margin-bottom: 12px; }
.commentary { background: #f6f8fa; border-left: 4px solid #1d4f76; padding: 6px 10px; white-space: pre-wrap; }
.muted { color: #666; } .flag { color: #8a4b00; }
svg.chart { display: block; margin: 4px 0 8px; } svg .plot { fill: #fbfcfd; stroke: #c6cdd2; }
svg .series { fill: none; stroke: #1d4f76; stroke-width: 2; } svg .point { fill: #1d4f76; }
svg .ref { stroke-width: 1.2; } svg .ref-red { stroke: #c0392b; stroke-dasharray: 5 3; }
svg .ref-green { stroke: #2e8b57; stroke-dasharray: 5 3; } svg .ref-sn { stroke: #7d3c98; stroke-dasharray: 2 2; }
svg .axis { font-size: 9px; fill: #444; }
.key span { margin-right: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; } section.detail { page-break-before: always; } article { page-break-inside: avoid; } }
)css";

// A line's benchmarks: one row each for the published comparators and the
// computed ones (year and month), with gaps from the in-month value.
std::string BenchmarkTable(const v1::ScorecardLine& l) {
  std::vector<std::pair<std::string, const v1::ComparatorFigures*>> rows;
  if (!l.published().financial_year().empty()) {
    rows.emplace_back(absl::StrCat("Published ", l.published().financial_year()), &l.published());
  }
  if (l.has_computed()) {
    rows.emplace_back(absl::StrCat("Computed ", l.computed().financial_year()), &l.computed());
  }
  if (l.has_computed_month()) {
    rows.emplace_back(absl::StrCat("Computed ", l.computed_month().month()), &l.computed_month());
  }
  if (rows.empty()) return "<p class=\"muted\">No comparators held.</p>";
  std::ostringstream h;
  h << "<table class=\"benchmarks\"><tr><th>Benchmarks</th><th>SN average</th><th>Best SN</th>"
    << "<th>National</th><th>Top quartile</th><th>Gap to SN average</th><th>Gap to national</th>"
    << "<th>Quartile (rank)</th></tr>";
  for (const auto& [name, c] : rows) {
    h << "<tr><th>" << HtmlEscape(name)
      << (c->indicator_code().empty() ? ""
                                      : absl::StrCat(" (", HtmlEscape(c->indicator_code()), ")"))
      << "</th><td class=\"n\">" << Fig(l, c->has_sn_average(), c->sn_average()) << "</td>"
      << "<td class=\"n\">" << Fig(l, c->has_best_sn(), c->best_sn()) << "</td>"
      << "<td class=\"n\">" << Fig(l, c->has_national_average(), c->national_average())
      << "</td><td class=\"n\">"
      << Fig(l, c->has_top_quartile_threshold(), c->top_quartile_threshold())
      << "</td><td class=\"n\">" << Fig(l, c->has_gap_sn_average(), c->gap_sn_average())
      << "</td><td class=\"n\">" << Fig(l, c->has_gap_national_average(), c->gap_national_average())
      << "</td><td>";
    if (c->rank() > 0) {
      h << QuartileBandWord(c->quartile()) << " (" << c->rank() << " of " << c->rank_of() << ")";
    } else {
      h << "-";
    }
    h << "</td></tr>";
  }
  h << "</table>";
  return h.str();
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}});
}

std::string RenderHtml(const v1::ReportDocument& doc) {
  const v1::Scorecard& card = doc.scorecard();
  absl::StatusOr<Month> month = Month::Parse(card.month());
  const std::string month_name = month.ok() ? month->LongName() : card.month();
  std::map<std::string, const v1::Commentary*> commentary;
  for (const v1::Commentary& c : doc.commentary()) commentary[c.section()] = &c;

  std::ostringstream h;
  h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<title>Corporate Parenting Performance Report: " << HtmlEscape(card.la_name()) << ", "
    << month_name << "</title><style>" << kStyle << "</style></head><body>";

  // Cover.
  int red = 0, amber = 0, green = 0, unrated = 0, improving = 0, declining = 0;
  for (const v1::ScorecardLine& l : card.lines()) {
    red += l.rag() == v1::RAG_RED;
    amber += l.rag() == v1::RAG_AMBER;
    green += l.rag() == v1::RAG_GREEN;
    unrated += l.rag() == v1::RAG_NONE;
    improving += l.dot() == v1::DIRECTION_IMPROVING;
    declining += l.dot() == v1::DIRECTION_DECLINING;
  }
  h << "<header class=\"cover\"><h1>Corporate Parenting Performance Report</h1>"
    << "<p><strong>" << HtmlEscape(card.la_name()) << "</strong> (LA " << HtmlEscape(card.la_code())
    << ") &middot; " << month_name << " &middot; financial year " << card.financial_year() << "</p>"
    << "<p id=\"cover-summary\">" << card.lines_size()
    << " indicators: <span class=\"rag rag-red\">" << red
    << " red</span> <span class=\"rag rag-amber\">" << amber
    << " amber</span> <span class=\"rag rag-green\">" << green << " green</span>, " << unrated
    << " not rated; " << improving << " improving and " << declining
    << " declining since last month.</p>"
    << "<p class=\"muted\">Built from data version " << card.data_version();
  if (card.has_as_of()) {
    h << " as it stood at "
      << absl::FormatTime("%Y-%m-%d %H:%M UTC", TimeFromProto(card.as_of()), absl::UTCTimeZone());
  }
  h << "; generated "
    << absl::FormatTime("%Y-%m-%d %H:%M UTC", TimeFromProto(doc.generated_at()),
                        absl::UTCTimeZone())
    << ".</p></header>";

  // Summary table.
  const std::vector<std::string> last3 = LastMonths(card.month(), 3);
  std::vector<std::string> years;
  if (!card.lines().empty()) {
    for (const auto& o : card.lines(0).outturns()) years.push_back(o.financial_year());
  }
  h << "<h2>Performance summary</h2><table id=\"summary\" class=\"summary\"><thead><tr>"
    << "<th>Code</th><th>Indicator</th><th>Good performance is</th>";
  for (const std::string& m : last3) h << "<th>" << ShortMonth(m) << "</th>";
  h << "<th>YTD</th><th>DOT</th><th>RAG</th><th>Red</th><th>Amber</th><th>Green</th>";
  for (const std::string& y : years) h << "<th>" << y << "</th>";
  h << "<th>SN average</th><th>Best SN</th><th>National</th><th>Top "
       "quartile</th></tr></thead><tbody>";
  const auto sections = BySection(card);
  const int columns = 12 + static_cast<int>(years.size()) + 4;
  for (const auto& [section, lines] : sections) {
    h << "<tr class=\"section\"><th colspan=\"" << columns << "\">" << HtmlEscape(section)
      << "</th></tr>";
    for (const v1::ScorecardLine* l : lines) {
      const TargetBands bands = BandsOf(*l);
      h << "<tr data-code=\"" << HtmlEscape(l->code()) << "\"><td>" << HtmlEscape(l->code())
        << "</td><td>" << HtmlEscape(l->title()) << "</td><td>" << PolarityText(l->polarity())
        << "</td>";
      for (const std::string& m : last3) {
        const v1::MonthFigure* f = FigureOf(*l, m);
        h << "<td class=\"n\">" << (f != nullptr ? Fig(*l, f->has_value(), f->value()) : "-")
          << "</td>";
      }
      h << "<td class=\"n\">" << Fig(*l, l->has_ytd(), l->ytd()) << "</td><td>"
        << DirectionWord(l->dot()) << "</td><td class=\"" << RagClass(l->rag()) << "\">"
        << RagWord(l->rag()) << "</td><td>" << HtmlEscape(bands.red) << "</td><td>"
        << HtmlEscape(bands.amber) << "</td><td>" << HtmlEscape(bands.green) << "</td>";
      for (const auto& o : l->outturns()) {
        h << "<td class=\"n\">" << Fig(*l, o.has_value(), o.value()) << "</td>";
      }
      const v1::ComparatorFigures& c = HeadlineOrNone(*l);
      const char* computed = c.source() == v1::COMPARATOR_SOURCE_COMPUTED ? "*" : "";
      h << "<td class=\"n\">" << Fig(*l, c.has_sn_average(), c.sn_average()) << computed << "</td>"
        << "<td class=\"n\">" << Fig(*l, c.has_best_sn(), c.best_sn()) << "</td>"
        << "<td class=\"n\">" << Fig(*l, c.has_national_average(), c.national_average()) << "</td>"
        << "<td class=\"n\">" << Fig(*l, c.has_top_quartile_threshold(), c.top_quartile_threshold())
        << "</td></tr>";
    }
  }
  h << "</tbody></table><p class=\"muted\">Comparators are the latest published before this "
       "financial year, or where none are published, computed from every LA's values for the "
       "last complete year (marked *). DOT compares with last month at the figures shown. RAG "
       "against the "
    << card.financial_year() << " targets; blank thresholds: no target set.</p>";

  // IRO escalations.
  h << "<h2>IRO challenge and escalation</h2>";
  if (doc.escalations().empty()) {
    h << "<p class=\"muted\">"
      << HtmlEscape(doc.escalations_note().empty() ? "No escalation figures for this period."
                                                   : doc.escalations_note())
      << "</p>";
  } else {
    // A column per stage of the escalation service's ladder; its referral
    // stage counts the referrals, which have their own column.
    const v1::MonthStageCounts& first = doc.escalations(0);
    std::vector<int32_t> shown;
    for (const v1::StageCount& s : first.stages()) {
      if (!s.referral()) shown.push_back(s.stage());
    }
    h << "<table id=\"escalations\"><thead><tr><th>Month</th>";
    for (int32_t stage : shown) h << "<th>Stage " << stage << "</th>";
    h << "<th>CAFCASS referral</th></tr></thead><tbody>";
    for (const v1::MonthStageCounts& m : doc.escalations()) {
      h << "<tr><td>" << ShortMonth(m.month()) << "</td>";
      for (int32_t stage : shown) {
        h << "<td class=\"n\">" << StageCount(m, stage).value_or(0) << "</td>";
      }
      h << "<td class=\"n\">" << m.cafcass_referral() << "</td></tr>";
    }
    h << "</tbody></table>";
  }

  // Detail pages.
  for (const auto& [section, lines] : sections) {
    h << "<section class=\"detail\"><h2>" << HtmlEscape(section) << "</h2>";
    auto c = commentary.find(section);
    if (c != commentary.end()) {
      h << "<div class=\"commentary\">" << HtmlEscape(c->second->text()) << "</div>"
        << "<p class=\"muted\">Commentary by " << HtmlEscape(c->second->author()) << ", "
        << absl::FormatTime("%Y-%m-%d", TimeFromProto(c->second->updated_at()), absl::UTCTimeZone())
        << "</p>";
    } else {
      h << "<p class=\"muted\">No commentary yet for this section.</p>";
    }
    for (const v1::ScorecardLine* l : lines) {
      h << "<article id=\"ind-" << HtmlEscape(l->code()) << "\"><h3>" << HtmlEscape(l->code())
        << " " << HtmlEscape(l->title()) << "</h3><p class=\"muted\">Good performance is "
        << PolarityText(l->polarity()) << ". YTD: " << Fig(*l, l->has_ytd(), l->ytd()) << " ("
        << HtmlEscape(l->ytd_note()) << "). RAG: " << RagWord(l->rag())
        << (l->rag_note().empty() ? "" : " (" + HtmlEscape(l->rag_note()) + ")") << ".</p>";
      h << "<table class=\"months\"><tr><th>Month</th>";
      for (const v1::MonthFigure& f : l->months()) h << "<th>" << ShortMonth(f.month()) << "</th>";
      h << "</tr><tr><th>Value</th>";
      for (const v1::MonthFigure& f : l->months()) {
        h << "<td class=\"n\">" << Fig(*l, f.has_value(), f.value()) << "</td>";
      }
      h << "</tr>";
      const bool ratios = std::any_of(l->months().begin(), l->months().end(),
                                      [](const v1::MonthFigure& f) { return f.has_denominator(); });
      if (ratios) {
        h << "<tr><th>Of</th>";
        for (const v1::MonthFigure& f : l->months()) {
          h << "<td class=\"n\">"
            << (f.has_denominator() ? absl::StrCat(FormatFigure(f.numerator(), 0), "/",
                                                   FormatFigure(f.denominator(), 0))
                                    : "")
            << "</td>";
        }
        h << "</tr>";
      }
      h << "</table>";
      // Annual trend and benchmarks beside the months.
      h << "<table class=\"trend\"><tr><th>Outturn</th>";
      for (const v1::OutturnFigure& o : l->outturns()) h << "<th>" << o.financial_year() << "</th>";
      h << "</tr><tr><th>Value</th>";
      for (const v1::OutturnFigure& o : l->outturns()) {
        h << "<td class=\"n\">" << Fig(*l, o.has_value(), o.value()) << "</td>";
      }
      h << "</tr></table>";
      h << BenchmarkTable(*l);
      h << Chart(*l);
      h << "<p class=\"key muted\"><span>&#9644; value</span><span>- - target</span>"
           "<span>&middot;&middot;&middot; statistical neighbour average</span></p>";
      for (const v1::Flag& f : l->flags()) {
        h << "<p class=\"flag\">&#9888; " << HtmlEscape(f.message()) << "</p>";
      }
      h << "</article>";
    }
    h << "</section>";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace carescore::reports
