// The commands' pure parts: flags into requests, answers into tables.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clients/cli/benchmark_commands.h"
#include "clients/cli/client.h"
#include "clients/cli/escalation_commands.h"
#include "clients/cli/import_commands.h"
#include "clients/cli/indicator_commands.h"
#include "clients/cli/report_commands.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"

namespace carescore::cli {
namespace {

std::string Csv(const Table& table) {
  std::ostringstream out;
  table.Print(Format::kCsv, out);
  return out.str();
}

TEST(ClientTest, PeriodChoiceWantsExactlyOne) {
  EXPECT_TRUE(PeriodChoice("2018-10", "").ok());
  EXPECT_TRUE(PeriodChoice("", "2018-19").ok());
  for (const auto& [period, year] : {std::pair{"", ""}, std::pair{"2018-10", "2018-19"}}) {
    absl::Status s = PeriodChoice(period, year);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), "give exactly one of --period YYYY-MM or --year YYYY-YY");
  }
}

TEST(ClientTest, Rfc3339RoundTripsToTheMicrosecond) {
  absl::StatusOr<google::protobuf::Timestamp> ts =
      ParseRfc3339("2018-11-05T10:00:00.123456+01:00", "--as-of");
  ASSERT_TRUE(ts.ok()) << ts.status();
  EXPECT_EQ(ts->seconds(), 1541408400);
  EXPECT_EQ(ts->nanos(), 123456000);
  EXPECT_EQ(Rfc3339(*ts), "2018-11-05T09:00:00.123456Z");
}

TEST(ClientTest, BadRfc3339NamesTheFlag) {
  absl::StatusOr<google::protobuf::Timestamp> ts = ParseRfc3339("yesterday", "--at");
  EXPECT_EQ(ts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ts.status().message().find("--at \"yesterday\" is not an RFC 3339 time"),
            std::string::npos)
      << ts.status();
}

