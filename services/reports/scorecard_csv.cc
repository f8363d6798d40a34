#include "services/reports/scorecard_csv.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/measure.h"
#include "common/spreadsheet_cell.h"
#include "common/words.h"
#include "services/reports/scorecard_text.h"

namespace carescore::reports {

std::vector<std::string> ScorecardCsvHeader(const v1::Scorecard& card) {
  std::vector<std::string> header = {"section", "code", "title", "good_performance_is"};
  for (const std::string& m : LastMonths(card.month(), 3)) header.push_back(m);
  for (const char* c : {"ytd", "dot", "rag", "red", "amber", "green"}) header.emplace_back(c);
  if (!card.lines().empty()) {
    for (const auto& o : card.lines(0).outturns()) header.push_back(o.financial_year());
  }
  for (const char* c : {"sn_average", "best_sn", "national_average", "top_quartile_threshold",
                        "comparator_year", "comparator_source", "quartile", "rank", "flags"}) {
    header.emplace_back(c);
  }
  return header;
}

std::vector<std::string> ScorecardCsvRow(const v1::ScorecardLine& l, const std::string& month) {
  auto figure = [&l](bool present, double v) {
    return present ? FormatFigure(v, l.decimal_places()) : std::string();
  };
  std::vector<std::string> row = {l.section(), l.code(), l.title(), PolarityText(l.polarity())};
  for (const std::string& m : LastMonths(month, 3)) {
    const v1::MonthFigure* f = FigureOf(l, m);
    row.push_back(f != nullptr ? figure(f->has_value(), f->value()) : "");
  }
  TargetBands bands = BandsOf(l);
  row.push_back(figure(l.has_ytd(), l.ytd()));
  row.push_back(DirectionWord(l.dot()));
  row.push_back(RagWord(l.rag()));
  row.push_back(std::move(bands.red));
  row.push_back(std::move(bands.amber));
  row.push_back(std::move(bands.green));
  for (const auto& o : l.outturns()) row.push_back(figure(o.has_value(), o.value()));
  const v1::ComparatorFigures& c = HeadlineOrNone(l);
  row.push_back(figure(c.has_sn_average(), c.sn_average()));
  row.push_back(figure(c.has_best_sn(), c.best_sn()));
  row.push_back(figure(c.has_national_average(), c.national_average()));
  row.push_back(figure(c.has_top_quartile_threshold(), c.top_quartile_threshold()));
  row.push_back(c.financial_year());
  const bool sourced = c.source() != v1::COMPARATOR_SOURCE_UNSPECIFIED;
  row.push_back(sourced ? ComparatorSourceWord(c.source()) : "");
  row.push_back(c.rank() > 0 ? QuartileBandWord(c.quartile()) : "");
  row.push_back(c.rank() > 0 ? absl::StrCat(c.rank(), " of ", c.rank_of()) : "");
  std::vector<std::string> flags;
  for (const v1::Flag& f : l.flags()) flags.push_back(f.message());
  row.push_back(absl::StrJoin(flags, "; "));
  return row;
}

std::string CsvField(absl::string_view text) { return carescore::CsvField(text); }

std::string ScorecardCsv(const v1::Scorecard& card) {
  auto line = [](const std::vector<std::string>& cells) {
    return absl::StrCat(absl::StrJoin(cells, ",",
                                      [](std::string* out, const std::string& cell) {
                                        out->append(CsvField(cell));
                                      }),
                        "\n");
  };
  std::string out = line(ScorecardCsvHeader(card));
  for (const v1::ScorecardLine& l : card.lines()) {
    absl::StrAppend(&out, line(ScorecardCsvRow(l, card.month())));
  }
  return out;
}

}  // namespace carescore::reports
