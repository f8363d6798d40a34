// The commands: flags into requests, answers into tables, tokens minted and
// sent, and the audit commands against a fake AuditService on a real server.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "clients/cli/audit_commands.h"
#include "clients/cli/benchmark_commands.h"
#include "clients/cli/client.h"
#include "clients/cli/escalation_commands.h"
#include "clients/cli/import_commands.h"
#include "clients/cli/indicator_commands.h"
#include "clients/cli/report_commands.h"
#include "clients/cli/token_commands.h"
#include "common/auth/token.h"
#include "common/proto_time.h"
#include "common/testing/loopback_server.h"
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

std::string TempDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/cli_" + name + "_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A fake environment for ResolveToken.
std::function<const char*(const char*)> Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(ClientTest, TokenComesFromAFlagBeforeTheEnvironment) {
  const std::string dir = TempDir("token");
  const std::string file = dir + "/token";
  std::ofstream(file) << "  tok-from-file\n";
  const auto env = Env({{"CARESCORE_TOKEN", "tok-from-env"}, {"CARESCORE_TOKEN_FILE", file}});

  GlobalOptions o;
  EXPECT_EQ(ResolveToken(o, Env({})).value(), "");
  EXPECT_EQ(ResolveToken(o, env).value(), "tok-from-env");
  EXPECT_EQ(ResolveToken(o, Env({{"CARESCORE_TOKEN_FILE", file}})).value(), "tok-from-file");
  o.token_file = file;
  EXPECT_EQ(ResolveToken(o, env).value(), "tok-from-file");
  o.token = "tok-from-flag";
  EXPECT_EQ(ResolveToken(o, env).value(), "tok-from-flag");
}

TEST(ClientTest, ABadTokenFileIsNamedButTheTokenNeverQuoted) {
  const std::string dir = TempDir("bad_token");
  GlobalOptions o;
  o.token_file = dir + "/absent";
  absl::StatusOr<std::string> missing = ResolveToken(o, Env({}));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(),
            "--token-file " + o.token_file + ": cannot read the token file");

  o.token_file = dir + "/empty";
  std::ofstream(o.token_file) << " \n";
  EXPECT_EQ(ResolveToken(o, Env({})).status().message(),
            "--token-file " + o.token_file + ": no token in it");

  o.token_file = dir + "/two_words";
  std::ofstream(o.token_file) << "secret-part one\n";
  absl::StatusOr<std::string> two = ResolveToken(o, Env({}));
  EXPECT_EQ(two.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(absl::StrContains(two.status().message(), "secret-part")) << two.status();

  GlobalOptions env_only;
  absl::StatusOr<std::string> from_env =
      ResolveToken(env_only, Env({{"CARESCORE_TOKEN_FILE", dir + "/absent"}}));
  EXPECT_EQ(from_env.status().message(),
            "CARESCORE_TOKEN_FILE " + dir + "/absent: cannot read the token file");
}

TEST(ClientTest, UnauthenticatedSaysHowToGetAToken) {
  absl::Status s =
      Rpc(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the token has expired"), "audit list");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(
      absl::StartsWith(s.message(), "audit list: not authenticated: the token has expired\n"))
      << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "--token TOKEN or CARESCORE_TOKEN")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(),
                                "carescore token mint --data-dir DIR --subject me --role admin"))
      << s;
}

TEST(ClientTest, PermissionDeniedSaysSo) {
  absl::Status s =
      Rpc(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the token does not cover LA 382"),
          "values get");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "values get: permission denied: the token does not cover LA 382");
}

TEST(TokenCommandsTest, TtlIsAWholeNumberAndAUnit) {
  EXPECT_EQ(ParseTtl("90s").value(), absl::Seconds(90));
  EXPECT_EQ(ParseTtl("15m").value(), absl::Minutes(15));
  EXPECT_EQ(ParseTtl("8h").value(), absl::Hours(8));
  EXPECT_EQ(ParseTtl("2d").value(), absl::Hours(48));
  EXPECT_EQ(ParseTtl("-1h").value(), -absl::Hours(1));
  EXPECT_EQ(ParseTtl("366d").value(), absl::Hours(366 * 24));
  for (const char* bad : {"", "8", "h", "0h", "-0s", "8x", " 8h", "+8h", "8 h", "1.5h", "0x10h",
                          "367d", "-367d", "9999999999s", "--1h"}) {
    absl::StatusOr<absl::Duration> ttl = ParseTtl(bad);
    EXPECT_EQ(ttl.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(ttl.status().message(), "--ttl ")) << ttl.status();
  }
}

class TokenMintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("mint");
    absl::StatusOr<auth::KeyPairPaths> keys = auth::EnsureDevelopmentKeyPair(dir_);
    ASSERT_TRUE(keys.ok()) << keys.status();
    auth::VerifierOptions v;
    v.public_keys_pem = {auth::ReadKeyFile(keys->public_key).value()};
    v.issuer = "https://idp.example";
    v.audience = "carescore";
    verifier_ = auth::TokenVerifier::Create(std::move(v)).value();
    options_.subject = "jo.analyst";
    options_.roles = {"analyst", "iro"};
    options_.la_codes = {"372", "382"};
    options_.data_dir = dir_;
    options_.issuer = "https://idp.example";
    options_.audience = "carescore";
  }

  std::string dir_;
  std::unique_ptr<auth::TokenVerifier> verifier_;
  MintCommandOptions options_;
};

TEST_F(TokenMintTest, TheServersKeyInTheDataFolderSignsIt) {
  absl::StatusOr<std::string> token = MintFromOptions(options_);
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<auth::Caller> caller = verifier_->Verify(*token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "jo.analyst");
  EXPECT_EQ(caller->roles, (std::vector<std::string>{"analyst", "iro"}));
  EXPECT_EQ(caller->la_codes, (std::vector<std::string>{"372", "382"}));
  EXPECT_LT(caller->expires, absl::Now() + absl::Hours(8) + absl::Minutes(1));
  EXPECT_GT(caller->expires, absl::Now() + absl::Hours(7));

  // The same key named directly.
  options_.data_dir.clear();
  options_.private_key = dir_ + "/auth-key.pem";
  token = MintFromOptions(options_);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_TRUE(verifier_->Verify(*token).ok());
}

TEST_F(TokenMintTest, ANegativeTtlMintsAnExpiredToken) {
  options_.ttl = "-1h";
  absl::StatusOr<std::string> token = MintFromOptions(options_);
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<auth::Caller> caller = verifier_->Verify(*token);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(caller.status().message(), "expired")) << caller.status();
}

TEST_F(TokenMintTest, AMissingKeyIsNamedAndNotMade) {
  options_.data_dir = TempDir("mint_empty");
  absl::StatusOr<std::string> token = MintFromOptions(options_);
  EXPECT_EQ(token.status().code(), absl::StatusCode::kNotFound);
  const std::string path = options_.data_dir + "/auth-key.pem";
  EXPECT_TRUE(absl::StrContains(token.status().message(), path)) << token.status();
  EXPECT_TRUE(absl::StrContains(token.status().message(),
                                "start carescored once with --data-dir " + options_.data_dir))
      << token.status();
  EXPECT_FALSE(std::filesystem::exists(path));

  options_.data_dir.clear();
  options_.private_key = dir_ + "/absent.pem";
  token = MintFromOptions(options_);
  EXPECT_EQ(token.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(token.status().message(), "--private-key " + dir_ + "/absent.pem"))
      << token.status();
}

TEST_F(TokenMintTest, BadFlagsAreNamed) {
  auto refused = [this](const char* flag) {
    absl::StatusOr<std::string> token = MintFromOptions(options_);
    EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument) << flag;
    EXPECT_TRUE(absl::StrContains(token.status().message(), flag)) << token.status();
  };
  MintCommandOptions good = options_;
  options_.roles = {"analyst", "superuser"};
  refused("--role \"superuser\" is not a role");
  options_ = good;
  options_.roles.clear();
  refused("--role is required");
  options_ = good;
  options_.la_codes = {"37"};
  refused("--la \"37\"");
  options_ = good;
  options_.subject.clear();
  refused("--subject");
  options_ = good;
  options_.ttl = "forever";
  refused("--ttl");
  options_ = good;
  options_.data_dir.clear();
  refused("--private-key FILE and --data-dir DIR");
  options_ = good;
  options_.private_key = dir_ + "/auth-key.pem";
  refused("--private-key FILE and --data-dir DIR");
}