TEST(EscalationCommandsTest, ADateMeansNoonUkTime) {
  absl::StatusOr<google::protobuf::Timestamp> winter = ParseWhen("2018-12-21", "--at");
  ASSERT_TRUE(winter.ok()) << winter.status();
  EXPECT_EQ(Rfc3339(*winter), "2018-12-21T12:00:00.000000Z");
  absl::StatusOr<google::protobuf::Timestamp> summer = ParseWhen("2019-07-01", "--at");
  ASSERT_TRUE(summer.ok()) << summer.status();
  EXPECT_EQ(Rfc3339(*summer), "2019-07-01T11:00:00.000000Z");  // BST
  absl::StatusOr<google::protobuf::Timestamp> exact = ParseWhen("2019-07-01T08:30:00Z", "--at");
  ASSERT_TRUE(exact.ok()) << exact.status();
  EXPECT_EQ(Rfc3339(*exact), "2019-07-01T08:30:00.000000Z");
  EXPECT_EQ(ParseWhen("2019-13-01", "--raised-at").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EscalationCommandsTest, StageZeroIsRefusedNotStoredAsStage1) {
  GlobalOptions options;
  Client client(options);
  absl::Status result;
  CLI::App app;
  EscalationCommands commands(app, client, result);
  for (const char* stage : {"0", "-1"}) {
    const std::string line = std::string("escalations raise --la 372 --child C-1 --theme x ") +
                             "--iro iro-7 --team t --stage=" + stage;
    EXPECT_THROW(app.parse(line, false), CLI::ValidationError) << stage;
  }
  app.clear();
  EXPECT_NO_THROW(
      app.parse("escalations raise --la 372 --child C-1 --theme x --iro i --team t "
                "--stage 2",
                false));
}

TEST(EscalationCommandsTest, SummaryHasAColumnPerLadderStageButTheReferral) {
  // A six-stage ladder whose stage 6 is the referral, as the service sends
  // it: every month lists every stage.
  v1::GetEscalationSummaryResponse summary;
  auto month = [&summary](const char* name, std::vector<int> counts, int referrals) {
    v1::MonthStageCounts& m = *summary.add_months();
    m.set_month(name);
    for (size_t i = 0; i < counts.size(); ++i) {
      v1::StageCount& c = *m.add_stages();
      c.set_stage(static_cast<int>(i) + 1);
      c.set_count(counts[i]);
      c.set_referral(i == 5);
    }
    m.set_cafcass_referral(referrals);
    return &m;
  };
  month("2019-07", {2, 0, 1, 0, 4, 1}, 1)->set_stage_1_from_audits(1);
  month("2019-08", {0, 0, 0, 0, 0, 0}, 0);
  EXPECT_EQ(Csv(StageSummaryTable(summary)),
            "month,stage_1,stage_2,stage_3,stage_4,stage_5,cafcass_referral,"
            "stage_1_from_audits\n"
            "2019-07,2,0,1,0,4,1,1\n"
            "2019-08,0,0,0,0,0,0,0\n");
}

TEST(ImportCommandsTest, YearFlagIsOptionalButMustBeAFinancialYear) {
  absl::StatusOr<std::optional<FinancialYear>> none = YearFlag("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  absl::StatusOr<std::optional<FinancialYear>> year = YearFlag("2018-19");
  ASSERT_TRUE(year.ok()) << year.status();
  ASSERT_TRUE(year->has_value());
  EXPECT_EQ((*year)->start_year(), 2018);
  absl::StatusOr<std::optional<FinancialYear>> bad = YearFlag("2018");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("--year: ", 0), 0u) << bad.status();
}

TEST(IndicatorCommandsTest, ValuesGetAsksForEveryPageOfTheRightKind) {
  ValuesGetOptions o;
  o.la = "372";
  o.code = "6.8";
  o.from = "2017-18";
  o.annual = true;
  o.include_missing = true;
  o.as_of = "2018-11-05T09:00:00Z";
  absl::StatusOr<v1::ListValuesRequest> r = ValuesGetRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->la_code(), "372");
  EXPECT_EQ(r->indicator_code(), "6.8");
  EXPECT_EQ(r->period_kind(), v1::PERIOD_KIND_FINANCIAL_YEAR);
  EXPECT_EQ(r->from_period(), "2017-18");
  EXPECT_TRUE(r->include_missing());
  EXPECT_EQ(r->page_size(), 10000);
  EXPECT_EQ(r->as_of().seconds(), 1541408400);

  o.annual = false;
  o.as_of.clear();
  r = ValuesGetRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->period_kind(), v1::PERIOD_KIND_MONTH);
  EXPECT_FALSE(r->has_as_of());

  o.as_of = "last week";
  EXPECT_EQ(ValuesGetRequest(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(IndicatorCommandsTest, ValueHistoryIsForAMonthOrAYear) {
  absl::StatusOr<v1::ListValueHistoryRequest> month =
      ValueHistoryRequest("372", "6.8", "2018-10", "");
  ASSERT_TRUE(month.ok()) << month.status();
  EXPECT_EQ(month->month(), "2018-10");
  EXPECT_EQ(month->la_code(), "372");
  EXPECT_EQ(month->indicator_code(), "6.8");
  absl::StatusOr<v1::ListValueHistoryRequest> year =
      ValueHistoryRequest("372", "6.8", "", "2017-18");
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->financial_year(), "2017-18");
  EXPECT_EQ(ValueHistoryRequest("372", "6.8", "2018-10", "2017-18").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IndicatorCommandsTest, TargetText) {
  v1::Target thresholds;
  thresholds.set_kind(v1::TARGET_KIND_THRESHOLDS);
  thresholds.set_red_threshold(85);
  thresholds.set_green_threshold(90.5);
  EXPECT_EQ(TargetText(thresholds), "red 85, green 90.5");
  v1::Target range;
  range.set_kind(v1::TARGET_KIND_RANGE);
  range.set_range_low(14);
  range.set_range_high(20);
  range.set_range_tolerance_pct(10);
  EXPECT_EQ(TargetText(range), "green 14 to 20, tolerance 10%");
  EXPECT_EQ(TargetText(v1::Target()), "no target set");
}

TEST(BenchmarkCommandsTest, RequestTakesSourceAndAggregateByWord) {
  BenchmarkOptions o;
  o.la = "372";
  o.code = "8.1";
  o.year = "2017-18";
  absl::StatusOr<v1::GetBenchmarkRequest> r = BenchmarkRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->financial_year(), "2017-18");
  EXPECT_EQ(r->source(), v1::COMPARATOR_SOURCE_UNSPECIFIED);  // The server chooses.
  EXPECT_EQ(r->sn_aggregate(), v1::SN_AGGREGATE_MEAN);

  o.source = "computed";
  o.sn = "median";
  o.model = "2025";
  r = BenchmarkRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->source(), v1::COMPARATOR_SOURCE_COMPUTED);
  EXPECT_EQ(r->sn_aggregate(), v1::SN_AGGREGATE_MEDIAN);
  EXPECT_EQ(r->model(), "2025");

  o.source = "published";
  r = BenchmarkRequest(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->source(), v1::COMPARATOR_SOURCE_PUBLISHED);

  o.period = "2018-10";
  EXPECT_EQ(BenchmarkRequest(o).status().code(), absl::StatusCode::kInvalidArgument);
  o.period.clear();
  o.source = "guessed";
  EXPECT_EQ(BenchmarkRequest(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BenchmarkCommandsTest, TableShowsAveragesWithAtLeastOneDecimal) {
  v1::Benchmark b;
  b.set_la_code("372");
  b.set_indicator_code("8.1");
  b.set_financial_year("2017-18");
  b.set_decimal_places(0);
  b.set_value(58);
  b.set_sn_average(62.25);
  b.set_best_sn(45);
  b.set_national_average(60);
  b.set_quartile(v1::QUARTILE_BAND_B);
  b.set_rank(40);
  b.set_rank_of(151);
  b.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  EXPECT_EQ(Csv(BenchmarkTable(b)),
            "la_code,code,period,value,sn_average,best_sn,national_average,"
            "top_quartile_threshold,quartile,rank,rank_of,source\n"
            "372,8.1,2017-18,58,62.3,45,60.0,,B,40,151,published\n");

  v1::Benchmark unranked;
  unranked.set_month("2018-10");
  unranked.set_decimal_places(1);
  unranked.set_value(90.25);
  unranked.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  EXPECT_EQ(Csv(BenchmarkTable(unranked)),
            "la_code,code,period,value,sn_average,best_sn,national_average,"
            "top_quartile_threshold,quartile,rank,rank_of,source\n"
            ",,2018-10,90.3,,,,,,,,computed\n");
}

TEST(ReportCommandsTest, ReportRequestTakesTheFormatByWord) {
  absl::StatusOr<v1::GetReportRequest> r = ReportRequest("372", "2018-10", "pdf", "");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format(), v1::REPORT_FORMAT_PDF);
  EXPECT_EQ(r->la_code(), "372");
  EXPECT_EQ(r->month(), "2018-10");
  EXPECT_FALSE(r->has_as_of());
  r = ReportRequest("372", "2018-10", "json", "2018-11-05T09:00:00Z");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format(), v1::REPORT_FORMAT_JSON);
  EXPECT_EQ(r->as_of().seconds(), 1541408400);
  EXPECT_EQ(ReportRequest("372", "2018-10", "docx", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReportRequest("372", "2018-10", "csv", "soon").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReportCommandsTest, ScorecardRowsShowHeadlineComparatorsAndFigures) {
  v1::Scorecard card;
  v1::ScorecardLine& published = *card.add_lines();
  published.set_section("Placements");
  published.set_code("6.8");
  published.set_title("Placement stability, 2+ years");
  published.set_decimal_places(1);
  published.set_value(90);
  published.set_numerator(9);
  published.set_denominator(10);
  published.set_previous_value(88.44);
  published.set_dot(v1::DIRECTION_IMPROVING);
  published.set_rag(v1::RAG_GREEN);
  published.set_ytd(89.25);
  published.mutable_target()->set_kind(v1::TARGET_KIND_THRESHOLDS);
  published.mutable_target()->set_red_threshold(85);
  published.mutable_target()->set_green_threshold(90);
  published.mutable_published()->set_financial_year("2017-18");
  published.mutable_published()->set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  published.mutable_published()->set_sn_average(70.5);
  published.mutable_published()->set_quartile(v1::QUARTILE_BAND_A);
  published.mutable_published()->set_rank(3);
  published.mutable_published()->set_rank_of(151);
  published.mutable_computed()->set_financial_year("2017-18");
  published.mutable_computed()->set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  published.mutable_computed()->set_sn_average(1);
  published.add_flags()->set_message("small numbers");
  published.add_flags()->set_message("revised");

  v1::ScorecardLine& computed = *card.add_lines();
  computed.set_section("Placements");
  computed.set_code("6.1");
  computed.set_title("Range");
  computed.set_decimal_places(0);
  computed.set_dot(v1::DIRECTION_NONE);
  computed.mutable_target()->set_kind(v1::TARGET_KIND_RANGE);
  computed.mutable_target()->set_range_low(14);
  computed.mutable_target()->set_range_high(20);
  computed.mutable_target()->set_red_threshold(1);
  computed.mutable_computed()->set_financial_year("2016-17");
  computed.mutable_computed()->set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  computed.mutable_computed()->set_national_average(17.5);

  v1::ScorecardLine& bare = *card.add_lines();
  bare.set_code("9.9");

  EXPECT_EQ(Csv(ScorecardTable(card)),
            "section,code,title,value,numerator,denominator,previous_value,dot,rag,ytd,"
            "target_red,target_green,sn_average,national_average,flags,comparators,quartile,"
            "rank\n"
            "Placements,6.8,\"Placement stability, 2+ years\",90.0,9,10,88.4,improving,green,"
            "89.3,85,90,70.5,,small numbers; revised,published 2017-18,A,3 of 151\n"
            "Placements,6.1,Range,,,,,,none,,14,20,,17.5,,computed 2016-17,,\n"
            ",9.9,,,,,,,none,,,,,,,,,\n");
}

}  // namespace
}  // namespace carescore::cli
