#include "common/measure.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace carescore {

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
