#include "services/benchmarks/comparators.h"

#include "gtest/gtest.h"

namespace carescore::benchmarks {
namespace {

std::vector<LaValue> Values(const std::vector<std::pair<const char*, double>>& v) {
  std::vector<LaValue> out;
  for (const auto& [la, value] : v) out.push_back({la, value, std::nullopt, std::nullopt});
  return out;
}

v1::Indicator Ind(v1::Polarity polarity, v1::Unit unit = v1::UNIT_PERCENT) {
  v1::Indicator i;
  i.set_code("X");
  i.set_polarity(polarity);
  i.set_unit(unit);
  return i;
}

TEST(QuantileTest, Type7ByHand) {
  // 1..10: h = 9p; Q1 = x[2] + 0.25 (x[3] - x[2]) = 3.25, Q2 = 5.5, Q3 = 7.75.
  Quartiles q = QuartilesOf({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  EXPECT_DOUBLE_EQ(q.q1, 3.25);
  EXPECT_DOUBLE_EQ(q.q2, 5.5);
  EXPECT_DOUBLE_EQ(q.q3, 7.75);
  Quartiles one = QuartilesOf({42});
  EXPECT_DOUBLE_EQ(one.q1, 42);
  EXPECT_DOUBLE_EQ(one.q3, 42);
  // Two values: Q1 = 1 + 0.25 * (3 - 1).
  EXPECT_DOUBLE_EQ(QuartilesOf({3, 1}).q1, 1.5);
}

TEST(BandTest, HighPolarityCutPointsBelongBelow) {
  const Quartiles q{3.25, 5.5, 7.75};
  EXPECT_EQ(Band(8, q, v1::POLARITY_HIGH), v1::QUARTILE_BAND_A);
  EXPECT_EQ(Band(7.75, q, v1::POLARITY_HIGH), v1::QUARTILE_BAND_B);  // on Q3: not above it
  EXPECT_EQ(Band(5.6, q, v1::POLARITY_HIGH), v1::QUARTILE_BAND_B);
  EXPECT_EQ(Band(5.5, q, v1::POLARITY_HIGH), v1::QUARTILE_BAND_C);
  EXPECT_EQ(Band(3.25, q, v1::POLARITY_HIGH), v1::QUARTILE_BAND_D);
  EXPECT_DOUBLE_EQ(TopQuartileThreshold(q, v1::POLARITY_HIGH), 7.75);
}

TEST(BandTest, LowPolarityCutPointsBelongAbove) {
  const Quartiles q{3.25, 5.5, 7.75};
  EXPECT_EQ(Band(3.25, q, v1::POLARITY_LOW), v1::QUARTILE_BAND_A);  // on Q1: at or below
  EXPECT_EQ(Band(3.26, q, v1::POLARITY_LOW), v1::QUARTILE_BAND_B);
  EXPECT_EQ(Band(5.5, q, v1::POLARITY_LOW), v1::QUARTILE_BAND_B);
  EXPECT_EQ(Band(7.75, q, v1::POLARITY_LOW), v1::QUARTILE_BAND_C);
  EXPECT_EQ(Band(7.76, q, v1::POLARITY_LOW), v1::QUARTILE_BAND_D);
  EXPECT_DOUBLE_EQ(TopQuartileThreshold(q, v1::POLARITY_LOW), 3.25);
}

TEST(RankTest, TiesShareTheBestRank) {
  auto values = Values({{"301", 5}, {"302", 7}, {"303", 7}, {"304", 9}});
  std::vector<Ranked> high = RankAll(values, v1::POLARITY_HIGH);
  ASSERT_EQ(high.size(), 4u);
  EXPECT_EQ(high[0].la_code, "304");
  EXPECT_EQ(high[0].rank, 1);
  EXPECT_EQ(high[1].la_code, "302");
  EXPECT_EQ(high[1].rank, 2);
  EXPECT_EQ(high[2].la_code, "303");
  EXPECT_EQ(high[2].rank, 2);
  EXPECT_EQ(high[3].rank, 4);
  std::vector<Ranked> low = RankAll(values, v1::POLARITY_LOW);
  EXPECT_EQ(low[0].la_code, "301");
  EXPECT_EQ(low[0].rank, 1);
  EXPECT_EQ(low[2].rank, 2);
  EXPECT_EQ(low[3].la_code, "304");
  EXPECT_EQ(low[3].rank, 4);
}

TEST(AggregateTest, MeanAndMedian) {
  EXPECT_DOUBLE_EQ(Aggregate({1, 2, 9}, v1::SN_AGGREGATE_MEAN), 4);
  EXPECT_DOUBLE_EQ(Aggregate({1, 2, 9}, v1::SN_AGGREGATE_MEDIAN), 2);
  EXPECT_DOUBLE_EQ(Aggregate({1, 2, 9, 10}, v1::SN_AGGREGATE_MEDIAN), 5.5);
}

TEST(NationalTest, PoolsWhenEveryLaHasNumeratorAndDenominator) {
  std::vector<LaValue> v = {{"301", 50, 1, 2}, {"302", 90, 9, 10}};
  std::optional<NationalFigure> pooled = National(v, Ind(v1::POLARITY_HIGH));
  ASSERT_TRUE(pooled.has_value());
  EXPECT_EQ(pooled->method, v1::NATIONAL_METHOD_POOLED);
  EXPECT_DOUBLE_EQ(pooled->value, 10.0 / 12.0 * 100);
  v.push_back({"303", 70, std::nullopt, std::nullopt});
  std::optional<NationalFigure> mean = National(v, Ind(v1::POLARITY_HIGH));
  EXPECT_EQ(mean->method, v1::NATIONAL_METHOD_MEAN);
  EXPECT_DOUBLE_EQ(mean->value, 70);
  EXPECT_FALSE(National({}, Ind(v1::POLARITY_HIGH)).has_value());
}

TEST(GapTest, JudgedAtDisplayPrecisionWithPolarity) {
  v1::Gap better = GapTo(72.0, 68.2, Ind(v1::POLARITY_HIGH));
  EXPECT_NEAR(better.difference(), 3.8, 1e-9);
  EXPECT_EQ(better.position(), v1::POSITION_BETTER);
  EXPECT_EQ(GapTo(72.0, 68.2, Ind(v1::POLARITY_LOW)).position(), v1::POSITION_WORSE);
  EXPECT_EQ(GapTo(95.04, 95.0, Ind(v1::POLARITY_HIGH)).position(), v1::POSITION_SAME);
  EXPECT_EQ(GapTo(658, 600, Ind(v1::POLARITY_INFO, v1::UNIT_COUNT)).position(),
            v1::POSITION_NOT_JUDGED);
}

}  // namespace
}  // namespace carescore::benchmarks
