#include "services/reports/report_service.h"

#include <atomic>
#include <map>

#include "common/measure.h"
#include "common/testing/page_through.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/reports/commentary_store.h"
#include "services/reports/scorecard.h"
#include "services/reports/testing/report_fixture.h"

namespace carescore::reports {
namespace {

using ReportServiceTest = ReportServiceFixture;

v1::GetReportRequest ReportRequest(v1::ReportFormat format) {
  v1::GetReportRequest r;
  r.set_la_code("372");
  r.set_month("2018-10");
  r.set_format(format);
  return r;
}

// The JSON report, read back into the document it was made from.
v1::ReportDocument JsonReport(ReportService& service) {
  v1::ReportDocument doc;
  absl::StatusOr<v1::GetReportResponse> json =
      service.GetReport(ReportRequest(v1::REPORT_FORMAT_JSON));
  EXPECT_TRUE(json.ok()) << json.status();
  if (!json.ok()) return doc;
  EXPECT_EQ(json->content_type(), "application/json");
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json->content(), &doc).ok());
  return doc;
}

TEST_F(ReportServiceTest, RotherhamOctober2018) {
  auto lines = October();
  ASSERT_EQ(lines.size(), 39u);
  EXPECT_EQ(lines["6.2"].dot(), v1::DIRECTION_DECLINING);  // 115.0 -> 116.3, low
  EXPECT_EQ(lines["8.5"].dot(), v1::DIRECTION_IMPROVING);  // 52.5 -> 52.0, low
  EXPECT_EQ(lines["6.1"].dot(), v1::DIRECTION_INCREASE);   // 651 -> 658, info
  EXPECT_EQ(lines["7.2"].dot(), v1::DIRECTION_NO_CHANGE);  // 95.0 -> 95.0
  EXPECT_EQ(FormatFigure(lines["6.8"].ytd(), 1), "86.4");  // 911 of 1055
  EXPECT_EQ(lines["6.8"].rag(), v1::RAG_RED);              // 89.9 < 90
  EXPECT_EQ(lines["8.2"].rag(), v1::RAG_AMBER);            // 12.1: red >= 13, green < 10.8
  EXPECT_EQ(lines["10.4"].rag(), v1::RAG_GREEN);           // A1 351.4 < 487
  EXPECT_EQ(lines["6.9"].rag(), v1::RAG_RED);              // YTD 14 of 141 = 9.9 < 20
  EXPECT_EQ(FormatFigure(lines["6.9"].ytd(), 1), "9.9");
  EXPECT_EQ(lines["6.1"].rag(), v1::RAG_NONE);
  EXPECT_EQ(lines["6.3"].ytd(), 170);              // admissions summed
  EXPECT_FALSE(lines["6.5"].has_ytd());            // no numerators
  EXPECT_EQ(lines["11.5a"].rag(), v1::RAG_GREEN);  // 14.6 within 14-20
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
  EXPECT_EQ(first->cache(), "miss");
  auto second = cached.GetScorecard(r);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->cache(), "hit");
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
  EXPECT_EQ(third->cache(), "miss");
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
  EXPECT_EQ(fourth->cache(), "miss");
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
  EXPECT_EQ(cached.GetScorecard(r)->cache(), "hit");
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
  EXPECT_EQ(after->cache(), "miss");
  EXPECT_NEAR(LinesOf(after->scorecard())["6.8"].computed().national_average(), 100.0 * 1932 / 2158,
              1e-9);
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
  SwitchableIndicatorReader counting(leased_reader);

  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  ReportService cached(counting, leased_benchmark_reader, deps);
  v1::GetScorecardRequest r = OctoberRequest();
  ASSERT_EQ(cached.GetScorecard(r)->cache(), "miss");
  const int asked = counting.version_calls();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(cached.GetScorecard(r)->cache(), "hit");
  // Twenty hits inside a 150 ms lease take far less than 150 ms here; at
  // most one more version call can have happened if the lease ran out.
  EXPECT_LE(counting.version_calls(), asked + 1);

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

TEST_F(ReportServiceTest, WithoutACacheEveryScorecardIsUncached) {
  for (int i = 0; i < 2; ++i) {
    auto card = service_->GetScorecard(OctoberRequest());
    ASSERT_TRUE(card.ok()) << card.status();
    EXPECT_EQ(card->cache(), "uncached");
    EXPECT_EQ(card->scorecard().lines_size(), 39);
  }
}

// The cache's bytes are the Scorecard's: a hit is the miss's bytes as they
// are, and the parsed answer is the same card.
TEST_F(ReportServiceTest, AHitIsTheMissesBytesUnparsed) {
  InProcessScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  std::unique_ptr<ReportService> cached = MakeService(deps);
  absl::StatusOr<ScorecardBytes> miss = cached->GetScorecardBytes(OctoberRequest());
  ASSERT_TRUE(miss.ok()) << miss.status();
  EXPECT_EQ(miss->cache, "miss");
  absl::StatusOr<ScorecardBytes> hit = cached->GetScorecardBytes(OctoberRequest());
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(hit->cache, "hit");
  EXPECT_EQ(hit->scorecard, miss->scorecard);
  v1::Scorecard card;
  ASSERT_TRUE(card.ParseFromString(hit->scorecard));
  EXPECT_EQ(card.lines_size(), 39);
  EXPECT_EQ(card.la_name(), "Rotherham");
}

