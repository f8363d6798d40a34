#include "common/validation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/measure.h"
#include "common/period.h"
#include "common/words.h"

namespace carescore {
namespace {

bool AllDigits(absl::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

std::string Num(double v) { return absl::StrFormat("%.10g", v); }

bool CheckFinite(const char* field, bool present, double v, int row, RowErrors& errors) {
  if (present && !std::isfinite(v)) {
    errors.Add(row, field, "must be a finite number");
    return false;
  }
  return true;
}

}  // namespace

bool IsLaCode(absl::string_view code) { return code.size() == 3 && AllDigits(code); }

bool IsOnsCode(absl::string_view code) {
  return code.size() == 9 &&
         (code[0] == 'E' || code[0] == 'W' || code[0] == 'S' || code[0] == 'N') &&
         AllDigits(code.substr(1));
}

absl::Status CheckLaCode(absl::string_view code) {
  if (IsLaCode(code)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("la_code \"", code, "\" is not a DfE LA code (three digits)"));
}

bool IsIndicatorCode(absl::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  return std::none_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isspace(static_cast<unsigned char>(c)) || c == ',' || c == '"';
  });
}

bool CheckLocalAuthority(const v1::LocalAuthority& la, int row, RowErrors& errors) {
  const size_t before = errors.size();
  if (!IsLaCode(la.la_code())) {
    errors.Add(row, "la_code",
               absl::StrCat("\"", la.la_code(), "\" is not a DfE LA code (three digits)"));
  }
  if (!la.ons_code().empty() && !IsOnsCode(la.ons_code())) {
    errors.Add(row, "ons_code",
               absl::StrCat("\"", la.ons_code(), "\" is not an ONS code (e.g. E08000018)"));
  }
  if (absl::StripAsciiWhitespace(la.name()).empty()) errors.Add(row, "name", "is required");
  if (la.status() == v1::LA_STATUS_UNSPECIFIED) {
    errors.Add(row, "status", "must be current or former");
  }
  return errors.size() == before;
}

bool CheckIndicator(const v1::Indicator& indicator, int row, RowErrors& errors) {
  const size_t before = errors.size();
  if (!IsIndicatorCode(indicator.code())) {
    errors.Add(row, "code",
               absl::StrCat("\"", indicator.code(),
                            "\" is not an indicator code (1-64 characters, no spaces or commas)"));
  }
  if (absl::StripAsciiWhitespace(indicator.section()).empty()) {
    errors.Add(row, "section", "is required");
  }
  if (absl::StripAsciiWhitespace(indicator.title()).empty()) {
    errors.Add(row, "title", "is required");
  }
  if (indicator.polarity() == v1::POLARITY_UNSPECIFIED) {
    errors.Add(row, "polarity", "is required (high, low, info or range)");
  }
  if (indicator.unit() == v1::UNIT_UNSPECIFIED) errors.Add(row, "unit", "is required");
  if (indicator.period_type() == v1::PERIOD_TYPE_UNSPECIFIED) {
    errors.Add(row, "period_type", "is required");
  }
  if (indicator.has_decimal_places() &&
      (indicator.decimal_places() < 0 || indicator.decimal_places() > 6)) {
    errors.Add(row, "decimal_places", "must be 0 to 6");
  }
  if (indicator.polarity() == v1::POLARITY_INFO &&
      (indicator.rag_basis() == v1::RAG_BASIS_IN_MONTH ||
       indicator.rag_basis() == v1::RAG_BASIS_YTD)) {
    errors.Add(row, "rag_basis", "an info indicator has no judgement, so it cannot be RAG rated");
  }
  return errors.size() == before;
}

