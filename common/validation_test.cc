#include "common/validation.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

v1::Indicator Percent(const char* code, v1::Polarity polarity = v1::POLARITY_HIGH) {
  v1::Indicator i;
  i.set_code(code);
  i.set_section("Looked After Children");
  i.set_title("Reviews held within timescales");
  i.set_polarity(polarity);
  i.set_unit(v1::UNIT_PERCENT);
  i.set_period_type(v1::PERIOD_TYPE_FINANCIAL_YTD);
  i.set_rag_basis(v1::RAG_BASIS_IN_MONTH);
  return i;
}

v1::ValueInput Input(const char* month, std::optional<double> value,
                     std::optional<double> num = std::nullopt,
                     std::optional<double> den = std::nullopt) {
  v1::ValueInput in;
  in.set_la_code("372");
  in.set_indicator_code("6.8");
  in.set_month(month);
  if (value) in.set_value(*value);
  if (num) in.set_numerator(*num);
  if (den) in.set_denominator(*den);
  return in;
}

std::string FirstField(const RowErrors& e) { return e.empty() ? "" : e.violations().front().field; }

TEST(ValueValidationTest, AcceptsPublishedFigures) {
  RowErrors errors;
  EXPECT_TRUE(CheckValueInput(Percent("6.8"), Input("2018-10", 89.9, 133, 148), 1, errors));
  EXPECT_TRUE(CheckValueInput(Percent("6.8"), Input("2018-10", 31.3, 5, 16), 2, errors));
  EXPECT_TRUE(CheckValueInput(Percent("6.8"), Input("2018-10", std::nullopt), 3, errors));
  EXPECT_TRUE(errors.empty());
}

TEST(ValueValidationTest, RejectsValueThatDisagreesWithRatio) {
  RowErrors errors;
  // 5 of 16 is 31.25: 31.2 is within rounding of nothing published.
  EXPECT_FALSE(CheckValueInput(Percent("6.8"), Input("2018-10", 31.4, 5, 16), 7, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.violations()[0].row, 7);
  EXPECT_EQ(errors.violations()[0].field, "value");
  EXPECT_NE(errors.violations()[0].reason.find("31.3"), std::string::npos);
}

TEST(ValueValidationTest, RatesUseTenThousand) {
  v1::Indicator rate = Percent("6.2", v1::POLARITY_LOW);
  rate.set_unit(v1::UNIT_RATE_PER_10K);
  RowErrors errors;
  EXPECT_TRUE(CheckValueInput(rate, Input("2018-10", 116.3, 658, 56578), 1, errors));
  EXPECT_FALSE(CheckValueInput(rate, Input("2018-10", 1.2, 658, 56578), 2, errors));
}

TEST(ValueValidationTest, RejectsBadNumbers) {
  const v1::Indicator ind = Percent("6.8");
  struct Case {
    v1::ValueInput input;
    const char* field;
  };
  for (const Case& c :
       {Case{Input("2018-10", 100.5), "value"}, Case{Input("2018-10", -1), "value"},
        Case{Input("2018-10", 50, 3, 2), "numerator"},
        Case{Input("2018-10", 0, 0, 0), "denominator"},
        Case{Input("2018-10", 0, 0, -4), "denominator"},
        Case{Input("2018-10", 50, 1), "denominator"}, Case{Input("2018-13", 50), "period"},
        Case{Input("2018-10", std::nan("")), "value"}}) {
    RowErrors errors;
    EXPECT_FALSE(CheckValueInput(ind, c.input, 1, errors)) << c.input.ShortDebugString();
    EXPECT_EQ(FirstField(errors), c.field) << c.input.ShortDebugString();
  }
}

TEST(ValueValidationTest, AnnualIndicatorsTakeFinancialYearsOnly) {
  v1::Indicator annual = Percent("CLA_Rate");
  annual.set_period_type(v1::PERIOD_TYPE_ANNUAL);
  RowErrors errors;
  EXPECT_FALSE(CheckValueInput(annual, Input("2018-10", 50), 1, errors));
  v1::ValueInput fy = Input("2018-10", 50);
  fy.set_financial_year("2017-18");
  EXPECT_TRUE(CheckValueInput(annual, fy, 2, errors));
  fy.set_financial_year("2017-19");
  EXPECT_FALSE(CheckValueInput(annual, fy, 3, errors));
  EXPECT_EQ(errors.size(), 2u);
}

TEST(ValueValidationTest, DerivesMissingValueFromRatio) {
  v1::ValueInput in = Input("2018-10", std::nullopt, 5, 16);
  DeriveValue(Percent("6.8"), in);
  ASSERT_TRUE(in.has_value());
  EXPECT_DOUBLE_EQ(in.value(), 31.3);
}

TEST(TargetValidationTest, ThresholdsMustAgreeWithPolarity) {
  v1::Target t;
  t.set_indicator_code("6.8");
  t.set_financial_year("2018-19");
  t.set_kind(v1::TARGET_KIND_THRESHOLDS);
  t.set_red_threshold(90);
  t.set_green_threshold(95);
  RowErrors errors;
  EXPECT_TRUE(CheckTarget(Percent("6.8"), t, 1, errors));
  // Low polarity (3+ placements): red >= 13, green < 10.8.
  EXPECT_FALSE(CheckTarget(Percent("8.2", v1::POLARITY_LOW), t, 2, errors));
  t.set_red_threshold(13);
  t.set_green_threshold(10.8);
  EXPECT_TRUE(CheckTarget(Percent("8.2", v1::POLARITY_LOW), t, 3, errors));
  EXPECT_FALSE(CheckTarget(Percent("6.8"), t, 4, errors));
  // A single target (6.2: 99.1) is allowed: red and green meet.
  t.set_red_threshold(99.1);
  t.set_green_threshold(99.1);
  EXPECT_TRUE(CheckTarget(Percent("6.2", v1::POLARITY_LOW), t, 5, errors));
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.violations()[0].row, 2);
  EXPECT_EQ(errors.violations()[1].row, 4);
}

