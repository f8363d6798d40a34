#include "services/reports/report_renderer.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "services/reports/highlights.h"

namespace carescore::reports {
namespace {

v1::ReportDocument Sample() {
  v1::ReportDocument doc;
  v1::Scorecard* card = doc.mutable_scorecard();
  card->set_la_code("372");
  card->set_la_name("Rotherham");
  card->set_month("2018-10");
  card->set_financial_year("2018-19");
  v1::ScorecardLine* l = card->add_lines();
  l->set_section("Placements");
  l->set_code("8.2");
  l->set_title(
      "Percentage of looked after children with 3 or more placements in the last 12 months");
  l->set_polarity(v1::POLARITY_LOW);
  l->set_unit(v1::UNIT_PERCENT);
  l->set_period_type(v1::PERIOD_TYPE_ROLLING_12M);
  l->set_decimal_places(1);
  l->set_value(12.1);
  l->set_numerator(79);
  l->set_denominator(651);
  l->set_dot(v1::DIRECTION_IMPROVING);
  l->set_rag(v1::RAG_AMBER);
  l->mutable_target()->set_kind(v1::TARGET_KIND_THRESHOLDS);
  l->mutable_target()->set_red_threshold(13);
  l->mutable_target()->set_green_threshold(10.8);
  for (const auto& [m, v] :
       {std::pair{"2018-08", 12.1}, std::pair{"2018-09", 12.7}, std::pair{"2018-10", 12.1}}) {
    v1::MonthFigure* f = l->add_months();
    f->set_month(m);
    f->set_value(v);
  }
  l->add_outturns()->set_financial_year("2017-18");
  l->mutable_outturns(0)->set_value(13.4);
  l->mutable_published()->set_sn_average(10.1);
  l->mutable_published()->set_financial_year("2016-17");
  l->mutable_published()->set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  v1::ComparatorFigures* computed = l->mutable_computed();
  computed->set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  computed->set_financial_year("2017-18");
  computed->set_national_average(11.2);
  computed->set_quartile(v1::QUARTILE_BAND_C);
  computed->set_rank(80);
  computed->set_rank_of(152);
  v1::Commentary* c = doc.add_commentary();
  c->set_section("Placements");
  c->set_text("Stability improved. <script>alert('x')</script>");
  c->set_author("Head of Service");
  return doc;
}

TEST(ReportRendererTest, HtmlHasTheSummaryChartsAndEscapedCommentary) {
  const std::string html = RenderHtml(Sample());
  EXPECT_NE(html.find("<table id=\"summary\""), std::string::npos);
  EXPECT_NE(html.find("<tr data-code=\"8.2\">"), std::string::npos);
  EXPECT_NE(html.find(">12.7<"), std::string::npos);
  EXPECT_NE(html.find("class=\"rag rag-amber\">amber<"), std::string::npos);
  EXPECT_NE(html.find(">&gt;= 13<"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Commentary by Head of Service"), std::string::npos);
  // Both sets of comparators on the detail page, the computed with its band.
  EXPECT_NE(html.find("<th>Published 2016-17</th>"), std::string::npos);
  EXPECT_NE(html.find("<th>Computed 2017-18</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>C (80 of 152)</td>"), std::string::npos);
}

// A column per stage of the ladder; the referral stage's count is the
// referrals, which have their own column.
TEST(ReportRendererTest, EscalationTableHasAColumnPerStage) {
  v1::ReportDocument doc = Sample();
  // `referral_stage`: the ladder's referral stage, 0 for none.
  auto month = [&doc](const char* m, std::vector<int32_t> counts, int32_t referrals,
                      int32_t referral_stage = 5) {
    v1::MonthStageCounts* c = doc.add_escalations();
    c->set_month(m);
    for (size_t i = 0; i < counts.size(); ++i) {
      v1::StageCount* s = c->add_stages();
      s->set_stage(static_cast<int32_t>(i + 1));
      s->set_count(counts[i]);
      s->set_referral(s->stage() == referral_stage);
    }
    c->set_cafcass_referral(referrals);
  };
  month("2018-09", {3, 1, 0, 0, 1}, 1);  // the default ladder: stage 5 is the referral
  month("2018-10", {2, 2, 1, 0, 0}, 0);
  std::string html = RenderHtml(doc);
  EXPECT_NE(html.find("<th>Month</th><th>Stage 1</th><th>Stage 2</th><th>Stage 3</th>"
                      "<th>Stage 4</th><th>CAFCASS referral</th></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>Sep 18</td><td class=\"n\">3</td><td class=\"n\">1</td>"
                      "<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td>"
                      "</tr>"),
            std::string::npos);
  // A six-stage ladder whose last stage is not the referral.
  doc.clear_escalations();
  month("2018-10", {1, 1, 1, 1, 1, 4}, 2, 0);
  html = RenderHtml(doc);
  EXPECT_NE(html.find("<th>Stage 6</th><th>CAFCASS referral</th>"), std::string::npos);
  // A last stage whose counts happen to equal the referrals is still a stage.
  doc.clear_escalations();
  month("2018-10", {1, 0, 0, 0, 0, 0}, 0, 0);
  html = RenderHtml(doc);
  EXPECT_NE(html.find("<th>Stage 6</th><th>CAFCASS referral</th>"), std::string::npos);
}

TEST(ReportRendererTest, CsvJsonAndXlsx) {
  const std::string csv = RenderCsv(Sample());
  EXPECT_EQ(csv.substr(0, 44), "section,code,title,good_performance_is,2018-");
  EXPECT_NE(csv.find("Placements,8.2,"), std::string::npos);
  EXPECT_NE(csv.find(",12.7,12.1,,improving,amber,>= 13,10.8 to < 13,< 10.8,13.4,10.1,,,,"
                     "2016-17,published,,,"),
            std::string::npos)
      << csv;
  absl::StatusOr<std::string> json = RenderJson(Sample());
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"la_code\": \"372\""), std::string::npos);
  absl::StatusOr<std::string> xlsx = RenderXlsx(Sample());
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  EXPECT_EQ(xlsx->substr(0, 2), "PK");  // a zip, as XLSX files are
}

// The Summary sheet's second row, one cell per line: "s:TEXT" or "n:NUMBER",
// read back from the XLSX by Python's zipfile (no spreadsheet library).
std::string SummaryRowOfXlsx(const std::string& xlsx) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "formula_injection.xlsx";
  std::ofstream(path, std::ios::binary) << xlsx;
  const std::string command =
      "/usr/bin/python3 -c '"
      "import sys, zipfile, xml.etree.ElementTree as E\n"
      "z = zipfile.ZipFile(sys.argv[1]); n = "
      "\"{http://schemas.openxmlformats.org/spreadsheetml/2006/main}\"\n"
      "ss = [\"\".join(t.text or \"\" for t in si.iter(n + \"t\")) for si in "
      "E.fromstring(z.read(\"xl/sharedStrings.xml\")).iter(n + \"si\")]\n"
      "row = [r for r in E.fromstring(z.read(\"xl/worksheets/sheet1.xml\")).iter(n + \"row\")][1]\n"
      "for c in row.iter(n + \"c\"):\n"
      "  v = c.find(n + \"v\").text\n"
      "  print((\"s:\" + ss[int(v)]) if c.get(\"t\") == \"s\" else (\"n:\" + v))\n"
      "' " +
      path.string();
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// A title (or any text) a spreadsheet would run as a formula is neutralised
// in the CSV and the XLSX; negative figures stay numbers.
TEST(ReportRendererTest, FormulaInjectionIsNeutralisedInCsvAndXlsx) {
  v1::ReportDocument doc = Sample();
  v1::ScorecardLine* l = doc.mutable_scorecard()->mutable_lines(0);
  l->set_title("=HYPERLINK(\"http://x\",\"y\")");
  l->set_section("@evil");
  l->mutable_months(0)->set_value(-1.5);
  const std::string csv = RenderCsv(doc);
  EXPECT_NE(csv.find("'@evil,8.2,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Low,-1.5,"),
            std::string::npos)
      << csv;
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos);
  EXPECT_EQ(csv.find(",\"=HYPERLINK"), std::string::npos);

  absl::StatusOr<std::string> xlsx = RenderXlsx(doc);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const std::string row = SummaryRowOfXlsx(*xlsx);
  EXPECT_NE(row.find("s:'@evil\n"), std::string::npos) << row;
  EXPECT_NE(row.find("s:'=HYPERLINK(\"http://x\",\"y\")\n"), std::string::npos) << row;
  EXPECT_NE(row.find("n:-1.5\n"), std::string::npos) << row;
  EXPECT_EQ(row.find("s:=HYPERLINK"), std::string::npos) << row;
}

TEST(HighlightsTest, SentenceOfFacts) {
  v1::ReportDocument doc = Sample();
  std::vector<v1::SectionHighlights> h = BuildHighlights(doc.scorecard());
  ASSERT_EQ(h.size(), 1u);
  ASSERT_EQ(h[0].improvements_size(), 1);
  EXPECT_EQ(h[0].improvements(0).text(),
            "In October 2018 the figure was 12.1% (79 of 651), lower than 12.7% in September "
            "2018.");
}

}  // namespace
}  // namespace carescore::reports