bool CheckTarget(const v1::Indicator& indicator, const v1::Target& target, int row,
                 RowErrors& errors) {
  const size_t before = errors.size();
  if (!FinancialYear::Parse(target.financial_year()).ok()) {
    errors.Add(row, "financial_year",
               absl::StrCat("\"", target.financial_year(), "\" is not a financial year (YYYY-YY)"));
  }
  if (!target.la_code().empty() && !IsLaCode(target.la_code())) {
    errors.Add(row, "la_code", absl::StrCat("\"", target.la_code(), "\" is not a DfE LA code"));
  }
  const bool any_threshold = target.has_red_threshold() || target.has_green_threshold();
  const bool any_range =
      target.has_range_low() || target.has_range_high() || target.has_range_tolerance_pct();
  for (const auto& [field, present, v] :
       {std::tuple{"red_threshold", target.has_red_threshold(), target.red_threshold()},
        std::tuple{"green_threshold", target.has_green_threshold(), target.green_threshold()},
        std::tuple{"range_low", target.has_range_low(), target.range_low()},
        std::tuple{"range_high", target.has_range_high(), target.range_high()},
        std::tuple{"range_tolerance_pct", target.has_range_tolerance_pct(),
                   target.range_tolerance_pct()}}) {
    CheckFinite(field, present, v, row, errors);
  }
  const v1::Polarity polarity = indicator.polarity();
  switch (target.kind()) {
    case v1::TARGET_KIND_NONE:
      if (any_threshold || any_range) {
        errors.Add(row, "kind", "a target of kind none cannot have thresholds");
      }
      break;
    case v1::TARGET_KIND_THRESHOLDS: {
      if (polarity != v1::POLARITY_HIGH && polarity != v1::POLARITY_LOW) {
        errors.Add(row, "kind",
                   absl::StrCat("red/green thresholds need high or low polarity; ",
                                indicator.code(), " is ", PolarityWord(polarity)));
        break;
      }
      if (!target.has_red_threshold()) errors.Add(row, "red_threshold", "is required");
      if (!target.has_green_threshold()) errors.Add(row, "green_threshold", "is required");
      if (any_range) errors.Add(row, "range_low", "a threshold target has no range");
      if (!target.has_red_threshold() || !target.has_green_threshold()) break;
      const double red = target.red_threshold();
      const double green = target.green_threshold();
      if (polarity == v1::POLARITY_HIGH && red > green) {
        errors.Add(row, "red_threshold",
                   absl::StrCat("good performance is high, so red (below ", Num(red),
                                ") must not be above green (from ", Num(green), ")"));
      }
      if (polarity == v1::POLARITY_LOW && red < green) {
        errors.Add(row, "red_threshold",
                   absl::StrCat("good performance is low, so red (from ", Num(red),
                                ") must not be below green (below ", Num(green), ")"));
      }
      break;
    }
    case v1::TARGET_KIND_RANGE:
      if (polarity != v1::POLARITY_RANGE) {
        errors.Add(row, "kind",
                   absl::StrCat("a range target needs range polarity; ", indicator.code(), " is ",
                                PolarityWord(polarity)));
        break;
      }
      if (!target.has_range_low()) errors.Add(row, "range_low", "is required");
      if (!target.has_range_high()) errors.Add(row, "range_high", "is required");
      if (any_threshold) errors.Add(row, "red_threshold", "a range target has no thresholds");
      if (target.has_range_low() && target.has_range_high() &&
          target.range_low() > target.range_high()) {
        errors.Add(row, "range_low", "must not be above range_high");
      }
      if (target.has_range_tolerance_pct() && target.range_tolerance_pct() < 0) {
        errors.Add(row, "range_tolerance_pct", "must not be negative");
      }
      break;
    default:
      errors.Add(row, "kind", "is required (thresholds, range or none)");
  }
  return errors.size() == before;
}

bool CheckMilestone(const v1::Indicator& indicator, const v1::Milestone& milestone, int row,
                    RowErrors& errors) {
  const size_t before = errors.size();
  if (!Month::Parse(milestone.month()).ok()) {
    errors.Add(row, "month", absl::StrCat("\"", milestone.month(), "\" is not a month (YYYY-MM)"));
  }
  CheckFinite("target_value", true, milestone.target_value(), row, errors);
  if (indicator.polarity() == v1::POLARITY_INFO) {
    errors.Add(row, "indicator_code",
               absl::StrCat(indicator.code(), " is an info indicator and has no trajectory"));
  }
  if (indicator.unit() == v1::UNIT_PERCENT &&
      (milestone.target_value() < 0 || milestone.target_value() > 100)) {
    errors.Add(row, "target_value", "a percentage must be between 0 and 100");
  }
  return errors.size() == before;
}