TEST(TargetValidationTest, InfoIndicatorsHaveNoThresholdsAndRangesNeedRangePolarity) {
  v1::Target t;
  t.set_financial_year("2018-19");
  t.set_kind(v1::TARGET_KIND_THRESHOLDS);
  t.set_red_threshold(1);
  t.set_green_threshold(2);
  RowErrors errors;
  EXPECT_FALSE(CheckTarget(Percent("6.1", v1::POLARITY_INFO), t, 1, errors));
  v1::Target range;
  range.set_financial_year("2018-19");
  range.set_kind(v1::TARGET_KIND_RANGE);
  range.set_range_low(14);
  range.set_range_high(20);
  range.set_range_tolerance_pct(1);
  EXPECT_TRUE(CheckTarget(Percent("11.5a", v1::POLARITY_RANGE), range, 2, errors));
  range.set_range_low(21);
  EXPECT_FALSE(CheckTarget(Percent("11.5a", v1::POLARITY_RANGE), range, 3, errors));
  EXPECT_FALSE(CheckTarget(Percent("6.8"), range, 4, errors));
}

TEST(NumberParsingTest, DecimalOnly) {
  double v = 0;
  for (const char* bad : {"0x10", "0X1p4", "inf", "-inf", "nan", "", "-", ".", "1e", "1,000",
                          "12abc", "1_0", "++1", "1e999"}) {
    EXPECT_FALSE(ParseDecimal(bad, &v)) << bad;
  }
  for (const auto& [text, expected] :
       {std::pair{"16", 16.0}, std::pair{"-1.5", -1.5}, std::pair{" 7 ", 7.0}, std::pair{"+3", 3.0},
        std::pair{".5", 0.5}, std::pair{"5.", 5.0}, std::pair{"2.5e3", 2500.0},
        std::pair{"010", 10.0}}) {
    ASSERT_TRUE(ParseDecimal(text, &v)) << text;
    EXPECT_EQ(v, expected) << text;
  }
}

TEST(RangeValidationTest, PercentagesWithin0To100AndNothingNegative) {
  v1::Indicator percent;
  percent.set_unit(v1::UNIT_PERCENT);
  v1::Indicator count;
  count.set_unit(v1::UNIT_COUNT);
  RowErrors errors;
  EXPECT_TRUE(CheckInUnitRange(percent, 100, "national_average", 2, errors));
  EXPECT_FALSE(CheckInUnitRange(percent, 150, "national_average", 3, errors));
  EXPECT_TRUE(CheckInUnitRange(count, 150, "national_average", 4, errors));
  EXPECT_FALSE(CheckInUnitRange(count, -1, "best_statistical_neighbour", 5, errors));
  const std::string message(errors.ToStatus("comparators").message());
  EXPECT_NE(message.find("row 3: field national_average: 150 is not a percentage between 0 and "
                         "100"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("row 5: field best_statistical_neighbour: -1 is negative"),
            std::string::npos)
      << message;
}

TEST(CodeValidationTest, LaAndOnsCodes) {
  EXPECT_TRUE(IsLaCode("372"));
  EXPECT_FALSE(IsLaCode("37"));
  EXPECT_FALSE(IsLaCode("37a"));
  EXPECT_TRUE(IsOnsCode("E08000018"));
  EXPECT_FALSE(IsOnsCode("E0800001"));
  EXPECT_FALSE(IsOnsCode("X08000018"));
  EXPECT_TRUE(IsIndicatorCode("11.5a"));
  EXPECT_FALSE(IsIndicatorCode("6 8"));
  EXPECT_FALSE(IsIndicatorCode(""));
}

}  // namespace
}  // namespace carescore
