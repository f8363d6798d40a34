#include "common/period.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(MonthTest, ParsesAndPrints) {
  absl::StatusOr<Month> m = Month::Parse("2018-10");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->year(), 2018);
  EXPECT_EQ(m->month(), 10);
  EXPECT_EQ(m->ToString(), "2018-10");
  EXPECT_EQ(m->LongName(), "October 2018");
}

TEST(MonthTest, RejectsMalformedText) {
  for (const char* bad : {"2018-13", "2018-00", "2018-1", "18-10", "2018/10", "2018-10-01", "",
                          "abcd-ef", "+018-10", "2018- 1"}) {
    EXPECT_FALSE(Month::Parse(bad).ok()) << bad;
  }
  EXPECT_NE(Month::Parse("2018-13").status().message().find("01 to 12"), absl::string_view::npos);
}

TEST(MonthTest, FinancialYearRunsAprilToMarch) {
  EXPECT_EQ(Month(2018, 4).financial_year().ToString(), "2018-19");
  EXPECT_EQ(Month(2019, 3).financial_year().ToString(), "2018-19");
  EXPECT_EQ(Month(2018, 3).financial_year().ToString(), "2017-18");
  EXPECT_EQ(Month(2018, 4).MonthOfFinancialYear(), 1);
  EXPECT_EQ(Month(2018, 10).MonthOfFinancialYear(), 7);
  EXPECT_EQ(Month(2019, 3).MonthOfFinancialYear(), 12);
  EXPECT_EQ(Month(2018, 10).FinancialQuarter(), 3);
  EXPECT_EQ(Month(2019, 1).FinancialQuarter(), 4);
}

TEST(MonthTest, ArithmeticCrossesYears) {
  EXPECT_EQ(Month(2018, 12).Plus(1), Month(2019, 1));
  EXPECT_EQ(Month(2018, 1).Plus(-1), Month(2017, 12));
  EXPECT_EQ(Month(2018, 10).Plus(-12), Month(2017, 10));
  EXPECT_LT(Month(2018, 9), Month(2018, 10));
}

TEST(FinancialYearTest, ParsesOnlyConsecutiveYears) {
  ASSERT_TRUE(FinancialYear::Parse("2018-19").ok());
  EXPECT_EQ(FinancialYear::Parse("1999-00")->start_year(), 1999);
  EXPECT_FALSE(FinancialYear::Parse("2018-20").ok());
  EXPECT_FALSE(FinancialYear::Parse("2018").ok());
  EXPECT_FALSE(FinancialYear::Parse("2018-2019").ok());
  EXPECT_NE(FinancialYear::Parse("2018-20").status().message().find("2018-19"),
            absl::string_view::npos);
}

TEST(FinancialYearTest, MonthsThroughOctoberAreAprilToOctober) {
  std::vector<Month> months = FinancialYear(2018).MonthsThrough(Month(2018, 10));
  ASSERT_EQ(months.size(), 7u);
  EXPECT_EQ(months.front(), Month(2018, 4));
  EXPECT_EQ(months.back(), Month(2018, 10));
  EXPECT_EQ(FinancialYear(2017).MonthsThrough(Month(2018, 10)).size(), 12u);
  EXPECT_TRUE(FinancialYear(2018).Contains(Month(2019, 2)));
}

TEST(TermTest, AcademicYearTerms) {
  EXPECT_EQ(TermOf(Month(2018, 10)).term, Term::kAutumn);
  EXPECT_EQ(TermOf(Month(2018, 10)).academic_year_start, 2018);
  EXPECT_EQ(TermOf(Month(2019, 2)).term, Term::kSpring);
  EXPECT_EQ(TermOf(Month(2019, 2)).academic_year_start, 2018);
  EXPECT_EQ(TermOf(Month(2019, 6)).term, Term::kSummer);
  EXPECT_EQ(TermName(Term::kSpring), "spring");
}

}  // namespace
}  // namespace carescore
