#ifndef CARESCORE_SERVICES_BENCHMARKS_COMPARATORS_H_
#define CARESCORE_SERVICES_BENCHMARKS_COMPARATORS_H_

// The DfE's benchmarking method, as pure functions over values. No I/O,
// thread-safe.
//
// - Rank over all LAs with a value: 1 = best by polarity, ties share the
//   best rank (1 + the number of LAs strictly better).
// - Quartile cut points by linear interpolation between order statistics
//   ("type 7", the common default).
// - Bands: for high polarity above Q3 is A, above Q2 B, above Q1 C, else D;
//   for low polarity at or below Q1 is A, at or below Q2 B, at or below Q3
//   C, else D.
// - Top quartile threshold: the cut point of band A, Q3 for high polarity,
//   Q1 for low.
// - Statistical neighbour average: the plain mean of the neighbours that
//   have a value (or the median, on request).

#include <optional>
#include <string>
#include <vector>

#include "carescore/v1/benchmarks.pb.h"
#include "carescore/v1/indicators.pb.h"

namespace carescore::benchmarks {

struct LaValue {
  std::string la_code;
  double value;
  std::optional<double> numerator;
  std::optional<double> denominator;
};

struct Quartiles {
  double q1;
  double q2;
  double q3;
};
// `values` must not be empty.
Quartiles QuartilesOf(std::vector<double> values);

// True for polarities that are judged (high and low); range and info are not
// ranked or banded.
bool IsRankable(v1::Polarity polarity);
// True if `a` is strictly better than `b`. Only for rankable polarities.
bool Better(double a, double b, v1::Polarity polarity);
v1::QuartileBand Band(double value, const Quartiles& q, v1::Polarity polarity);
double TopQuartileThreshold(const Quartiles& q, v1::Polarity polarity);

struct Ranked {
  std::string la_code;
  double value;
  int rank;
};
// Best first, ties in LA code order. Only for rankable polarities.
std::vector<Ranked> RankAll(const std::vector<LaValue>& values, v1::Polarity polarity);

// The aggregate of `values` (non-empty): mean or median.
double Aggregate(std::vector<double> values, v1::SnAggregate how);

struct NationalFigure {
  double value;
  v1::NationalMethod method;
};
// Pooled (sum of numerators over sum of denominators, times the unit's
// scale) when every value has both; otherwise the mean of the values.
// Nothing for no values.
std::optional<NationalFigure> National(const std::vector<LaValue>& values,
                                       const v1::Indicator& indicator);

// Value minus comparator, and whether that is better, worse or the same at
// the indicator's display precision; info and range are not judged.
v1::Gap GapTo(double value, double comparator, const v1::Indicator& indicator);

// Band letter, "" for unspecified.
std::string BandLetter(v1::QuartileBand band);

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_COMPARATORS_H_
