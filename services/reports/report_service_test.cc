#include "services/reports/report_service.h"

#include <map>

#include "clients/cli/import_formats.h"
#include "common/csv.h"
#include "common/measure.h"
#include "gtest/gtest.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/scorecard.h"

namespace carescore::reports {
namespace {

const std::string kSamples = CARESCORE_SAMPLES_DIR;

// The real benchmark rules, read directly rather than over gRPC.
class DirectBenchmarkReader final : public benchmarks::BenchmarkReader {
 public:
  explicit DirectBenchmarkReader(benchmarks::BenchmarkService& service) : service_(service) {}
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override {
    v1::ListPublishedComparatorsRequest r;
    r.set_la_code(std::string(la_code));
    return service_.ListPublishedComparators(r);
  }

 private:
  benchmarks::BenchmarkService& service_;
};

CsvTable Read(const std::string& name) {
  auto t = CsvTable::ReadFile(kSamples + "/" + name);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    indicator_store_ = *indicators::SqliteIndicatorStore::Open(":memory:");
    indicators_ = std::make_unique<indicators::IndicatorService>(*indicator_store_);
    reader_ = std::make_unique<indicators::DirectIndicatorReader>(*indicators_);
    benchmark_store_ = *benchmarks::SqliteBenchmarkStore::Open(":memory:");
    benchmarks_ = std::make_unique<benchmarks::BenchmarkService>(*benchmark_store_, *reader_);
    benchmark_reader_ = std::make_unique<DirectBenchmarkReader>(*benchmarks_);
    service_ = std::make_unique<ReportService>(*reader_, *benchmark_reader_);

    auto las = cli::ParseLocalAuthorities(Read("local_authorities.csv"));
    ASSERT_TRUE(las.ok());
    v1::ImportLocalAuthoritiesRequest l;
    for (auto& la : *las) *l.add_local_authorities() = la;
    ASSERT_TRUE(indicators_->ImportLocalAuthorities(l).ok());
    auto catalogue = cli::ParseCatalogue(Read("indicators.csv"), FinancialYear(2018), "");
    ASSERT_TRUE(catalogue.ok());
    v1::ImportIndicatorsRequest i;
    for (auto& x : catalogue->indicators) *i.add_indicators() = x;
    ASSERT_TRUE(indicators_->ImportIndicators(i).ok());
    v1::SetTargetsRequest t;
    for (auto& x : catalogue->targets) *t.add_targets() = x;
    ASSERT_TRUE(indicators_->SetTargets(t).ok());
    for (const auto& [file, column] :
         {std::pair{"monthly_values.csv", cli::PeriodColumn::kMonth},
          std::pair{"annual_outturns.csv", cli::PeriodColumn::kFinancialYear}}) {
      auto values = cli::ParseValues(Read(file), column);
      ASSERT_TRUE(values.ok());
      ASSERT_TRUE(indicators_->ImportValues(file, *values).ok());
    }
    v1::ImportPublishedComparatorsRequest p;
    auto published = cli::ParsePublishedComparators(Read("published_benchmarks.csv"),
                                                    FinancialYear(2016));
    ASSERT_TRUE(published.ok());
    for (auto& c : *published) *p.add_comparators() = c;
    ASSERT_TRUE(benchmarks_->ImportPublishedComparators(p).ok());
  }

  std::map<std::string, v1::ScorecardLine> October() {
    v1::GetScorecardRequest r;
    r.set_la_code("372");
    r.set_month("2018-10");
    auto card = service_->GetScorecard(r);
    EXPECT_TRUE(card.ok()) << card.status();
    std::map<std::string, v1::ScorecardLine> lines;
    for (const auto& line : card->scorecard().lines()) lines[line.code()] = line;
    return lines;
  }

