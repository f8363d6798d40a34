#include "common/import_formats.h"

#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/measure.h"
#include "common/row_errors.h"
#include "common/validation.h"
#include "common/words.h"

namespace carescore {
namespace {

bool IsMissing(absl::string_view text) {
  return text.empty() || text == "-" || text == "c" || text == "x" || text == "..";
}

// Reads an optional number; on a bad one records the error and returns false.
bool ReadNumber(const CsvTable& table, const CsvRow& row, absl::string_view column,
                RowErrors& errors, std::optional<double>& out) {
  out.reset();
  const absl::string_view text = table.Field(row, column);
  if (IsMissing(text)) return true;
  double v = 0;
  if (!ParseDecimal(text, &v)) {
    errors.Add(row.line, column, absl::StrCat("\"", text, "\" is not a number"));
    return false;
  }
  out = v;
  return true;
}

bool YesNo(absl::string_view text, bool if_empty) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower.empty()) return if_empty;
  return lower == "yes" || lower == "y" || lower == "true" || lower == "1";
}

}  // namespace

absl::StatusOr<std::vector<v1::LocalAuthority>> ParseLocalAuthorities(const CsvTable& table) {
  absl::Status columns = table.RequireColumns({"la_code", "ons_code", "name", "region"});
  if (!columns.ok()) return columns;
  RowErrors errors;
  std::vector<v1::LocalAuthority> out;
  if (table.rows().empty()) errors.Add(0, "file", "has a header but no rows");
  for (const CsvRow& row : table.rows()) {
    v1::LocalAuthority la;
    la.set_la_code(std::string(table.Field(row, "la_code")));
    la.set_ons_code(std::string(table.Field(row, "ons_code")));
    la.set_name(std::string(table.Field(row, "name")));
    la.set_region(std::string(table.Field(row, "region")));
    const std::string status = absl::AsciiStrToLower(table.Field(row, "status"));
    if (status.empty() || status == "current") {
      la.set_status(v1::LA_STATUS_CURRENT);
    } else if (status == "former") {
      la.set_status(v1::LA_STATUS_FORMER);
    } else {
      errors.Add(row.line, "status", absl::StrCat("\"", status, "\" is not current or former"));
    }
    CheckLocalAuthority(la, row.line, errors);
    out.push_back(std::move(la));
  }
  absl::Status s = errors.ToStatus("local authorities");
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<Catalogue> ParseCatalogue(const CsvTable& table, std::optional<FinancialYear> year,
                                         const std::string& la_code) {
  absl::Status columns =
      table.RequireColumns({"code", "section", "title", "polarity", "unit", "period_type"});
  if (!columns.ok()) return columns;
  RowErrors errors;
  Catalogue catalogue;
  if (table.rows().empty()) errors.Add(0, "file", "has a header but no rows");
  for (const CsvRow& row : table.rows()) {
    v1::Indicator ind;
    ind.set_code(std::string(table.Field(row, "code")));
    ind.set_section(std::string(table.Field(row, "section")));
    ind.set_title(std::string(table.Field(row, "title")));
    ind.set_definition(std::string(table.Field(row, "definition")));
    ind.set_national_ref(std::string(table.Field(row, "national_ref")));
    ind.set_source_measure(std::string(table.Field(row, "source_measure")));
    ind.set_council_plan(YesNo(table.Field(row, "council_plan"), false));
    ind.set_quartiles(YesNo(table.Field(row, "quartiles"), true));
    if (auto p = ParsePolarity(table.Field(row, "polarity")); p.ok()) {
      ind.set_polarity(*p);
    } else {
      errors.Add(row.line, "polarity", p.status().message());
    }
    if (auto u = ParseUnit(table.Field(row, "unit")); u.ok()) {
      ind.set_unit(*u);
    } else {
      errors.Add(row.line, "unit", u.status().message());
    }
    if (auto t = ParsePeriodType(table.Field(row, "period_type")); t.ok()) {
      ind.set_period_type(*t);
    } else {
      errors.Add(row.line, "period_type", t.status().message());
    }
    const absl::string_view rag = table.Field(row, "rag_basis");
    if (rag.empty()) {
      ind.set_rag_basis(v1::RAG_BASIS_NONE);
    } else if (auto b = ParseRagBasis(rag); b.ok()) {
      ind.set_rag_basis(*b);
    } else {
      errors.Add(row.line, "rag_basis", b.status().message());
    }
    const absl::string_view places = table.Field(row, "decimal_places");
    if (!places.empty()) {
      int dp = 0;
      if (absl::SimpleAtoi(places, &dp)) {
        ind.set_decimal_places(dp);
      } else {
        errors.Add(row.line, "decimal_places",
                   absl::StrCat("\"", places, "\" is not a whole number"));
      }
    }
    CheckIndicator(ind, row.line, errors);

    std::optional<double> red;
    std::optional<double> green;
    std::optional<double> low;
    std::optional<double> high;
    std::optional<double> tolerance;
    // Every bad number is reported, so no short-circuit.
    bool numbers_ok = true;
    for (const auto& [column, out] :
         {std::pair<const char*, std::optional<double>*>{"red_threshold", &red},
          {"green_threshold", &green},
          {"range_low", &low},
          {"range_high", &high},
          {"range_tolerance_pct", &tolerance}}) {
      numbers_ok = ReadNumber(table, row, column, errors, *out) && numbers_ok;
    }
    const bool has_thresholds = red || green || low || high || tolerance;
    if (numbers_ok && year.has_value() && ind.polarity() != v1::POLARITY_INFO &&
        ind.polarity() != v1::POLARITY_UNSPECIFIED) {
      v1::Target target;
      target.set_indicator_code(ind.code());
      target.set_financial_year(year->ToString());
      target.set_la_code(la_code);
      if (!has_thresholds) {
        target.set_kind(v1::TARGET_KIND_NONE);
      } else if (ind.polarity() == v1::POLARITY_RANGE) {
        target.set_kind(v1::TARGET_KIND_RANGE);
        if (low) target.set_range_low(*low);
        if (high) target.set_range_high(*high);
        target.set_range_tolerance_pct(tolerance.value_or(0));
        if (red) target.set_red_threshold(*red);
        if (green) target.set_green_threshold(*green);
      } else {
        target.set_kind(v1::TARGET_KIND_THRESHOLDS);
        if (red) target.set_red_threshold(*red);
        if (green) target.set_green_threshold(*green);
        if (low) target.set_range_low(*low);
        if (high) target.set_range_high(*high);
      }
      CheckTarget(ind, target, row.line, errors);
      catalogue.targets.push_back(std::move(target));
    } else if (numbers_ok && has_thresholds) {
      if (ind.polarity() == v1::POLARITY_INFO) {
        errors.Add(row.line, "red_threshold",
                   absl::StrCat(ind.code(), " is an info indicator and cannot have thresholds"));
      } else {
        ++catalogue.ignored_thresholds;
      }
    }
    catalogue.indicators.push_back(std::move(ind));
  }
  absl::Status s = errors.ToStatus("indicators");
  if (!s.ok()) return s;
  return catalogue;
}

absl::StatusOr<std::vector<v1::ValueInput>> ParseValues(const CsvTable& table,
                                                        PeriodColumn period) {
  const std::string period_column = period == PeriodColumn::kMonth ? "period" : "financial_year";
  absl::Status columns = table.RequireColumns({"la_code", "code", period_column, "value"});
  if (!columns.ok()) return columns;
  RowErrors errors;
  std::vector<v1::ValueInput> out;
  out.reserve(table.rows().size());
  if (table.rows().empty()) errors.Add(0, "file", "has a header but no rows");
  for (const CsvRow& row : table.rows()) {
    v1::ValueInput v;
    v.set_row(row.line);
    v.set_la_code(std::string(table.Field(row, "la_code")));
    v.set_indicator_code(std::string(table.Field(row, "code")));
    const std::string when(table.Field(row, period_column));
    if (period == PeriodColumn::kMonth) {
      v.set_month(when);
    } else {
      v.set_financial_year(when);
    }
    if (v.la_code().empty()) errors.Add(row.line, "la_code", "is required");
    if (v.indicator_code().empty()) errors.Add(row.line, "code", "is required");
    if (when.empty()) errors.Add(row.line, period_column, "is required");
    std::optional<double> value;
    std::optional<double> numerator;
    std::optional<double> denominator;
    ReadNumber(table, row, "value", errors, value);
    ReadNumber(table, row, "numerator", errors, numerator);
    ReadNumber(table, row, "denominator", errors, denominator);
    if (value) v.set_value(*value);
    if (numerator) v.set_numerator(*numerator);
    if (denominator) v.set_denominator(*denominator);
    out.push_back(std::move(v));
  }
  absl::Status s = errors.ToStatus("values");
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<v1::Neighbour>> ParseNeighbours(const CsvTable& table) {
  absl::Status columns = table.RequireColumns({"la_code", "neighbour_la_code", "rank"});
  if (!columns.ok()) return columns;
  RowErrors errors;
  std::vector<v1::Neighbour> out;
  if (table.rows().empty()) errors.Add(0, "file", "has a header but no rows");
  for (const CsvRow& row : table.rows()) {
    v1::Neighbour n;
    n.set_row(row.line);
    n.set_la_code(std::string(table.Field(row, "la_code")));
    n.set_neighbour_la_code(std::string(table.Field(row, "neighbour_la_code")));
    n.set_closeness(std::string(table.Field(row, "closeness")));
    const absl::string_view rank = table.Field(row, "rank");
    int value = 0;
    if (!absl::SimpleAtoi(rank, &value)) {
      errors.Add(row.line, "rank", absl::StrCat("\"", rank, "\" is not a whole number"));
    }
    n.set_rank(value);
    if (!IsLaCode(n.la_code())) {
      errors.Add(row.line, "la_code", absl::StrCat("\"", n.la_code(), "\" is not a DfE LA code"));
    }
    if (!IsLaCode(n.neighbour_la_code())) {
      errors.Add(row.line, "neighbour_la_code",
                 absl::StrCat("\"", n.neighbour_la_code(), "\" is not a DfE LA code"));
    }
    out.push_back(std::move(n));
  }
  absl::Status s = errors.ToStatus("neighbours");
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<v1::PublishedComparator>> ParsePublishedComparators(
    const CsvTable& table, std::optional<FinancialYear> year) {
  absl::Status columns = table.RequireColumns({"la_code", "code", "statistical_neighbour_average",
                                               "best_statistical_neighbour", "national_average",
                                               "national_top_quartile_threshold"});
  if (!columns.ok()) return columns;
  RowErrors errors;
  std::vector<v1::PublishedComparator> out;
  if (table.rows().empty()) errors.Add(0, "file", "has a header but no rows");
  for (const CsvRow& row : table.rows()) {
    v1::PublishedComparator c;
    c.set_row(row.line);
    c.set_la_code(std::string(table.Field(row, "la_code")));
    c.set_indicator_code(std::string(table.Field(row, "code")));
    const absl::string_view row_year = table.Field(row, "year");
    if (!row_year.empty()) {
      c.set_financial_year(std::string(row_year));
    } else if (year.has_value()) {
      c.set_financial_year(year->ToString());
    } else {
      errors.Add(row.line, "year", "no comparator year: add a year column or give --year YYYY-YY");
    }
    std::optional<double> sn;
    std::optional<double> best;
    std::optional<double> national;
    std::optional<double> top;
    ReadNumber(table, row, "statistical_neighbour_average", errors, sn);
    ReadNumber(table, row, "best_statistical_neighbour", errors, best);
    ReadNumber(table, row, "national_average", errors, national);
    ReadNumber(table, row, "national_top_quartile_threshold", errors, top);
    if (sn) c.set_sn_average(*sn);
    if (best) c.set_best_sn(*best);
    if (national) c.set_national_average(*national);
    if (top) c.set_top_quartile_threshold(*top);
    out.push_back(std::move(c));
  }
  absl::Status s = errors.ToStatus("published comparators");
  if (!s.ok()) return s;
  return out;
}

}  // namespace carescore