TEST_F(TokenMintTest, TheCommandLineTakesEveryFlag) {
  absl::Status result;
  CLI::App app;
  TokenCommands commands(app, result);
  ::testing::internal::CaptureStdout();
  app.parse("token mint --subject me --role admin --role iro --la 372 --ttl=-1h --data-dir " +
                dir_ + " --issuer https://idp.example --audience carescore",
            false);
  const std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(result.ok()) << result;
  EXPECT_TRUE(commands.chosen());
  ASSERT_EQ(out.back(), '\n');
  const std::string token = out.substr(0, out.size() - 1);
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  EXPECT_EQ(verifier_->Verify(token).status().code(), absl::StatusCode::kUnauthenticated);

  app.clear();
  EXPECT_THROW(app.parse("token mint --subject me --role admin --data-dir " + dir_ +
                             " --private-key " + dir_ + "/auth-key.pem",
                         false),
               CLI::ExcludesError);
}

// AuditService as the CLI sees it: canned entries served a page at a time,
// and what each call carried.
class FakeAuditService final : public v1::AuditService::Service {
 public:
  explicit FakeAuditService(int entries) {
    for (int i = 1; i <= entries; ++i) {
      v1::AuditEntry& e = entries_.emplace_back();
      e.set_seq(i);
      *e.mutable_time() = ProtoFromMicros(int64_t{1541408400} * 1000000 + i);
      e.set_subject(absl::StrCat("user-", i));
      e.add_roles("iro");
      e.add_roles("team_manager");
      e.set_method("EscalationService/GetEscalation");
      e.add_la_codes("372");
      e.set_resource(absl::StrCat("esc-", i));
      e.set_result("OK");
      e.set_hash(std::string(64, 'a'));
    }
  }

  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const v1::ListAuditEntriesRequest* request,
                                v1::ListAuditEntriesResponse* response) override {
    if (!Seen(*context)) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    absl::MutexLock lock(&mu_);
    requests_.push_back(*request);
    int64_t after = 0;
    if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &after)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token");
    }
    const int size = request->page_size() == 0 ? 100 : request->page_size();
    for (const v1::AuditEntry& e : entries_) {
      if (e.seq() <= after) continue;
      if (response->entries_size() == size) {
        response->set_next_page_token(absl::StrCat(response->entries(size - 1).seq()));
        break;
      }
      *response->add_entries() = e;
    }
    return grpc::Status::OK;
  }

  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* /*request*/,
                              v1::VerifyAuditLogResponse* response) override {
    if (!Seen(*context)) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    absl::MutexLock lock(&mu_);
    *response = verification_;
    return grpc::Status::OK;
  }

  void set_verification(v1::VerifyAuditLogResponse v) {
    absl::MutexLock lock(&mu_);
    verification_ = std::move(v);
  }
  std::vector<v1::ListAuditEntriesRequest> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  std::vector<std::string> metadata() {
    absl::MutexLock lock(&mu_);
    return metadata_;
  }

 private:
  // Notes the call's authorization and actor metadata; false without a token.
  bool Seen(const grpc::ServerContext& context) {
    absl::MutexLock lock(&mu_);
    bool token = false;
    for (const auto& [key, value] : context.client_metadata()) {
      const std::string k(key.data(), key.size());
      if (k != "authorization" && k != "x-carescore-actor") continue;
      metadata_.push_back(absl::StrCat(k, ": ", std::string(value.data(), value.size())));
      token = token || k == "authorization";
    }
    return token;
  }

  absl::Mutex mu_;
  std::vector<v1::AuditEntry> entries_;
  v1::VerifyAuditLogResponse verification_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListAuditEntriesRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> metadata_ ABSL_GUARDED_BY(mu_);
};

class AuditCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    options_.server = server_.address();
    options_.token = "tok-123";
    options_.actor = "not-sent";
    options_.format = "csv";
    options_.timeout_seconds = 10;
  }

  // Runs one command line; its stdout.
  std::string Run(const std::string& line) {
    Client client(options_);
    EXPECT_TRUE(client.LoadCredentials().ok());
    CLI::App app;
    AuditCommands commands(app, client, result_);
    ::testing::internal::CaptureStdout();
    app.parse(line, false);
    return ::testing::internal::GetCapturedStdout();
  }

  FakeAuditService audit_{2500};
  carescore::testing::LoopbackServer server_{{&audit_}};
  GlobalOptions options_;
  absl::Status result_;
};