  std::unique_ptr<indicators::SqliteIndicatorStore> indicator_store_;
  std::unique_ptr<indicators::IndicatorService> indicators_;
  std::unique_ptr<indicators::DirectIndicatorReader> reader_;
  std::unique_ptr<benchmarks::SqliteBenchmarkStore> benchmark_store_;
  std::unique_ptr<benchmarks::BenchmarkService> benchmarks_;
  std::unique_ptr<DirectBenchmarkReader> benchmark_reader_;
  std::unique_ptr<ReportService> service_;
};

TEST_F(ReportServiceTest, RotherhamOctober2018) {
  auto lines = October();
  ASSERT_EQ(lines.size(), 39u);
  EXPECT_EQ(lines["6.2"].dot(), v1::DIRECTION_DECLINING);   // 115.0 -> 116.3, low
  EXPECT_EQ(lines["8.5"].dot(), v1::DIRECTION_IMPROVING);   // 52.5 -> 52.0, low
  EXPECT_EQ(lines["6.1"].dot(), v1::DIRECTION_INCREASE);    // 651 -> 658, info
  EXPECT_EQ(lines["7.2"].dot(), v1::DIRECTION_NO_CHANGE);   // 95.0 -> 95.0
  EXPECT_EQ(FormatFigure(lines["6.8"].ytd(), 1), "86.4");   // 911 of 1055
  EXPECT_EQ(lines["6.8"].rag(), v1::RAG_RED);               // 89.9 < 90
  EXPECT_EQ(lines["8.2"].rag(), v1::RAG_AMBER);             // 12.1: red >= 13, green < 10.8
  EXPECT_EQ(lines["10.4"].rag(), v1::RAG_GREEN);            // A1 351.4 < 487
  EXPECT_EQ(lines["6.9"].rag(), v1::RAG_RED);               // YTD 14 of 141 = 9.9 < 20
  EXPECT_EQ(FormatFigure(lines["6.9"].ytd(), 1), "9.9");
  EXPECT_EQ(lines["6.1"].rag(), v1::RAG_NONE);
  EXPECT_EQ(lines["6.3"].ytd(), 170);                       // admissions summed
  EXPECT_FALSE(lines["6.5"].has_ytd());                      // no numerators
  EXPECT_EQ(lines["11.5a"].rag(), v1::RAG_GREEN);           // 14.6 within 14-20
  EXPECT_EQ(lines["8.1"].published().financial_year(), "2016-17");
  EXPECT_DOUBLE_EQ(lines["8.1"].published().sn_average(), 68.2);
  EXPECT_EQ(lines["10.4"].outturns(3).financial_year(), "2017-18");
  EXPECT_DOUBLE_EQ(lines["10.4"].outturns(3).value(), 325.3);
}

TEST_F(ReportServiceTest, RevisionsShowAndAsOfReproducesTheIssuedCard) {
  const absl::Time issued = absl::Now();
  v1::WriteValuesRequest w;
  w.set_source("rerun");
  v1::ValueInput* v = w.add_values();
  v->set_la_code("372");
  v->set_indicator_code("6.10");
  v->set_month("2018-10");
  v->set_value(92.6);  // health assessments improve when re-run
  ASSERT_TRUE(indicators_->WriteValues(w).ok());
  auto now = October();
  EXPECT_DOUBLE_EQ(now["6.10"].value(), 92.6);
  bool revised = false;
  for (const auto& f : now["6.10"].flags()) revised = revised || f.kind() == v1::FLAG_KIND_REVISED;
  EXPECT_TRUE(revised);

  v1::GetScorecardRequest r;
  r.set_la_code("372");
  r.set_month("2018-10");
  const int64_t us = absl::ToUnixMicros(issued);
  r.mutable_as_of()->set_seconds(us / 1000000);
  r.mutable_as_of()->set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
  auto then = service_->GetScorecard(r);
  ASSERT_TRUE(then.ok()) << then.status();
  for (const auto& line : then->scorecard().lines()) {
    if (line.code() == "6.10") {
      EXPECT_DOUBLE_EQ(line.value(), 86.6);
    }
  }
}

TEST_F(ReportServiceTest, CachedUntilAWriteChangesTheKey) {
  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  ReportService cached(*reader_, *benchmark_reader_, deps);
  v1::GetScorecardRequest r;
  r.set_la_code("372");
  r.set_month("2018-10");
  auto first = cached.GetScorecard(r);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->scorecard().cache(), "miss");
  auto second = cached.GetScorecard(r);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->scorecard().cache(), "hit");
  EXPECT_EQ(second->scorecard().lines_size(), 39);

  v1::WriteValuesRequest w;
  w.set_source("rerun");
  v1::ValueInput* v = w.add_values();
  v->set_la_code("372");
  v->set_indicator_code("6.1");
  v->set_month("2018-10");
  v->set_value(660);
  ASSERT_TRUE(indicators_->WriteValues(w).ok());
  auto third = cached.GetScorecard(r);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->scorecard().cache(), "miss");
  for (const auto& line : third->scorecard().lines()) {
    if (line.code() == "6.1") {
      EXPECT_DOUBLE_EQ(line.value(), 660);
    }
  }
  // Comparators are part of the key too.
  v1::ImportPublishedComparatorsRequest p;
  v1::PublishedComparator* c = p.add_comparators();
  c->set_la_code("372");
  c->set_indicator_code("6.8");
  c->set_financial_year("2017-18");
  c->set_sn_average(88.8);
  ASSERT_TRUE(benchmarks_->ImportPublishedComparators(p).ok());
  auto fourth = cached.GetScorecard(r);
  EXPECT_EQ(fourth->scorecard().cache(), "miss");
  for (const auto& line : fourth->scorecard().lines()) {
    if (line.code() == "6.8") {
      EXPECT_DOUBLE_EQ(line.published().sn_average(), 88.8);
    }
  }
}

TEST_F(ReportServiceTest, TrajectoryMilestonesLaOwnBeforeDefault) {
  v1::SetMilestonesRequest every_la;
  every_la.set_indicator_code("6.10");
  v1::Milestone* m = every_la.add_milestones();
  m->set_month("2018-12");
  m->set_target_value(90);
  ASSERT_TRUE(indicators_->SetMilestones(every_la).ok());
  v1::SetMilestonesRequest own = every_la;
  own.set_la_code("372");
  own.mutable_milestones(0)->set_month("2019-03");
  own.mutable_milestones(0)->set_target_value(98);
  ASSERT_TRUE(indicators_->SetMilestones(own).ok());
  auto lines = October();
  EXPECT_EQ(lines["6.10"].next_milestone().month(), "2019-03");
  EXPECT_NEAR(lines["6.10"].distance_to_milestone(), 98 - 86.6, 1e-9);
  EXPECT_FALSE(lines["6.11"].has_next_milestone());
}

TEST_F(ReportServiceTest, MonthWithoutDataIsNotFound) {
  v1::GetScorecardRequest r;
  r.set_la_code("372");
  r.set_month("2019-05");
  auto card = service_->GetScorecard(r);
  EXPECT_EQ(card.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(card.status().message().find("no data for LA 372 (Rotherham) in May 2019"),
            absl::string_view::npos)
      << card.status();
  r.set_la_code("999");
  EXPECT_EQ(service_->GetScorecard(r).status().code(), absl::StatusCode::kNotFound);
  r.set_la_code("37");
  EXPECT_EQ(service_->GetScorecard(r).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carescore::reports