TEST_F(ReportServiceTest, EscalationFiguresComeFromTheEscalationService) {
  v1::GetEscalationSummaryResponse summary;
  summary.add_months()->set_month("2018-10");
  escalations_.SetSummary(summary);
  std::unique_ptr<ReportService> service = MakeService();
  v1::ReportDocument doc = JsonReport(*service);
  EXPECT_EQ(doc.escalations_size(), 1);
  EXPECT_EQ(doc.escalations_note(), "");
  std::optional<v1::GetEscalationSummaryRequest> asked = escalations_.last_request();
  ASSERT_TRUE(asked.has_value());
  EXPECT_EQ(asked->la_code(), "372");
  EXPECT_EQ(asked->from_month(), "2018-04");  // the financial year so far
  EXPECT_EQ(asked->to_month(), "2018-10");
}

TEST_F(ReportServiceTest, EscalationServiceDownTheReportStillComesOutAndSaysWhy) {
  escalations_.Fail(absl::UnavailableError("escalations: connection refused"));
  std::unique_ptr<ReportService> service = MakeService();
  v1::ReportDocument doc = JsonReport(*service);
  EXPECT_EQ(doc.scorecard().lines_size(), 39);
  EXPECT_EQ(doc.escalations_size(), 0);
  EXPECT_EQ(doc.escalations_note(),
            "Escalation figures unavailable: escalations: connection refused");
  v1::GetReportRequest html = ReportRequest(v1::REPORT_FORMAT_HTML);
  absl::StatusOr<v1::GetReportResponse> page = service->GetReport(html);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_NE(page->content().find("Escalation figures unavailable: escalations: connection "
                                 "refused"),
            std::string::npos);
}

TEST_F(ReportServiceTest, NoEscalationServiceConnectedSaysSo) {
  EXPECT_EQ(JsonReport(*service_).escalations_note(), "The escalation service is not connected.");
}

// The scorecard needs the comparators' version before anything else: with
// the benchmark service down it fails with that service's error, and so
// do the reports built on it.
TEST_F(ReportServiceTest, BenchmarkServiceDownFailsWithItsError) {
  std::unique_ptr<ReportService> service = MakeService();
  switchable_benchmarks_->Fail(absl::UnavailableError("benchmarks: connection refused"));
  absl::StatusOr<v1::GetScorecardResponse> card = service->GetScorecard(OctoberRequest());
  EXPECT_EQ(card.status(), absl::UnavailableError("benchmarks: connection refused"));
  EXPECT_EQ(service->GetReport(ReportRequest(v1::REPORT_FORMAT_JSON)).status(), card.status());
  v1::GetHighlightsRequest highlights;
  highlights.set_la_code("372");
  highlights.set_month("2018-10");
  EXPECT_EQ(service->GetHighlights(highlights).status(), card.status());
  // Back up: the next call works.
  switchable_benchmarks_->Recover();
  card = service->GetScorecard(OctoberRequest());
  ASSERT_TRUE(card.ok()) << card.status();
  EXPECT_EQ(card->scorecard().lines_size(), 39);
}

TEST_F(ReportServiceTest, IndicatorServiceDownFailsWithItsError) {
  std::unique_ptr<ReportService> service = MakeService();
  switchable_indicators_->Fail(absl::DeadlineExceededError("indicators: deadline exceeded"));
  EXPECT_EQ(service->GetScorecard(OctoberRequest()).status(),
            absl::DeadlineExceededError("indicators: deadline exceeded"));
}

// A cache whose store fails misses and drops what it is given (its
// contract): every scorecard is computed, and answered as a miss.
TEST_F(ReportServiceTest, AFailingCacheServesComputedScorecards) {
  SwitchableScorecardCache cache;
  ReportDependencies deps;
  deps.cache = &cache;
  std::unique_ptr<ReportService> service = MakeService(deps);
  const auto uncached = service_->GetScorecard(OctoberRequest());
  ASSERT_TRUE(uncached.ok());
  cache.SetDown(true);
  for (int i = 0; i < 3; ++i) {
    auto card = service->GetScorecard(OctoberRequest());
    ASSERT_TRUE(card.ok()) << card.status();
    EXPECT_EQ(card->cache(), "miss");
    EXPECT_EQ(card->scorecard().SerializeAsString(), uncached->scorecard().SerializeAsString());
  }
  EXPECT_EQ(cache.puts.load(), 3);
  cache.SetDown(false);
  EXPECT_EQ(service->GetScorecard(OctoberRequest())->cache(), "miss");
  EXPECT_EQ(service->GetScorecard(OctoberRequest())->cache(), "hit");
}

TEST_F(ReportServiceTest, CommentaryPagesBySectionWithBoundTokens) {
  auto store = SqliteCommentaryStore::Open(":memory:");
  ASSERT_TRUE(store.ok()) << store.status();
  ReportDependencies deps;
  deps.commentary = store->get();
  std::unique_ptr<ReportService> service = MakeService(std::move(deps));
  for (const char* section : {"Permanence", "Child Protection", "Looked After Children"}) {
    v1::SetCommentaryRequest set;
    set.set_la_code("372");
    set.set_month("2018-10");
    set.set_section(section);
    set.set_text("steady");
    set.set_author("pm-1");
    ASSERT_TRUE(service->SetCommentary(set).ok());
  }
  auto list = [&](const v1::ListCommentaryRequest& r) { return service->ListCommentary(r); };
  auto items = [](const v1::ListCommentaryResponse& r) -> const auto& { return r.commentary(); };
  v1::ListCommentaryRequest october;
  october.set_la_code("372");
  october.set_month("2018-10");
  for (int size : {1, 2}) {
    std::vector<std::string> sections;
    for (const auto& c : carescore::testing::PageThrough(list, october, size, items)) {
      sections.push_back(c.section());
    }
    EXPECT_EQ(sections, (std::vector<std::string>{"Child Protection", "Looked After Children",
                                                  "Permanence"}));
  }
  v1::ListCommentaryRequest september = october;
  september.set_month("2018-09");
  carescore::testing::ExpectTokensBoundToFilters(list, october, september);
}

}  // namespace
}  // namespace carescore::reports