TEST_F(AuditCommandsTest, ListFollowsEveryPageWithTheTokenOnEachCall) {
  const std::string out =
      Run("audit list --la 372 --subject iro-7 --rpc EscalationService/GetEscalation "
          "--from 2018-11-05T09:00:00Z --to 2018-11-06T00:00:00+01:00");
  ASSERT_TRUE(result_.ok()) << result_;
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2501u);
  EXPECT_EQ(lines[0],
            "seq,time,subject,roles,on_behalf_of,rpc,la_codes,resource,result,prev_hash,hash");
  EXPECT_EQ(lines[1],
            "1,2018-11-05T09:00:00.000001Z,user-1,\"iro,team_manager\",,"
            "EscalationService/GetEscalation,372,esc-1,OK,," +
                std::string(64, 'a'));
  EXPECT_TRUE(absl::StartsWith(lines[2500], "2500,")) << lines[2500];

  std::vector<v1::ListAuditEntriesRequest> requests = audit_.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const v1::ListAuditEntriesRequest& r : requests) {
    EXPECT_EQ(r.la_code(), "372");
    EXPECT_EQ(r.subject(), "iro-7");
    EXPECT_EQ(r.method(), "EscalationService/GetEscalation");
    EXPECT_EQ(Rfc3339(r.from()), "2018-11-05T09:00:00.000000Z");
    EXPECT_EQ(Rfc3339(r.to()), "2018-11-05T23:00:00.000000Z");
    EXPECT_EQ(r.page_size(), 1000);
  }
  EXPECT_EQ(requests[2].page_token(), "2000");
  // The token on every call; the actor on none.
  EXPECT_EQ(audit_.metadata(), std::vector<std::string>(3, "authorization: Bearer tok-123"));
}

TEST_F(AuditCommandsTest, ListStopsAtTheLimit) {
  options_.format = "table";
  const std::string out = Run("audit list --limit 1001");
  ASSERT_TRUE(result_.ok()) << result_;
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  EXPECT_GE(lines.size(), 1001u);  // A header and its rule, then the rows.
  EXPECT_TRUE(absl::StrContains(lines.back(), "user-1001")) << lines.back();
  EXPECT_FALSE(absl::StrContains(out, "hash")) << "hashes are left out of the table";
  std::vector<v1::ListAuditEntriesRequest> requests = audit_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].page_size(), 1000);
  EXPECT_EQ(requests[1].page_size(), 1);
}

TEST_F(AuditCommandsTest, ABadTimeNamesTheFlag) {
  Run("audit list --from yesterday");
  EXPECT_EQ(result_.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(result_.message(), "--from \"yesterday\"")) << result_;
  EXPECT_TRUE(audit_.requests().empty());
}

TEST_F(AuditCommandsTest, VerifySaysIntactOrNamesTheBrokenEntryAndFails) {
  v1::VerifyAuditLogResponse intact;
  intact.set_intact(true);
  intact.set_entries_checked(6);
  audit_.set_verification(intact);
  EXPECT_EQ(Run("audit verify"), "audit log intact: 6 entries\n");
  EXPECT_TRUE(result_.ok()) << result_;

  v1::VerifyAuditLogResponse broken;
  broken.set_entries_checked(4);
  broken.set_first_bad_seq(4);
  broken.set_problem("its fields do not match its hash (changed after it was written)");
  audit_.set_verification(broken);
  EXPECT_EQ(Run("audit verify"),
            "audit log broken at entry 4: its fields do not match its hash (changed after it "
            "was written)\n");
  EXPECT_FALSE(result_.ok());
  EXPECT_TRUE(WasPrinted(result_));
}

TEST_F(AuditCommandsTest, WithoutATokenTheErrorSaysHowToGetOne) {
  options_.token.clear();
  Run("audit verify");
  EXPECT_EQ(result_.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(WasPrinted(result_));
  EXPECT_TRUE(absl::StrContains(result_.message(), "carescore token mint --data-dir DIR"))
      << result_;
  EXPECT_TRUE(audit_.metadata().empty());
}

}  // namespace
}  // namespace carescore::cli
