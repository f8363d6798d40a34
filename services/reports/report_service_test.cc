#include "services/reports/report_service.h"

#include <atomic>
#include <map>

#include "clients/cli/import_formats.h"
#include "common/csv.h"
#include "common/measure.h"
#include "gtest/gtest.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/direct_benchmark_reader.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/scorecard.h"

namespace carescore::reports {
namespace {

const std::string kSamples = CARESCORE_SAMPLES_DIR;

using benchmarks::DirectBenchmarkReader;

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

  static v1::GetScorecardRequest OctoberRequest() {
    v1::GetScorecardRequest r;
    r.set_la_code("372");
    r.set_month("2018-10");
    return r;
  }

  static std::map<std::string, v1::ScorecardLine> LinesOf(const v1::Scorecard& card) {
    std::map<std::string, v1::ScorecardLine> lines;
    for (const auto& line : card.lines()) lines[line.code()] = line;
    return lines;
  }

  std::map<std::string, v1::ScorecardLine> October() {
    auto card = service_->GetScorecard(OctoberRequest());
    EXPECT_TRUE(card.ok()) << card.status();
    return LinesOf(card->scorecard());
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

  v1::GetScorecardRequest r = OctoberRequest();
  const int64_t us = absl::ToUnixMicros(issued);
  r.mutable_as_of()->set_seconds(us / 1000000);
  r.mutable_as_of()->set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
  auto then = service_->GetScorecard(r);
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_DOUBLE_EQ(LinesOf(then->scorecard())["6.10"].value(), 86.6);
}

TEST_F(ReportServiceTest, CachedUntilAWriteChangesTheKey) {
  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  ReportService cached(*reader_, *benchmark_reader_, deps);
  v1::GetScorecardRequest r = OctoberRequest();
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
  EXPECT_DOUBLE_EQ(LinesOf(third->scorecard())["6.1"].value(), 660);
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
  EXPECT_DOUBLE_EQ(LinesOf(fourth->scorecard())["6.8"].published().sn_average(), 88.8);
}

// Other LAs' values give computed comparators by the DfE method, for the
// last complete year and for the month; and they are part of the cache key.
TEST_F(ReportServiceTest, ComputedComparatorsFromOtherLas) {
  v1::ImportNeighboursRequest n;
  n.set_model("2025");
  for (const auto& [code, rank] : {std::pair{"370", 1}, std::pair{"373", 2}}) {
    v1::Neighbour* x = n.add_neighbours();
    x->set_la_code("372");
    x->set_neighbour_la_code(code);
    x->set_rank(rank);
  }
  ASSERT_TRUE(benchmarks_->ImportNeighbours(n).ok());
  v1::WriteValuesRequest w;
  w.set_source("neighbours");
  auto year = [&w](const char* la, double num, double den) {
    v1::ValueInput* v = w.add_values();
    v->set_la_code(la);
    v->set_indicator_code("6.8");
    v->set_financial_year("2017-18");
    v->set_numerator(num);
    v->set_denominator(den);
    v->set_value(100 * num / den);
  };
  year("370", 190, 200);  // 95.0
  year("371", 80, 100);   // 80.0
  year("373", 170, 200);  // 85.0; Rotherham's own 2017-18 is 90.6 (1502 of 1658)
  v1::ValueInput* month = w.add_values();
  month->set_la_code("373");
  month->set_indicator_code("6.8");
  month->set_month("2018-10");
  month->set_numerator(88);
  month->set_denominator(100);
  month->set_value(88);
  ASSERT_TRUE(indicators_->WriteValues(w).ok());

  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  ReportService cached(*reader_, *benchmark_reader_, deps);
  v1::GetScorecardRequest r = OctoberRequest();
  auto card = cached.GetScorecard(r);
  ASSERT_TRUE(card.ok()) << card.status();
  std::map<std::string, v1::ScorecardLine> lines = LinesOf(card->scorecard());

  const v1::ComparatorFigures& c = lines["6.8"].computed();
  EXPECT_EQ(c.source(), v1::COMPARATOR_SOURCE_COMPUTED);
  EXPECT_EQ(c.financial_year(), "2017-18");
  EXPECT_DOUBLE_EQ(c.la_value(), 90.6);
  // Pooled: (1502 + 190 + 80 + 170) / (1658 + 200 + 100 + 200).
  EXPECT_EQ(c.national_method(), v1::NATIONAL_METHOD_POOLED);
  EXPECT_NEAR(c.national_average(), 100.0 * 1942 / 2158, 1e-9);
  EXPECT_DOUBLE_EQ(c.sn_average(), 90.0);  // (95 + 85) / 2
  EXPECT_EQ(c.sn_count(), 2);
  EXPECT_DOUBLE_EQ(c.best_sn(), 95.0);
  EXPECT_EQ(c.rank(), 2);  // 95, 90.6, 85, 80: high is good
  EXPECT_EQ(c.rank_of(), 4);
  // Type 7 over 80, 85, 90.6, 95: Q3 = 90.6 + 0.25 * 4.4 = 91.7; 90.6 is B.
  EXPECT_NEAR(c.top_quartile_threshold(), 91.7, 1e-9);
  EXPECT_EQ(c.quartile(), v1::QUARTILE_BAND_B);
  EXPECT_NEAR(c.gap_sn_average(), 89.9 - 90.0, 1e-9);  // the in-month value's gap

  const v1::ComparatorFigures& m = lines["6.8"].computed_month();
  EXPECT_EQ(m.month(), "2018-10");
  EXPECT_NEAR(m.national_average(), 100.0 * 221 / 248, 1e-9);
  EXPECT_EQ(m.rank(), 1);
  EXPECT_EQ(m.rank_of(), 2);
  // Lines no other LA reports have none; published ones are untouched.
  EXPECT_FALSE(lines["6.2"].has_computed());
  EXPECT_FALSE(lines["6.2"].has_computed_month());
  EXPECT_DOUBLE_EQ(lines["8.1"].published().sn_average(), 68.2);

  // Another LA's write changes the national figure: not served stale.
  EXPECT_EQ(cached.GetScorecard(r)->scorecard().cache(), "hit");
  v1::WriteValuesRequest again;
  again.set_source("371 re-run");
  v1::ValueInput* v = again.add_values();
  v->set_la_code("371");
  v->set_indicator_code("6.8");
  v->set_financial_year("2017-18");
  v->set_numerator(70);
  v->set_denominator(100);
  v->set_value(70);
  ASSERT_TRUE(indicators_->WriteValues(again).ok());
  auto after = cached.GetScorecard(r);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->scorecard().cache(), "miss");
  EXPECT_NEAR(LinesOf(after->scorecard())["6.8"].computed().national_average(), 100.0 * 1932 / 2158, 1e-9);
}

// With leases, a hit asks the other services nothing, and a write is still
// seen by the very next scorecard: the write is answered only after every
// lease handed out before it has lapsed.
TEST_F(ReportServiceTest, LeasedVersionsNeverServeAnAnsweredWriteStale) {
  indicators::IndicatorService leased_indicators(*indicator_store_, absl::Milliseconds(150));
  indicators::DirectIndicatorReader leased_reader(leased_indicators);
  benchmarks::BenchmarkService leased_benchmarks(*benchmark_store_, leased_reader,
                                                 absl::Milliseconds(150));
  DirectBenchmarkReader leased_benchmark_reader(leased_benchmarks);
  // Counts the version calls that reach the indicator rules.
  struct Counting final : indicators::IndicatorReader {
    explicit Counting(indicators::IndicatorReader& wrapped) : inner(wrapped) {}
    absl::StatusOr<v1::Indicator> GetIndicator(absl::string_view c) override {
      return inner.GetIndicator(c);
    }
    absl::StatusOr<std::vector<v1::LocalAuthority>> ListLocalAuthorities() override {
      return inner.ListLocalAuthorities();
    }
    absl::StatusOr<v1::LocalAuthority> GetLocalAuthority(absl::string_view la) override {
      return inner.GetLocalAuthority(la);
    }
    absl::StatusOr<std::vector<v1::Value>> ListValues(v1::ListValuesRequest r) override {
      return inner.ListValues(std::move(r));
    }
    absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override {
      return inner.ListIndicators();
    }
    absl::StatusOr<std::vector<v1::Target>> ListTargets(const v1::ListTargetsRequest& r) override {
      return inner.ListTargets(r);
    }
    absl::StatusOr<std::vector<v1::Milestone>> ListMilestones(
        const v1::ListMilestonesRequest& r) override {
      return inner.ListMilestones(r);
    }
    absl::StatusOr<std::vector<v1::Value>> ListValueHistory(
        const v1::ListValueHistoryRequest& r) override {
      return inner.ListValueHistory(r);
    }
    absl::StatusOr<v1::GetDataVersionResponse> GetDataVersion(absl::string_view la) override {
      ++version_calls;
      return inner.GetDataVersion(la);
    }
    indicators::IndicatorReader& inner;
    std::atomic<int> version_calls{0};
  } counting(leased_reader);

  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  ReportService cached(counting, leased_benchmark_reader, deps);
  v1::GetScorecardRequest r = OctoberRequest();
  ASSERT_EQ(cached.GetScorecard(r)->scorecard().cache(), "miss");
  const int asked = counting.version_calls.load();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(cached.GetScorecard(r)->scorecard().cache(), "hit");
  // Twenty hits inside a 150 ms lease take far less than 150 ms here; at
  // most one more version call can have happened if the lease ran out.
  EXPECT_LE(counting.version_calls.load(), asked + 1);

  for (double value : {661.0, 662.0, 663.0}) {
    v1::WriteValuesRequest w;
    w.set_source("rerun");
    v1::ValueInput* v = w.add_values();
    v->set_la_code("372");
    v->set_indicator_code("6.1");
    v->set_month("2018-10");
    v->set_value(value);
    ASSERT_TRUE(leased_indicators.WriteValues(w).ok());
    auto next = cached.GetScorecard(r);
    ASSERT_TRUE(next.ok());
    for (const auto& line : next->scorecard().lines()) {
      if (line.code() == "6.1") {
        EXPECT_DOUBLE_EQ(line.value(), value);
      }
    }
  }
}

TEST_F(ReportServiceTest, TrajectoryMilestonesLaOwnBeforeDefault) {
  // A scorecard first, so that the reference data (catalogue, targets,
  // milestones) is held: the writes below must still be seen.
  EXPECT_FALSE(October()["6.10"].has_next_milestone());
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

  // A new target is seen at once too.
  v1::SetTargetsRequest targets;
  v1::Target* t = targets.add_targets();
  t->set_indicator_code("6.8");
  t->set_financial_year("2018-19");
  t->set_kind(v1::TARGET_KIND_THRESHOLDS);
  t->set_red_threshold(85);
  t->set_green_threshold(89);
  ASSERT_TRUE(indicators_->SetTargets(targets).ok());
  EXPECT_EQ(October()["6.8"].rag(), v1::RAG_GREEN);  // 89.9 >= 89
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
