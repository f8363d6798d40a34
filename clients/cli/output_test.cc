#include "clients/cli/output.h"

#include <sstream>

#include "gtest/gtest.h"

namespace carescore::cli {
namespace {

Table Sample() {
  Table t({"code", "title", "value"});
  t.AddRow({"6.2", "Rate per 10,000", 116.3});
  t.AddRow({"6.1", "Number of LAC", 658});
  t.AddRow({"6.14", "PEP \"termly\"", nullptr});
  return t;
}

TEST(OutputTest, CsvQuotesAndLeavesMissingEmpty) {
  std::ostringstream out;
  Sample().Print(Format::kCsv, out);
  EXPECT_EQ(out.str(),
            "code,title,value\n6.2,\"Rate per 10,000\",116.3\n6.1,Number of LAC,658\n"
            "6.14,\"PEP \"\"termly\"\"\",\n");
}

TEST(OutputTest, CsvNeutralisesFormulasButNotNegativeNumbers) {
  Table t({"code", "title", "value"});
  t.AddRow({"8.2", "=HYPERLINK(\"http://x\",\"y\")", -1.5});
  t.AddRow({"+1", "@SUM(A1)", -2});
  t.SetPlaces("value", 1);
  std::ostringstream out;
  t.Print(Format::kCsv, out);
  EXPECT_EQ(out.str(),
            "code,title,value\n8.2,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1.5\n"
            "+1,'@SUM(A1),-2.0\n");
}

TEST(OutputTest, JsonKeepsNullsAndNumbers) {
  std::ostringstream out;
  Sample().Print(Format::kJson, out);
  auto parsed = nlohmann::json::parse(out.str());
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0]["value"], 116.3);
  EXPECT_TRUE(parsed[2]["value"].is_null());
}

TEST(OutputTest, TableAligns) {
  std::ostringstream out;
  Sample().Print(Format::kTable, out);
  std::istringstream lines(out.str());
  std::string header, rule, first;
  std::getline(lines, header);
  std::getline(lines, rule);
  std::getline(lines, first);
  EXPECT_EQ(header.find("title"), first.find("Rate"));
  EXPECT_EQ(rule.substr(0, 4), "----");
}

TEST(OutputTest, NumbersPrintShort) {
  EXPECT_EQ(NumberText(89.9), "89.9");
  EXPECT_EQ(NumberText(658), "658");
  EXPECT_EQ(NumberText(0.1 + 0.2), "0.3");
  EXPECT_EQ(NumberText(-2.5), "-2.5");
}

}  // namespace
}  // namespace carescore::cli
