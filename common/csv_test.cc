#include "common/csv.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(CsvTest, ParsesQuotedFieldsAndLineNumbers) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse(
      "code,title,unit\r\n6.2,\"Rate per 10,000\",rate_per_10k\r\n\r\n6.3,\"Two\nlines, "
      "\"\"quoted\"\"\",count\n",
      "x.csv");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->rows().size(), 2u);
  EXPECT_EQ(t->rows()[0].line, 2);
  EXPECT_EQ(t->Field(t->rows()[0], "title"), "Rate per 10,000");
  EXPECT_EQ(t->rows()[1].line, 4);
  EXPECT_EQ(t->Field(t->rows()[1], "title"), "Two\nlines, \"quoted\"");
  EXPECT_EQ(t->Field(t->rows()[1], "missing"), "");
}

TEST(CsvTest, StripsByteOrderMark) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse("\xEF\xBB\xBFla_code,name\n372,Rotherham\n", "x");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Column("la_code").has_value());
}

TEST(CsvTest, RejectsEmptyFile) {
  for (const char* text : {"", "\n\n", "  "}) {
    absl::StatusOr<CsvTable> t = CsvTable::Parse(text, "empty.csv");
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("empty"), absl::string_view::npos);
  }
}

TEST(CsvTest, RejectsNonUtf8WithLine) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse(
      "la_code,name\n372,Rotherham\n373,Sh\xe9"
      "ffield\n",
      "latin1.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 3"), absl::string_view::npos) << t.status();
  EXPECT_NE(t.status().message().find("UTF-8"), absl::string_view::npos);
}

TEST(CsvTest, RejectsRaggedRowsAndBadQuotes) {
  absl::StatusOr<CsvTable> ragged = CsvTable::Parse("a,b\n1,2\n3\n", "r.csv");
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.status().message().find("line 3"), absl::string_view::npos);
  EXPECT_FALSE(CsvTable::Parse("a,b\n1,\"2\n", "q.csv").ok());
  EXPECT_FALSE(CsvTable::Parse("a,b\n1,x\"2\"\n", "q.csv").ok());
  EXPECT_FALSE(CsvTable::Parse("a,a\n1,2\n", "dup.csv").ok());
}

TEST(CsvTest, NamesMissingColumns) {
  absl::StatusOr<CsvTable> t = CsvTable::Parse("la_code,code\n372,6.8\n", "v.csv");
  ASSERT_TRUE(t.ok());
  absl::Status s = t->RequireColumns({"la_code", "code", "period", "value"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("period, value"), absl::string_view::npos) << s;
}

TEST(Utf8Test, RejectsOverlongAndSurrogates) {
  size_t bad = 0;
  EXPECT_TRUE(IsValidUtf8("New Year\xE2\x80\x99s Day", bad));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF", bad));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80", bad));
  EXPECT_FALSE(IsValidUtf8("ab\xE2\x80", bad));
  EXPECT_EQ(bad, 2u);
}

}  // namespace
}  // namespace carescore
