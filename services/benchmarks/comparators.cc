#include "services/benchmarks/comparators.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/measure.h"

namespace carescore::benchmarks {

Quartiles QuartilesOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {Quantile7(values, 0.25), Quantile7(values, 0.5), Quantile7(values, 0.75)};
}

bool IsRankable(v1::Polarity polarity) {
  return polarity == v1::POLARITY_HIGH || polarity == v1::POLARITY_LOW;
}

bool Better(double a, double b, v1::Polarity polarity) {
  return polarity == v1::POLARITY_HIGH ? a > b : a < b;
}

v1::QuartileBand Band(double value, const Quartiles& q, v1::Polarity polarity) {
  if (polarity == v1::POLARITY_HIGH) {
    if (value > q.q3) return v1::QUARTILE_BAND_A;
    if (value > q.q2) return v1::QUARTILE_BAND_B;
    if (value > q.q1) return v1::QUARTILE_BAND_C;
    return v1::QUARTILE_BAND_D;
  }
  if (value <= q.q1) return v1::QUARTILE_BAND_A;
  if (value <= q.q2) return v1::QUARTILE_BAND_B;
  if (value <= q.q3) return v1::QUARTILE_BAND_C;
  return v1::QUARTILE_BAND_D;
}

double TopQuartileThreshold(const Quartiles& q, v1::Polarity polarity) {
  return polarity == v1::POLARITY_HIGH ? q.q3 : q.q1;
}

std::vector<Ranked> RankAll(const std::vector<LaValue>& values, v1::Polarity polarity) {
  std::vector<Ranked> ranked;
  ranked.reserve(values.size());
  for (const LaValue& v : values) ranked.push_back({v.la_code, v.value, 0});
  std::sort(ranked.begin(), ranked.end(), [polarity](const Ranked& a, const Ranked& b) {
    if (a.value != b.value) return Better(a.value, b.value, polarity);
    return a.la_code < b.la_code;
  });
  // Sorted best first, so an LA's rank is one past the LAs before its run of
  // equal values.
  for (size_t i = 0; i < ranked.size(); ++i) {
    ranked[i].rank = (i > 0 && ranked[i].value == ranked[i - 1].value) ? ranked[i - 1].rank
                                                                       : static_cast<int>(i) + 1;
  }
  return ranked;
}

double Aggregate(std::vector<double> values, v1::SnAggregate how) {
  if (how == v1::SN_AGGREGATE_MEDIAN) {
    std::sort(values.begin(), values.end());
    return Quantile7(values, 0.5);
  }
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::optional<NationalFigure> National(const std::vector<LaValue>& values,
                                       const v1::Indicator& indicator) {
  if (values.empty()) return std::nullopt;
  const bool poolable = std::all_of(values.begin(), values.end(), [](const LaValue& v) {
    return v.numerator.has_value() && v.denominator.has_value();
  });
  if (poolable) {
    PooledRatio pooled;
    for (const LaValue& v : values) pooled.Add(*v.numerator, *v.denominator);
    if (std::optional<double> value = pooled.Value(UnitScale(indicator.unit()))) {
      return NationalFigure{*value, v1::NATIONAL_METHOD_POOLED};
    }
  }
  std::vector<double> plain;
  plain.reserve(values.size());
  for (const LaValue& v : values) plain.push_back(v.value);
  return NationalFigure{Aggregate(std::move(plain), v1::SN_AGGREGATE_MEAN),
                        v1::NATIONAL_METHOD_MEAN};
}

v1::Gap GapTo(double value, double comparator, const v1::Indicator& indicator) {
  v1::Gap gap;
  gap.set_difference(value - comparator);
  if (!IsRankable(indicator.polarity())) {
    gap.set_position(v1::POSITION_NOT_JUDGED);
    return gap;
  }
  // Judged as the report shows the figures, so 95.0 against 95.0 is the same.
  const int places = DecimalPlaces(indicator);
  const double shown_value = RoundHalfAwayFromZero(value, places);
  const double shown_comparator = RoundHalfAwayFromZero(comparator, places);
  if (shown_value == shown_comparator) {
    gap.set_position(v1::POSITION_SAME);
  } else {
    gap.set_position(Better(shown_value, shown_comparator, indicator.polarity())
                         ? v1::POSITION_BETTER
                         : v1::POSITION_WORSE);
  }
  return gap;
}

std::string BandLetter(v1::QuartileBand band) {
  switch (band) {
    case v1::QUARTILE_BAND_A:
      return "A";
    case v1::QUARTILE_BAND_B:
      return "B";
    case v1::QUARTILE_BAND_C:
      return "C";
    case v1::QUARTILE_BAND_D:
      return "D";
    default:
      return "";
  }
}

}  // namespace carescore::benchmarks
