#include "services/reports/scorecard_csv.h"

#include "gtest/gtest.h"

namespace carescore::reports {
namespace {

TEST(ScorecardCsvTest, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(CsvField("Placements"), "Placements");
  EXPECT_EQ(CsvField("a, b"), "\"a, b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(ScorecardCsvTest, EveryRowHasAColumnPerHeader) {
  v1::Scorecard card;
  card.set_month("2018-10");
  v1::ScorecardLine* l = card.add_lines();
  l->set_section("Health");
  l->set_code("6.10");
  l->set_title("Health assessments, in time");
  l->set_polarity(v1::POLARITY_HIGH);
  l->set_decimal_places(1);
  l->add_outturns()->set_financial_year("2017-18");
  v1::MonthFigure* f = l->add_months();
  f->set_month("2018-10");
  f->set_value(86.6);
  const std::vector<std::string> header = ScorecardCsvHeader(card);
  const std::vector<std::string> row = ScorecardCsvRow(card.lines(0), card.month());
  ASSERT_EQ(header.size(), row.size());
  EXPECT_EQ(header[4], "2018-08");
  EXPECT_EQ(header[6], "2018-10");
  EXPECT_EQ(row[6], "86.6");
  EXPECT_EQ(row[4], "");  // not held
  EXPECT_EQ(row[3], "High");
  EXPECT_EQ(ScorecardCsv(card).substr(0, 44), "section,code,title,good_performance_is,2018-");
  EXPECT_NE(ScorecardCsv(card).find("Health,6.10,\"Health assessments, in time\",High,,,86.6,"),
            std::string::npos);
}

TEST(ScorecardCsvTest, TextCellsAreNeutralisedNumbersAreNot) {
  v1::Scorecard card;
  card.set_month("2018-10");
  v1::ScorecardLine* l = card.add_lines();
  l->set_section("Health");
  l->set_code("6.10");
  l->set_title("=HYPERLINK(\"http://x\",\"y\")");
  l->set_decimal_places(1);
  v1::MonthFigure* f = l->add_months();
  f->set_month("2018-10");
  f->set_value(-1.5);
  const std::string csv = ScorecardCsv(card);
  EXPECT_NE(csv.find("Health,6.10,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",-1.5,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace carescore::reports
