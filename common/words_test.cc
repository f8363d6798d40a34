#include "common/words.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(WordsTest, IndicatorWordsRoundTrip) {
  EXPECT_EQ(*ParsePolarity("high"), v1::POLARITY_HIGH);
  EXPECT_EQ(*ParsePolarity(" Range "), v1::POLARITY_RANGE);
  EXPECT_EQ(PolarityWord(v1::POLARITY_LOW), "low");
  EXPECT_EQ(*ParseUnit("rate_per_10k"), v1::UNIT_RATE_PER_10K);
  EXPECT_EQ(*ParsePeriodType("ytd_average"), v1::PERIOD_TYPE_YTD_AVERAGE);
  EXPECT_EQ(PeriodTypeWord(v1::PERIOD_TYPE_ANNUAL), "annual");
  EXPECT_EQ(*ParseRagBasis("ytd"), v1::RAG_BASIS_YTD);
  absl::StatusOr<v1::Polarity> bad = ParsePolarity("good");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("unknown polarity \"good\""), absl::string_view::npos);
  EXPECT_NE(bad.status().message().find("high, low, info, range"), absl::string_view::npos);
  EXPECT_NE(ParseRagBasis("weekly").status().message().find("unknown RAG basis"),
            absl::string_view::npos);
  EXPECT_NE(ParsePeriodType("weekly").status().message().find("unknown period type"),
            absl::string_view::npos);
}

TEST(WordsTest, EveryListedWordParsesBackToItsValue) {
  for (const std::string& w : UnitWords()) EXPECT_EQ(UnitWord(*ParseUnit(w)), w);
  for (const std::string& w : AuditGradeWords()) EXPECT_EQ(AuditGradeWord(*ParseAuditGrade(w)), w);
  for (const std::string& w : EscalationStatusWords()) {
    EXPECT_EQ(EscalationStatusWord(*ParseEscalationStatus(w)), w);
  }
  EXPECT_EQ(PeriodTypeWords().size(), 7u);
  EXPECT_EQ(ReportFormatWords(), (std::vector<std::string>{"html", "pdf", "xlsx", "csv", "json"}));
}

TEST(WordsTest, WordsPeopleUseInsteadOfTheNames) {
  EXPECT_EQ(EscalationStatusWord(v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS), "referred");
  EXPECT_EQ(*ParseEscalationStatus("referred"), v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS);
  EXPECT_EQ(QuartileBandWord(v1::QUARTILE_BAND_B), "B");
  EXPECT_EQ(QuartileBandWord(v1::QUARTILE_BAND_UNSPECIFIED), "");
  EXPECT_EQ(DirectionWord(v1::DIRECTION_NO_CHANGE), "no_change");
  EXPECT_EQ(DirectionWord(v1::DIRECTION_NONE), "");
  EXPECT_FALSE(ParseDirection("").ok());
  EXPECT_EQ(RagWord(v1::RAG_UNSPECIFIED), "none");
  EXPECT_EQ(RagWord(v1::RAG_AMBER), "amber");
  EXPECT_EQ(*ParseAuditGrade("Requires_Improvement"), v1::AUDIT_GRADE_REQUIRES_IMPROVEMENT);
  EXPECT_EQ(*ParseSnAggregate("median"), v1::SN_AGGREGATE_MEDIAN);
  EXPECT_EQ(ComparatorSourceWord(v1::COMPARATOR_SOURCE_COMPUTED), "computed");
}

TEST(WordsTest, NumbersOutsideTheEnumAreUnspecified) {
  EXPECT_EQ(PolarityWord(static_cast<v1::Polarity>(99)), "unspecified");
  EXPECT_EQ(AuditGradeWord(static_cast<v1::AuditGrade>(77)), "unspecified");
}

}  // namespace
}  // namespace carescore
