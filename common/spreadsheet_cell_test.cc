#include "common/spreadsheet_cell.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(SpreadsheetCellTest, FormulaTriggersAreNeutralised) {
  EXPECT_EQ(SpreadsheetText("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
  EXPECT_EQ(SpreadsheetText("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(SpreadsheetText("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
  EXPECT_EQ(SpreadsheetText("@SUM(1+1)"), "'@SUM(1+1)");
  EXPECT_EQ(SpreadsheetText("\t=1"), "'\t=1");
  EXPECT_EQ(SpreadsheetText("\r=1"), "'\r=1");
  EXPECT_EQ(SpreadsheetText("-"), "'-");
}

TEST(SpreadsheetCellTest, NumbersAndOrdinaryTextAreKept) {
  for (const char* kept : {"-1.5", "+3", "-0", "42", "89.9", "", "Care leavers in EET", "a=b",
                           "1 of 152", "2018-19"}) {
    EXPECT_EQ(SpreadsheetText(kept), kept);
  }
  EXPECT_EQ(SpreadsheetText("-1."), "'-1.");
  EXPECT_EQ(SpreadsheetText("-1e5"), "'-1e5");
}

TEST(SpreadsheetCellTest, CsvFieldsAreNeutralisedThenQuoted) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("-1.5"), "-1.5");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("plain"), "plain");
}

}  // namespace
}  // namespace carescore
