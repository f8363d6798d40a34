#ifndef CARESCORE_COMMON_MEASURE_H_
#define CARESCORE_COMMON_MEASURE_H_

// The arithmetic of published figures (the words for the enums are in
// common/words.h): rounding half away from zero, numerator/denominator ratios and
// pooling. Pure functions, thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/indicators.pb.h"

namespace carescore {

// What a numerator/denominator ratio is multiplied by to give the value:
// 100 for percentages, 10,000 for rates per 10,000, 1 otherwise.
double UnitScale(v1::Unit u);
// The decimal places an indicator's figures are published to: its own, or
// the unit's default (0 for counts, 1 for everything else).
int DecimalPlaces(const v1::Indicator& indicator);

// Rounds half away from zero, as published figures are (5 of 16 = 31.3%).
// Ties are recognised despite binary representation (2.675 -> 2.68).
double RoundHalfAwayFromZero(double x, int decimal_places);

// numerator / denominator * scale, unrounded. The caller guarantees
// denominator > 0.
double RatioValue(double numerator, double denominator, double scale);

// Running sums for a pooled ratio (sum of numerators over sum of
// denominators), e.g. a year-to-date percentage from monthly counts.
class PooledRatio {
 public:
  void Add(double numerator, double denominator) {
    numerator_ += numerator;
    denominator_ += denominator;
    ++parts_;
  }
  double numerator() const { return numerator_; }
  double denominator() const { return denominator_; }
  int parts() const { return parts_; }
  // Absent when nothing was added or the denominators sum to zero.
  std::optional<double> Value(double scale) const;

 private:
  double numerator_ = 0;
  double denominator_ = 0;
  int parts_ = 0;
};

// Quantile p (0..1) of ascending `sorted` (non-empty) by linear
// interpolation between order statistics ("type 7", the common default):
// h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
double Quantile7(const std::vector<double>& sorted, double p);

// Formats a figure at `decimal_places` after rounding half away from zero.
std::string FormatFigure(double value, int decimal_places);

}  // namespace carescore

#endif  // CARESCORE_COMMON_MEASURE_H_