bool CheckValueInput(const v1::Indicator& indicator, const v1::ValueInput& input, int row,
                     RowErrors& errors) {
  const size_t before = errors.size();
  switch (input.period_case()) {
    case v1::ValueInput::kMonth:
      if (absl::StatusOr<Month> m = Month::Parse(input.month()); !m.ok()) {
        errors.Add(row, "period", m.status().message());
      } else if (indicator.period_type() == v1::PERIOD_TYPE_ANNUAL) {
        errors.Add(row, "period",
                   absl::StrCat(indicator.code(),
                                " is published once a year: give a financial year, not a month"));
      }
      break;
    case v1::ValueInput::kFinancialYear:
      if (absl::StatusOr<FinancialYear> fy = FinancialYear::Parse(input.financial_year());
          !fy.ok()) {
        errors.Add(row, "financial_year", fy.status().message());
      }
      break;
    default:
      errors.Add(row, "period", "a month or a financial year is required");
  }
  // Every non-finite field is reported, so no short-circuit.
  bool ok_numbers = CheckFinite("value", input.has_value(), input.value(), row, errors);
  ok_numbers =
      CheckFinite("numerator", input.has_numerator(), input.numerator(), row, errors) && ok_numbers;
  ok_numbers =
      CheckFinite("denominator", input.has_denominator(), input.denominator(), row, errors) &&
      ok_numbers;
  if (!ok_numbers) return false;

  const bool is_percent = indicator.unit() == v1::UNIT_PERCENT;
  if (input.has_value()) CheckInUnitRange(indicator, input.value(), "value", row, errors);
  if (input.has_numerator() != input.has_denominator()) {
    errors.Add(row, input.has_numerator() ? "denominator" : "numerator",
               "numerator and denominator must be given together");
    return false;
  }
  if (!input.has_numerator()) return errors.size() == before;

  const double num = input.numerator();
  const double den = input.denominator();
  if (den <= 0) {
    errors.Add(row, "denominator", absl::StrCat(Num(den), " must be greater than zero"));
    return false;
  }
  if (num < 0) {
    errors.Add(row, "numerator", absl::StrCat(Num(num), " is negative"));
    return false;
  }
  if (is_percent && num > den) {
    errors.Add(row, "numerator",
               absl::StrCat("numerator ", Num(num), " exceeds denominator ", Num(den),
                            ": a percentage cannot be over 100"));
    return false;
  }
  if (input.has_value()) {
    const int places = DecimalPlaces(indicator);
    const double exact = RatioValue(num, den, UnitScale(indicator.unit()));
    const double half_unit = 0.5 * std::pow(10.0, -places);
    // Published values are the exact ratio rounded half away from zero, so
    // they sit within half a unit of the last place; the slack absorbs
    // binary representation only.
    if (std::fabs(input.value() - exact) > half_unit * (1 + 1e-9) + 1e-12) {
      errors.Add(row, "value",
                 absl::StrCat(Num(input.value()), " disagrees with ", Num(num), " of ", Num(den),
                              " (", FormatFigure(exact, places), " at ", places,
                              places == 1 ? " decimal place)" : " decimal places)"));
    }
  }
  return errors.size() == before;
}

void DeriveValue(const v1::Indicator& indicator, v1::ValueInput& input) {
  if (input.has_value() || !input.has_numerator() || !input.has_denominator() ||
      input.denominator() <= 0) {
    return;
  }
  input.set_value(RoundHalfAwayFromZero(
      RatioValue(input.numerator(), input.denominator(), UnitScale(indicator.unit())),
      DecimalPlaces(indicator)));
}

bool CheckInUnitRange(const v1::Indicator& indicator, double value, absl::string_view field,
                      int row, RowErrors& errors) {
  if (value < 0) {
    errors.Add(row, field, absl::StrCat(Num(value), " is negative"));
    return false;
  }
  if (indicator.unit() == v1::UNIT_PERCENT && value > 100) {
    errors.Add(row, field, absl::StrCat(Num(value), " is not a percentage between 0 and 100"));
    return false;
  }
  return true;
}

bool ParseDecimal(absl::string_view text, double* out) {
  text = absl::StripAsciiWhitespace(text);
  size_t i = 0;
  auto digits = [&text, &i] {
    const size_t from = i;
    while (i < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) ++i;
    return i - from;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  if (i != text.size()) return false;
  double v = 0;
  if (!absl::SimpleAtod(text, &v) || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace carescore
