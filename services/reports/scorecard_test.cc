#include "services/reports/scorecard.h"

#include "common/measure.h"
#include "gtest/gtest.h"

namespace carescore::reports {
namespace {

v1::Indicator Ind(v1::Polarity polarity, v1::Unit unit, v1::PeriodType type) {
  v1::Indicator i;
  i.set_code("X");
  i.set_polarity(polarity);
  i.set_unit(unit);
  i.set_period_type(type);
  i.set_rag_basis(v1::RAG_BASIS_IN_MONTH);
  return i;
}

v1::Value V(const std::string& month, double value, std::optional<double> num = std::nullopt,
            std::optional<double> den = std::nullopt) {
  v1::Value v;
  v.set_month(month);
  v.set_value(value);
  if (num) v.set_numerator(*num);
  if (den) v.set_denominator(*den);
  return v;
}

v1::Target Thresholds(double red, double green) {
  v1::Target t;
  t.set_kind(v1::TARGET_KIND_THRESHOLDS);
  t.set_red_threshold(red);
  t.set_green_threshold(green);
  return t;
}

TEST(DirectionTest, DomainExamples) {
  const auto rate = Ind(v1::POLARITY_LOW, v1::UNIT_RATE_PER_10K, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(DirectionOf(116.3, 115.0, rate), v1::DIRECTION_DECLINING);
  const auto commissioned = Ind(v1::POLARITY_LOW, v1::UNIT_PERCENT, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(DirectionOf(52.0, 52.5, commissioned), v1::DIRECTION_IMPROVING);
  const auto lac = Ind(v1::POLARITY_INFO, v1::UNIT_COUNT, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(DirectionOf(658, 651, lac), v1::DIRECTION_INCREASE);
  const auto pathway = Ind(v1::POLARITY_HIGH, v1::UNIT_PERCENT, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(DirectionOf(95.0, 95.0, pathway), v1::DIRECTION_NO_CHANGE);
  // Compared at display precision: 95.04 shows as 95.0.
  EXPECT_EQ(DirectionOf(95.04, 95.0, pathway), v1::DIRECTION_NO_CHANGE);
  const auto caseload = Ind(v1::POLARITY_RANGE, v1::UNIT_AVERAGE, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(DirectionOf(14.6, 15.0, caseload), v1::DIRECTION_DECREASE);
}

TEST(RagTest, ThresholdsByPolarity) {
  const auto reviews = Ind(v1::POLARITY_HIGH, v1::UNIT_PERCENT, v1::PERIOD_TYPE_FINANCIAL_YTD);
  EXPECT_EQ(RagOf(89.9, Thresholds(90, 95), reviews), v1::RAG_RED);
  EXPECT_EQ(RagOf(90.0, Thresholds(90, 95), reviews), v1::RAG_AMBER);
  EXPECT_EQ(RagOf(95.0, Thresholds(90, 95), reviews), v1::RAG_GREEN);
  const auto moves = Ind(v1::POLARITY_LOW, v1::UNIT_PERCENT, v1::PERIOD_TYPE_ROLLING_12M);
  EXPECT_EQ(RagOf(13.0, Thresholds(13, 10.8), moves), v1::RAG_RED);
  EXPECT_EQ(RagOf(12.1, Thresholds(13, 10.8), moves), v1::RAG_AMBER);
  EXPECT_EQ(RagOf(10.8, Thresholds(13, 10.8), moves), v1::RAG_AMBER);
  EXPECT_EQ(RagOf(10.7, Thresholds(13, 10.8), moves), v1::RAG_GREEN);
  const auto a1 = Ind(v1::POLARITY_LOW, v1::UNIT_DAYS, v1::PERIOD_TYPE_YTD_AVERAGE);
  EXPECT_EQ(RagOf(351.4, Thresholds(511, 487), a1), v1::RAG_GREEN);
  EXPECT_EQ(RagOf(511, Thresholds(511, 487), a1), v1::RAG_RED);
  // A single target (6.2: 99.1) leaves no amber.
  const auto rate = Ind(v1::POLARITY_LOW, v1::UNIT_RATE_PER_10K, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_EQ(RagOf(116.3, Thresholds(99.1, 99.1), rate), v1::RAG_RED);
  EXPECT_EQ(RagOf(99.0, Thresholds(99.1, 99.1), rate), v1::RAG_GREEN);
}

TEST(RagTest, RangeWithTolerance) {
  const auto caseload = Ind(v1::POLARITY_RANGE, v1::UNIT_AVERAGE, v1::PERIOD_TYPE_MONTH_END);
  v1::Target range;
  range.set_kind(v1::TARGET_KIND_RANGE);
  range.set_range_low(14);
  range.set_range_high(20);
  range.set_range_tolerance_pct(5);
  EXPECT_EQ(RagOf(14.6, range, caseload), v1::RAG_GREEN);
  EXPECT_EQ(RagOf(20.0, range, caseload), v1::RAG_GREEN);
  EXPECT_EQ(RagOf(13.4, range, caseload), v1::RAG_AMBER);  // within 5% of 14 (13.3)
  EXPECT_EQ(RagOf(21.0, range, caseload), v1::RAG_AMBER);  // within 5% of 20 (21.0)
  EXPECT_EQ(RagOf(13.2, range, caseload), v1::RAG_RED);
  EXPECT_EQ(RagOf(21.1, range, caseload), v1::RAG_RED);
}

TEST(YearToDateTest, PooledPercentagesSummedCountsAndNone) {
  const auto reviews = Ind(v1::POLARITY_HIGH, v1::UNIT_PERCENT, v1::PERIOD_TYPE_FINANCIAL_YTD);
  std::map<std::string, v1::Value> months = {
      {"2018-03", V("2018-03", 91.0, 91, 100)},  // last financial year: not counted
      {"2018-04", V("2018-04", 85.6, 119, 139)}, {"2018-05", V("2018-05", 80.9, 131, 162)},
      {"2018-06", V("2018-06", 89.1, 131, 147)}, {"2018-07", V("2018-07", 88.8, 167, 188)},
      {"2018-08", V("2018-08", 81.3, 100, 123)}, {"2018-09", V("2018-09", 87.8, 130, 148)},
      {"2018-10", V("2018-10", 89.9, 133, 148)}};
  YearToDate ytd = ComputeYearToDate(reviews, months, Month(2018, 10));
  ASSERT_TRUE(ytd.value.has_value());
  EXPECT_EQ(FormatFigure(*ytd.value, 1), "86.4");  // 911 of 1055, not the mean of months
  EXPECT_EQ(*ytd.numerator, 911);
  EXPECT_EQ(*ytd.denominator, 1055);

  months["2018-06"].clear_numerator();
  months["2018-06"].clear_denominator();
  YearToDate none = ComputeYearToDate(reviews, months, Month(2018, 10));
  EXPECT_FALSE(none.value.has_value());
  EXPECT_NE(none.note.find("2018-06"), std::string::npos);

  const auto admissions = Ind(v1::POLARITY_INFO, v1::UNIT_COUNT, v1::PERIOD_TYPE_FINANCIAL_YTD);
  std::map<std::string, v1::Value> counts = {{"2018-04", V("2018-04", 20)},
                                             {"2018-05", V("2018-05", 30)}};
  EXPECT_EQ(*ComputeYearToDate(admissions, counts, Month(2018, 5)).value, 50);

  const auto snapshot = Ind(v1::POLARITY_INFO, v1::UNIT_COUNT, v1::PERIOD_TYPE_MONTH_END);
  EXPECT_FALSE(ComputeYearToDate(snapshot, counts, Month(2018, 5)).value.has_value());
  const auto a1 = Ind(v1::POLARITY_LOW, v1::UNIT_DAYS, v1::PERIOD_TYPE_YTD_AVERAGE);
  EXPECT_EQ(*ComputeYearToDate(a1, counts, Month(2018, 5)).value, 30);
}

TEST(SignificanceTest, TwoProportionZTest) {
  const auto reviews = Ind(v1::POLARITY_HIGH, v1::UNIT_PERCENT, v1::PERIOD_TYPE_FINANCIAL_YTD);
  // 133/148 against 130/148: z = 0.55, within chance.
  auto small = SignificanceOf(V("2018-10", 89.9, 133, 148), V("2018-09", 87.8, 130, 148), reviews);
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->kind(), v1::FLAG_KIND_NOT_SIGNIFICANT);
  EXPECT_NE(small->message().find("z-test"), std::string::npos);
  // 131/162 against 167/188: z = 2.3.
  auto big = SignificanceOf(V("2018-05", 80.9, 131, 162), V("2018-07", 88.8, 167, 188), reviews);
  EXPECT_EQ(big->kind(), v1::FLAG_KIND_SIGNIFICANT);
  EXPECT_FALSE(SignificanceOf(V("2018-10", 90), V("2018-09", 80), reviews).has_value());
}

TEST(BuildLineTest, FlagsSmallDenominatorsAndRevisions) {
  IndicatorFigures f;
  f.indicator = Ind(v1::POLARITY_HIGH, v1::UNIT_PERCENT, v1::PERIOD_TYPE_FINANCIAL_YTD);
  f.months["2018-01"] = V("2018-01", 50.0, 1, 2);
  v1::Value first = V("2018-01", 40.0, 2, 5);
  f.history = {first, f.months["2018-01"]};
  v1::ScorecardLine line = BuildLine(f, Month(2018, 1));
  bool small = false;
  bool revised = false;
  for (const v1::Flag& flag : line.flags()) {
    small = small || flag.kind() == v1::FLAG_KIND_SMALL_DENOMINATOR;
    revised =
        revised || (flag.kind() == v1::FLAG_KIND_REVISED &&
                    flag.message().find("first reported as 40.0, now 50.0") != std::string::npos);
  }
  EXPECT_TRUE(small);
  EXPECT_TRUE(revised);
  EXPECT_EQ(line.rag(), v1::RAG_NONE);
  EXPECT_EQ(line.rag_note(), "no target set for 2017-18");
  EXPECT_EQ(line.dot(), v1::DIRECTION_NONE);
  EXPECT_EQ(line.outturns_size(), 4);
  EXPECT_EQ(line.outturns(0).financial_year(), "2013-14");
}

TEST(BuildLineTest, DistanceToTheNextMilestone) {
  // "Reduce from 45 to 30 by July 2017, then to 20 by December 2017."
  IndicatorFigures f;
  f.indicator = Ind(v1::POLARITY_LOW, v1::UNIT_COUNT, v1::PERIOD_TYPE_MONTH_END);
  f.months["2017-08"] = V("2017-08", 27);
  for (const auto& [month, target] : {std::pair{"2017-07", 30.0}, std::pair{"2017-12", 20.0}}) {
    v1::Milestone m;
    m.set_month(month);
    m.set_target_value(target);
    f.milestones.push_back(m);
  }
  v1::ScorecardLine line = BuildLine(f, Month(2017, 8));
  EXPECT_EQ(line.next_milestone().month(), "2017-12");
  EXPECT_DOUBLE_EQ(line.distance_to_milestone(), -7);  // 7 still to go
  v1::ScorecardLine later = BuildLine(f, Month(2018, 1));
  EXPECT_FALSE(later.has_next_milestone());
}

}  // namespace
}  // namespace carescore::reports
