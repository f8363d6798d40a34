#include "common/measure.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(RoundingTest, HalfAwayFromZeroAsPublished) {
  // DOMAIN.md: 5 of 16 is 31.3%.
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(RatioValue(5, 16, 100), 1), 31.3);
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(2.5, 0), 3.0);
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(-2.5, 0), -3.0);
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(2.675, 2), 2.68);  // 2.67499999... in binary.
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(0.04999, 1), 0.0);
  // 133 of 148 = 89.86...
  EXPECT_DOUBLE_EQ(RoundHalfAwayFromZero(RatioValue(133, 148, 100), 1), 89.9);
}

TEST(RoundingTest, FormatsAtDisplayPrecision) {
  EXPECT_EQ(FormatFigure(31.25, 1), "31.3");
  EXPECT_EQ(FormatFigure(658, 0), "658");
  EXPECT_EQ(FormatFigure(-0.01, 1), "0.0");
}

TEST(PooledRatioTest, YearToDateIsSumOverSum) {
  // DOMAIN.md: Apr-Oct 2018 reviews, 911 of 1055 = 86.4%, not the mean of
  // the monthly percentages.
  PooledRatio ytd;
  ytd.Add(911, 1055);
  EXPECT_EQ(FormatFigure(*ytd.Value(100), 1), "86.4");
  PooledRatio parts;
  parts.Add(1, 2);
  parts.Add(9, 10);
  EXPECT_DOUBLE_EQ(*parts.Value(100), 10.0 / 12.0 * 100);
  EXPECT_EQ(parts.parts(), 2);
  EXPECT_FALSE(PooledRatio().Value(100).has_value());
}

TEST(VocabularyTest, ScalesAndPlaces) {
  EXPECT_EQ(UnitScale(v1::UNIT_PERCENT), 100.0);
  EXPECT_EQ(UnitScale(v1::UNIT_RATE_PER_10K), 10000.0);
  EXPECT_EQ(UnitScale(v1::UNIT_COUNT), 1.0);
  v1::Indicator count;
  count.set_unit(v1::UNIT_COUNT);
  EXPECT_EQ(DecimalPlaces(count), 0);
  v1::Indicator percent;
  percent.set_unit(v1::UNIT_PERCENT);
  EXPECT_EQ(DecimalPlaces(percent), 1);
  percent.set_decimal_places(0);
  EXPECT_EQ(DecimalPlaces(percent), 0);
}

}  // namespace
}  // namespace carescore
