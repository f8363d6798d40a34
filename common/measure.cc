#include "common/measure.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace carescore {
namespace {

template <typename E, size_t N>
using WordTable = std::array<std::pair<const char*, E>, N>;

constexpr WordTable<v1::Polarity, 4> kPolarities = {{{"high", v1::POLARITY_HIGH},
                                                     {"low", v1::POLARITY_LOW},
                                                     {"info", v1::POLARITY_INFO},
                                                     {"range", v1::POLARITY_RANGE}}};
constexpr WordTable<v1::Unit, 5> kUnits = {{{"count", v1::UNIT_COUNT},
                                            {"percent", v1::UNIT_PERCENT},
                                            {"rate_per_10k", v1::UNIT_RATE_PER_10K},
                                            {"days", v1::UNIT_DAYS},
                                            {"average", v1::UNIT_AVERAGE}}};
constexpr WordTable<v1::PeriodType, 7> kPeriodTypes = {
    {{"month_end", v1::PERIOD_TYPE_MONTH_END},
     {"financial_ytd", v1::PERIOD_TYPE_FINANCIAL_YTD},
     {"rolling_12m", v1::PERIOD_TYPE_ROLLING_12M},
     {"ytd_average", v1::PERIOD_TYPE_YTD_AVERAGE},
     {"termly", v1::PERIOD_TYPE_TERMLY},
     {"quarterly", v1::PERIOD_TYPE_QUARTERLY},
     {"annual", v1::PERIOD_TYPE_ANNUAL}}};
constexpr WordTable<v1::RagBasis, 3> kRagBases = {{{"in_month", v1::RAG_BASIS_IN_MONTH},
                                                   {"ytd", v1::RAG_BASIS_YTD},
                                                   {"none", v1::RAG_BASIS_NONE}}};

template <typename E, size_t N>
absl::StatusOr<E> ParseWord(const WordTable<E, N>& table, absl::string_view what,
                            absl::string_view word) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
  for (const auto& [name, value] : table) {
    if (lower == name) return value;
  }
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.first);
  return absl::InvalidArgumentError(absl::StrCat("unknown ", what, " \"", word,
                                                 "\": expected one of ",
                                                 absl::StrJoin(names, ", ")));
}

template <typename E, size_t N>
std::string WordOf(const WordTable<E, N>& table, E value) {
  for (const auto& [name, v] : table) {
    if (v == value) return name;
  }
  return "unspecified";
}

}  // namespace

absl::StatusOr<v1::Polarity> ParsePolarity(absl::string_view word) {
  return ParseWord(kPolarities, "polarity", word);
}
std::string PolarityWord(v1::Polarity p) { return WordOf(kPolarities, p); }
absl::StatusOr<v1::Unit> ParseUnit(absl::string_view word) {
  return ParseWord(kUnits, "unit", word);
}
std::string UnitWord(v1::Unit u) { return WordOf(kUnits, u); }
absl::StatusOr<v1::PeriodType> ParsePeriodType(absl::string_view word) {
  return ParseWord(kPeriodTypes, "period type", word);
}
std::string PeriodTypeWord(v1::PeriodType t) { return WordOf(kPeriodTypes, t); }
absl::StatusOr<v1::RagBasis> ParseRagBasis(absl::string_view word) {
  return ParseWord(kRagBases, "RAG basis", word);
}
std::string RagBasisWord(v1::RagBasis b) { return WordOf(kRagBases, b); }

double UnitScale(v1::Unit u) {
  switch (u) {
    case v1::UNIT_PERCENT:
      return 100.0;
    case v1::UNIT_RATE_PER_10K:
      return 10000.0;
    default:
      return 1.0;
  }
}

int DecimalPlaces(const v1::Indicator& indicator) {
  if (indicator.has_decimal_places()) return indicator.decimal_places();
  return indicator.unit() == v1::UNIT_COUNT ? 0 : 1;
}

double RoundHalfAwayFromZero(double x, int decimal_places) {
  const double scale = std::pow(10.0, decimal_places);
  const double scaled = std::fabs(x) * scale;
  // 2.675 is stored as 2.67499999...; a relative nudge far below any
  // published precision makes such ties round the way the decimal would.
  const double rounded = std::floor(scaled + 0.5 + scaled * 1e-12) / scale;
  return std::copysign(rounded, x);
}

double RatioValue(double numerator, double denominator, double scale) {
  return numerator / denominator * scale;
}

std::optional<double> PooledRatio::Value(double scale) const {
  if (parts_ == 0 || denominator_ <= 0) return std::nullopt;
  return RatioValue(numerator_, denominator_, scale);
}

double Quantile7(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double lower = std::floor(h);
  const auto i = static_cast<size_t>(lower);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - lower) * (sorted[i + 1] - sorted[i]);
}

std::string FormatFigure(double value, int decimal_places) {
  const double rounded = RoundHalfAwayFromZero(value, decimal_places);
  // Avoid printing "-0.0" for a value that rounds to zero.
  return absl::StrFormat("%.*f", decimal_places, rounded == 0 ? 0.0 : rounded);
}

}  // namespace carescore
