#include "common/import_formats.h"

#include <string>

#include "gtest/gtest.h"

namespace carescore {
namespace {

const std::string kSamples = CARESCORE_SAMPLES_DIR;
const std::string kEngland = CARESCORE_ENGLAND_DIR;

CsvTable Read(const std::string& path) {
  absl::StatusOr<CsvTable> t = CsvTable::ReadFile(path);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

TEST(ImportFormatsTest, RotherhamCatalogueMakesTargetsForTheYear) {
  absl::StatusOr<Catalogue> c =
      ParseCatalogue(Read(kSamples + "/indicators.csv"), FinancialYear(2018), "");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->indicators.size(), 39u);
  // Every non-info indicator gets a target or an explicit "none".
  int thresholds = 0, ranges = 0, none = 0;
  for (const v1::Target& t : c->targets) {
    EXPECT_EQ(t.financial_year(), "2018-19");
    if (t.kind() == v1::TARGET_KIND_THRESHOLDS) ++thresholds;
    if (t.kind() == v1::TARGET_KIND_RANGE) ++ranges;
    if (t.kind() == v1::TARGET_KIND_NONE) ++none;
    if (t.indicator_code() == "8.2") {
      EXPECT_DOUBLE_EQ(t.red_threshold(), 13);
      EXPECT_DOUBLE_EQ(t.green_threshold(), 10.8);
    }
    if (t.indicator_code() == "11.5a") {
      EXPECT_EQ(t.kind(), v1::TARGET_KIND_RANGE);
      EXPECT_DOUBLE_EQ(t.range_low(), 14);
      EXPECT_DOUBLE_EQ(t.range_tolerance_pct(), 1);
    }
  }
  EXPECT_EQ(ranges, 2);
  EXPECT_EQ(thresholds, 19);
  EXPECT_GT(none, 0);
}

TEST(ImportFormatsTest, WithoutYearThresholdsAreCountedNotTargets) {
  absl::StatusOr<Catalogue> c =
      ParseCatalogue(Read(kSamples + "/indicators.csv"), std::nullopt, "");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->targets.empty());
  EXPECT_EQ(c->ignored_thresholds, 21);
}

TEST(ImportFormatsTest, EnglandCatalogueHasOptionalColumns) {
  absl::StatusOr<Catalogue> c =
      ParseCatalogue(Read(kEngland + "/indicators.csv"), std::nullopt, "");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->indicators.size(), 97u);
  int with_places = 0;
  int unbanded = 0;
  for (const auto& i : c->indicators) {
    EXPECT_EQ(i.period_type(), v1::PERIOD_TYPE_ANNUAL);
    with_places += i.has_decimal_places() ? 1 : 0;
    unbanded += i.quartiles() ? 0 : 1;
    EXPECT_FALSE(i.source_measure().empty());
  }
  EXPECT_EQ(with_places, 29);
  EXPECT_GE(unbanded, 0);
}

TEST(ImportFormatsTest, ValuesCarryFileLines) {
  absl::StatusOr<std::vector<v1::ValueInput>> v =
      ParseValues(Read(kSamples + "/monthly_values.csv"), PeriodColumn::kMonth);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->size(), 377u);
  EXPECT_EQ(v->front().row(), 2);
  EXPECT_EQ(v->front().month(), "2018-01");
  absl::StatusOr<std::vector<v1::ValueInput>> o =
      ParseValues(Read(kSamples + "/annual_outturns.csv"), PeriodColumn::kFinancialYear);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->front().financial_year(), "2015-16");
  absl::StatusOr<std::vector<v1::ValueInput>> national =
      ParseValues(Read(kEngland + "/outturns.csv"), PeriodColumn::kFinancialYear);
  ASSERT_TRUE(national.ok());
  EXPECT_EQ(national->size(), 117497u);
}

TEST(ImportFormatsTest, BadRowsAreAllNamed) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse(
      "la_code,code,period,value,numerator,denominator\n"
      "372,6.8,2018-04,85.6,119,139\n"
      "372,6.8,2018-05,abc,,\n"
      ",6.8,2018-06,1,,\n"
      "372,6.8,2018-07,-,,\n"
      "372,6.8,2018-08,1,x1,2\n",
      "v.csv");
  ASSERT_TRUE(t.ok());
  absl::StatusOr<std::vector<v1::ValueInput>> v = ParseValues(*t, PeriodColumn::kMonth);
  ASSERT_FALSE(v.ok());
  const std::string message(v.status().message());
  EXPECT_NE(message.find("3 bad rows"), std::string::npos) << message;
  EXPECT_NE(message.find("row 3: field value: \"abc\" is not a number"), std::string::npos);
  EXPECT_NE(message.find("row 4: field la_code: is required"), std::string::npos);
  EXPECT_NE(message.find("row 6: field numerator"), std::string::npos);
}

TEST(ImportFormatsTest, NumbersAreDecimalOnly) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse(
      "la_code,code,period,value\n372,6.8,2018-04,0x10\n372,6.8,2018-05,inf\n"
      "372,6.8,2018-06,nan\n372,6.8,2018-07,0X1p4\n",
      "v.csv");
  ASSERT_TRUE(t.ok());
  absl::StatusOr<std::vector<v1::ValueInput>> v = ParseValues(*t, PeriodColumn::kMonth);
  ASSERT_FALSE(v.ok());
  const std::string message(v.status().message());
  EXPECT_NE(message.find("4 bad rows"), std::string::npos) << message;
  EXPECT_NE(message.find("\"0x10\" is not a number"), std::string::npos) << message;
  absl::StatusOr<CsvTable> good = CsvTable::Parse(
      "la_code,code,period,value\n372,6.8,2018-04,16\n372,6.8,2018-05,85.60\n"
      "372,6.8,2018-06,.5\n372,6.8,2018-07,1.5e1\n",
      "v.csv");
  ASSERT_TRUE(good.ok());
  absl::StatusOr<std::vector<v1::ValueInput>> values = ParseValues(*good, PeriodColumn::kMonth);
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 4u);
  EXPECT_EQ((*values)[0].value(), 16);
  EXPECT_EQ((*values)[1].value(), 85.6);
  EXPECT_EQ((*values)[2].value(), 0.5);
  EXPECT_EQ((*values)[3].value(), 15);
}

TEST(ImportFormatsTest, DashIsMissingNotZero) {
  absl::StatusOr<CsvTable> t =
      CsvTable::Parse("la_code,code,period,value\n372,6.8,2018-07,-\n372,6.8,2018-08,\n", "v.csv");
  absl::StatusOr<std::vector<v1::ValueInput>> v = ParseValues(*t, PeriodColumn::kMonth);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 2u);
  EXPECT_FALSE((*v)[0].has_value());
  EXPECT_FALSE((*v)[1].has_value());
}

TEST(ImportFormatsTest, MissingColumnIsNamed) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse("la_code,code,value\n372,6.8,1\n", "v.csv");
  absl::StatusOr<std::vector<v1::ValueInput>> v = ParseValues(*t, PeriodColumn::kMonth);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("missing required column period"), absl::string_view::npos)
      << v.status();
}

TEST(ImportFormatsTest, EnglandLas) {
  absl::StatusOr<std::vector<v1::LocalAuthority>> las =
      ParseLocalAuthorities(Read(kEngland + "/local_authorities.csv"));
  ASSERT_TRUE(las.ok()) << las.status();
  EXPECT_EQ(las->size(), 158u);
  int former = 0;
  for (const auto& la : *las) former += la.status() == v1::LA_STATUS_FORMER ? 1 : 0;
  EXPECT_EQ(former, 5);
}

}  // namespace
}  // namespace carescore
