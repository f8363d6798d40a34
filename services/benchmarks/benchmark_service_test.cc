#include "services/benchmarks/benchmark_service.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <map>

#include "common/testing/page_through.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/benchmarks/comparators.h"
#include "services/benchmarks/testing/benchmark_fixture.h"

namespace carescore::benchmarks {
namespace {

using testing::kEngland;
using testing::kSamples;
using testing::Read;

class BenchmarkServiceTest : public testing::BenchmarkFixture {};

TEST_F(BenchmarkServiceTest, PublishedRotherhamPlacementStability) {
  ImportCatalogue(kSamples + "/indicators.csv");
  ImportPublished(kSamples + "/published_benchmarks.csv", "2016-17");
  v1::GetBenchmarkRequest get;
  get.set_la_code("372");
  get.set_indicator_code("8.1");
  get.set_financial_year("2016-17");
  get.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  auto b = service_->GetBenchmark(get);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_DOUBLE_EQ(b->benchmark().sn_average(), 68.2);
  EXPECT_DOUBLE_EQ(b->benchmark().best_sn(), 85.0);
  EXPECT_DOUBLE_EQ(b->benchmark().national_average(), 70.0);
  EXPECT_DOUBLE_EQ(b->benchmark().top_quartile_threshold(), 74.0);
  EXPECT_EQ(b->benchmark().source(), v1::COMPARATOR_SOURCE_PUBLISHED);
  // 6.2 has no published top quartile: absent, never zero.
  get.set_indicator_code("6.2");
  auto rate = service_->GetBenchmark(get);
  ASSERT_TRUE(rate.ok());
  EXPECT_FALSE(rate->benchmark().has_top_quartile_threshold());
  get.set_financial_year("2017-18");
  auto missing = service_->GetBenchmark(get);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(
      missing.status().message().find("no published comparators for 6.2 for LA 372 in 2017-18"),
      absl::string_view::npos);
}

TEST_F(BenchmarkServiceTest, BadPublishedRowsStoreNothing) {
  ImportCatalogue(kSamples + "/indicators.csv");
  v1::ImportPublishedComparatorsRequest r;
  auto add = [&r](const char* la, const char* code, const char* year) {
    v1::PublishedComparator* c = r.add_comparators();
    c->set_la_code(la);
    c->set_indicator_code(code);
    c->set_financial_year(year);
    c->set_sn_average(1);
    return c;
  };
  add("372", "8.1", "2016-17");
  add("372", "no.such", "2016-17");
  add("999", "8.1", "2016-17");
  add("372", "8.2", "2016-18");
  add("372", "8.1", "2016-17");
  add("372", "8.3", "2016-17")->clear_sn_average();
  auto rejected = service_->ImportPublishedComparators(r);
  ASSERT_FALSE(rejected.ok());
  const std::string m(rejected.status().message());
  for (const char* expected : {"row 2: field code", "row 3: field la_code", "row 4: field year",
                               "row 5: field code: duplicate", "row 6: field"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n" << m;
  }
  v1::GetBenchmarkRequest get;
  get.set_la_code("372");
  get.set_indicator_code("8.1");
  get.set_financial_year("2016-17");
  get.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  EXPECT_EQ(service_->GetBenchmark(get).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store_->Version(), 0);
}

TEST_F(BenchmarkServiceTest, PublishedFiguresOutsideTheUnitsRangeAreRefused) {
  ImportCatalogue(kSamples + "/indicators.csv");
  v1::ImportPublishedComparatorsRequest r;
  v1::PublishedComparator* c = r.add_comparators();
  c->set_la_code("372");
  c->set_indicator_code("8.1");  // A percentage.
  c->set_financial_year("2016-17");
  c->set_sn_average(68.2);
  c->set_national_average(150);
  c->set_best_sn(-3);
  auto rejected = service_->ImportPublishedComparators(r);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string m(rejected.status().message());
  EXPECT_NE(m.find("national_average: 150 is not a percentage between 0 and 100"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("best_statistical_neighbour: -3 is negative"), std::string::npos) << m;
  EXPECT_EQ(*store_->Version(), 0);
  c->set_national_average(100);
  c->set_best_sn(85);
  EXPECT_TRUE(service_->ImportPublishedComparators(r).ok());
}

TEST_F(BenchmarkServiceTest, BadNeighbourRowsStoreNothing) {
  v1::ImportNeighboursRequest r;
  r.set_model("2025");
  auto add = [&r](const char* la, const char* n, int rank) {
    v1::Neighbour* x = r.add_neighbours();
    x->set_la_code(la);
    x->set_neighbour_la_code(n);
    x->set_rank(rank);
  };
  add("372", "370", 1);
  add("372", "372", 2);  // itself
  add("372", "999", 3);  // unknown
  add("372", "373", 1);  // duplicate rank
  add("372", "370", 5);  // duplicate neighbour
  auto rejected = service_->ImportNeighbours(r);
  ASSERT_FALSE(rejected.ok());
  const std::string m(rejected.status().message());
  for (const char* expected : {"row 2: field neighbour_la_code: LA 372 cannot be its own neighbour",
                               "row 3: field neighbour_la_code: unknown LA", "row 4: field rank",
                               "row 5: field neighbour_la_code"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << "\n" << m;
  }
  v1::ListModelsRequest models;
  EXPECT_EQ(service_->ListModels(models)->models_size(), 0);
}

// Expected figures worked independently from the shared national files
// (Python: statistics.quantiles(method="inclusive") is type 7).
TEST_F(BenchmarkServiceTest, NationalOutturnsMatchTheDfeMethod) {
  ImportCatalogue(kEngland + "/indicators.csv");
  ImportOutturns(kEngland + "/outturns.csv");
  ImportNeighbours(kEngland + "/statistical_neighbours_2025.csv", "2025");
  ImportNeighbours(kEngland + "/statistical_neighbours_2021.csv", "2021");
  v1::ListModelsRequest models;
  EXPECT_EQ(service_->ListModels(models)->models(0), "2025");

  struct Case {
    const char* la;
    const char* code;
    int rank;
    int rank_of;
    const char* band;
    double sn;
    int sn_count;
    double top_quartile;
  };
  for (const Case& c : {
           Case{"372", "CPP_Abuse_Rate", 111, 151, "C", 78.63, 10, 41.25},
           Case{"382", "CPPlans2yrs", 1, 133, "A", 4.7375, 8, 3.0},  // tied at 0
           Case{"808", "CP_conf_15days", 118, 151, "D", 76.83, 10, 88.9},
           Case{"372", "CareLeaverAcc", 30, 149, "B", 89.7, 10, 93.0},  // exactly on Q3
           Case{"202", "CareLeaverEET", 47, 152, "B", 61.2, 10, 60.0},
       }) {
    SCOPED_TRACE(std::string(c.la) + " " + c.code);
    auto b = Computed(c.la, c.code, "2024-25");
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(b->rank(), c.rank);
    EXPECT_EQ(b->rank_of(), c.rank_of);
    EXPECT_EQ(BandLetter(b->quartile()), c.band);
    EXPECT_NEAR(b->sn_average(), c.sn, 1e-9);
    EXPECT_EQ(b->sn_count(), c.sn_count);
    EXPECT_EQ(b->sn_size(), 10);
    EXPECT_NEAR(b->top_quartile_threshold(), c.top_quartile, 1e-9);
    EXPECT_EQ(b->model(), "2025");
    EXPECT_EQ(b->source(), v1::COMPARATOR_SOURCE_COMPUTED);
  }

  // Ranks list every LA with a value, best first, ties sharing a rank.
  v1::ListRanksRequest ranks;
  ranks.set_indicator_code("CPPlans2yrs");
  ranks.set_financial_year("2024-25");
  auto listed = service_->ListRanks(ranks);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->rank_of(), 133);
  EXPECT_EQ(listed->ranks(0).rank(), 1);
  EXPECT_EQ(listed->ranks(1).rank(), 1);

  // Info measures: averages, no rank, best or band.
  auto info = Computed("372", "CPP_rate", "2024-25");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->rank(), 0);
  EXPECT_FALSE(info->has_best_sn());
  EXPECT_EQ(info->quartile(), v1::QUARTILE_BAND_UNSPECIFIED);
  EXPECT_TRUE(info->has_sn_average());
  EXPECT_TRUE(info->has_national_average());

  // The older model is there on request.
  v1::GetBenchmarkRequest older;
  older.set_la_code("372");
  older.set_indicator_code("CareLeaverAcc");
  older.set_financial_year("2024-25");
  older.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  older.set_model("2021");
  auto b2021 = service_->GetBenchmark(older);
  ASSERT_TRUE(b2021.ok());
  EXPECT_EQ(b2021->benchmark().model(), "2021");
  older.set_sn_aggregate(v1::SN_AGGREGATE_MEDIAN);
  EXPECT_EQ(service_->GetBenchmark(older)->benchmark().sn_aggregate(), v1::SN_AGGREGATE_MEDIAN);
}

// The national files carry no numerators, so no national figure can be
// pooled: the service says so and gives the mean of LA values. Compared with
// the DfE's published England figures, the mean must lie within the LAs'
// range, and for rates and percentages it is close to the pooled figure.
TEST_F(BenchmarkServiceTest, ComputedNationalFiguresAgainstPublishedEngland) {
  ImportCatalogue(kEngland + "/indicators.csv");
  ImportOutturns(kEngland + "/outturns.csv");
  std::map<std::string, v1::Indicator> catalogue;
  auto parsed = ParseCatalogue(Read(kEngland + "/indicators.csv"), std::nullopt, "");
  ASSERT_TRUE(parsed.ok());
  for (auto& i : parsed->indicators) catalogue[i.code()] = i;
  CsvTable published = Read(kEngland + "/england_and_region_outturns.csv");
  int compared = 0;
  int close = 0;
  for (const CsvRow& row : published.rows()) {
    if (published.Field(row, "area") != "England" ||
        published.Field(row, "financial_year") != "2023-24") {
      continue;
    }
    const std::string code(published.Field(row, "code"));
    const v1::Indicator& ind = catalogue[code];
    if (ind.unit() != v1::UNIT_PERCENT && ind.unit() != v1::UNIT_RATE_PER_10K) continue;
    auto b = Computed("372", code, "2023-24");
    if (!b.ok()) continue;  // No LA value that year.
    ++compared;
    EXPECT_EQ(b->national_method(), v1::NATIONAL_METHOD_MEAN) << code;
    bool noted = false;
    for (const auto& n : b->notes()) noted = noted || n.find("not pooled") != std::string::npos;
    EXPECT_TRUE(noted) << code;
    const double england = std::stod(std::string(published.Field(row, "value")));
    const double relative =
        std::fabs(b->national_average() - england) / std::max(1.0, std::fabs(england));
    if (relative < 0.15) ++close;
  }
  EXPECT_GT(compared, 20);
  // Most measures' LA mean lies near England's pooled figure; a few differ
  // because small LAs weigh as much as large ones.
  EXPECT_GT(close * 10, compared * 7) << close << " of " << compared;
}

TEST_F(BenchmarkServiceTest, NothingToComputeIsNotFound) {
  ImportCatalogue(kSamples + "/indicators.csv");
  auto b = Computed("372", "8.1", "2016-17");
  EXPECT_EQ(b.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(b.status().message().find("no LA has a value of 8.1 in 2016-17"),
            absl::string_view::npos);
  EXPECT_EQ(Computed("372", "nope", "2016-17").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Computed("999", "8.1", "2016-17").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Computed("37", "8.1", "2016-17").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BenchmarkServiceTest, HandMadeMonthWithMissingAndPooling) {
  v1::ImportIndicatorsRequest cat;
  v1::Indicator* ind = cat.add_indicators();
  ind->set_code("R1");
  ind->set_section("Test");
  ind->set_title("Reviews on time");
  ind->set_polarity(v1::POLARITY_HIGH);
  ind->set_unit(v1::UNIT_PERCENT);
  ind->set_period_type(v1::PERIOD_TYPE_MONTH_END);
  ind->set_quartiles(true);
  ASSERT_TRUE(indicator_service_->ImportIndicators(cat).ok());
  v1::WriteValuesRequest w;
  w.set_source("t");
  auto add = [&w](const char* la, std::optional<double> num, std::optional<double> den) {
    v1::ValueInput* v = w.add_values();
    v->set_la_code(la);
    v->set_indicator_code("R1");
    v->set_month("2018-10");
    if (num) v->set_numerator(*num);
    if (den) v->set_denominator(*den);
  };
  add("372", 133, 148);
  add("370", 1, 2);
  add("373", 9, 10);
  add("371", std::nullopt, std::nullopt);  // recorded as missing
  ASSERT_TRUE(indicator_service_->WriteValues(w).ok());
  v1::ImportNeighboursRequest n;
  n.set_model("m");
  for (auto [nb, rank] : {std::pair{"370", 1}, {"371", 2}, {"373", 3}}) {
    v1::Neighbour* x = n.add_neighbours();
    x->set_la_code("372");
    x->set_neighbour_la_code(nb);
    x->set_rank(rank);
  }
  ASSERT_TRUE(service_->ImportNeighbours(n).ok());
  v1::GetBenchmarkRequest r;
  r.set_la_code("372");
  r.set_indicator_code("R1");
  r.set_month("2018-10");
  auto b = service_->GetBenchmark(r);
  ASSERT_TRUE(b.ok()) << b.status();
  const v1::Benchmark& x = b->benchmark();
  EXPECT_EQ(x.source(), v1::COMPARATOR_SOURCE_COMPUTED);  // no published for months
  EXPECT_EQ(x.national_method(), v1::NATIONAL_METHOD_POOLED);
  EXPECT_NEAR(x.national_average(), (133.0 + 1 + 9) / (148 + 2 + 10) * 100, 1e-9);
  EXPECT_EQ(x.sn_count(), 2);  // the missing neighbour is not a zero
  EXPECT_EQ(x.sn_size(), 3);
  EXPECT_NEAR(x.sn_average(), (50.0 + 90.0) / 2, 1e-9);
  EXPECT_DOUBLE_EQ(x.best_sn(), 90.0);
  EXPECT_EQ(x.best_sn_la_code(), "373");
  EXPECT_EQ(x.rank(), 2);
  EXPECT_EQ(x.rank_of(), 3);
  EXPECT_EQ(x.gap_best_sn().position(), v1::POSITION_WORSE);
  EXPECT_EQ(x.gap_sn_average().position(), v1::POSITION_BETTER);
}

// The batch gives, for every code, exactly what GetBenchmark computes.
TEST_F(BenchmarkServiceTest, BatchEqualsOneByOneOnNationalOutturns) {
  ImportCatalogue(kEngland + "/indicators.csv");
  ImportOutturns(kEngland + "/outturns.csv");
  ImportNeighbours(kEngland + "/statistical_neighbours_2025.csv", "2025");
  const std::vector<std::string> codes = {"CPP_Abuse_Rate", "CareLeaverAcc", "CPP_rate",
                                          "CP_conf_15days", "NoSuchCode",    "CareLeaverAcc"};
  v1::BatchGetBenchmarksRequest batch;
  batch.set_la_code("372");
  batch.set_financial_year("2024-25");
  for (const std::string& c : codes) batch.add_indicator_codes(c);
  auto got = service_->BatchGetBenchmarks(batch);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->benchmarks_size(), 4);  // The repeat answered once.
  ASSERT_EQ(got->no_values_size(), 1);
  EXPECT_EQ(got->no_values(0), "NoSuchCode");
  for (int i = 0; i < 4; ++i) {
    const v1::Benchmark& b = got->benchmarks(i);
    EXPECT_EQ(b.indicator_code(), codes[static_cast<size_t>(i)]);
    auto one = Computed("372", b.indicator_code(), "2024-25");
    ASSERT_TRUE(one.ok()) << one.status();
    EXPECT_EQ(b.DebugString(), one->DebugString());
    EXPECT_GT(b.la_count(), 140);
  }
  EXPECT_EQ(got->benchmarks(1).quartile(), v1::QUARTILE_BAND_B);  // CareLeaverAcc, on Q3

  // A month and a year together: the month has no values here.
  batch.set_month("2024-06");
  auto both = service_->BatchGetBenchmarks(batch);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->benchmarks_size(), 4);
  for (const auto& b : both->benchmarks()) EXPECT_EQ(b.financial_year(), "2024-25");

  for (const auto& [mutate, field] :
       std::vector<std::pair<std::function<void(v1::BatchGetBenchmarksRequest&)>, std::string>>{
           {[](auto& r) { r.set_la_code("37"); }, "la_code"},
           {[](auto& r) { r.clear_indicator_codes(); }, "indicator_codes"},
           {[](auto& r) { r.set_month("2024-13"); }, "month"},
           {[](auto& r) {
              r.clear_month();
              r.clear_financial_year();
            },
            "month or a financial year"}}) {
    v1::BatchGetBenchmarksRequest bad = batch;
    mutate(bad);
    auto refused = service_->BatchGetBenchmarks(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr(field));
  }
  v1::BatchGetBenchmarksRequest unknown = batch;
  unknown.set_la_code("999");
  EXPECT_EQ(service_->BatchGetBenchmarks(unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BenchmarkServiceTest, ComparatorsVersionRisesWithWritesAndCarriesTheLease) {
  BenchmarkService leased(*store_, *reader_, absl::Milliseconds(30));
  auto before = leased.GetComparatorsVersion({});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->lease().nanos(), 30000000);
  ImportNeighbours(kEngland + "/statistical_neighbours_2025.csv", "2025");
  auto after = leased.GetComparatorsVersion({});
  EXPECT_GT(after->version(), before->version());
}

// Pages of 1 and 2 give what one page of the maximum gives, in its order,
// and tokens are bound to the filters (common/paging.h).
TEST_F(BenchmarkServiceTest, EveryListPagesInOrderWithBoundTokens) {
  using carescore::testing::ExpectBadTokensRefused;
  using carescore::testing::ExpectTokensBoundToFilters;
  using carescore::testing::PageThrough;
  ImportCatalogue(kEngland + "/indicators.csv");
  ImportCatalogue(kSamples + "/indicators.csv");
  ImportOutturns(kEngland + "/outturns.csv");
  ImportNeighbours(kEngland + "/statistical_neighbours_2021.csv", "2021");
  ImportNeighbours(kEngland + "/statistical_neighbours_2025.csv", "2025");
  ImportNeighbours(kEngland + "/statistical_neighbours_2025.csv", "2023");
  ImportPublished(kSamples + "/published_benchmarks.csv", "2016-17");

  auto models = [&](const v1::ListModelsRequest& r) { return service_->ListModels(r); };
  auto model_items = [](const v1::ListModelsResponse& r) -> const auto& { return r.models(); };
  for (int size : {1, 2}) {
    EXPECT_EQ(PageThrough(models, v1::ListModelsRequest(), size, model_items),
              (std::vector<std::string>{"2025", "2023", "2021"}));
  }
  ExpectBadTokensRefused(models, v1::ListModelsRequest());

  auto neighbours = [&](const v1::ListNeighboursRequest& r) { return service_->ListNeighbours(r); };
  auto neighbour_items = [](const v1::ListNeighboursResponse& r) -> const auto& {
    return r.neighbours();
  };
  v1::ListNeighboursRequest rotherham;
  rotherham.set_la_code("372");
  std::vector<int> ranks;
  for (const auto& n : PageThrough(neighbours, rotherham, 1000, neighbour_items)) {
    ranks.push_back(n.rank());
  }
  EXPECT_EQ(ranks, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  for (int size : {1, 2}) {
    std::vector<int> paged;
    for (const auto& n : PageThrough(neighbours, rotherham, size, neighbour_items)) {
      paged.push_back(n.rank());
    }
    EXPECT_EQ(paged, ranks) << "page_size " << size;
  }
  v1::ListNeighboursRequest older = rotherham;
  older.set_model("2021");
  ExpectTokensBoundToFilters(neighbours, rotherham, older);

  auto list_ranks = [&](const v1::ListRanksRequest& r) { return service_->ListRanks(r); };
  auto rank_items = [](const v1::ListRanksResponse& r) -> const auto& { return r.ranks(); };
  v1::ListRanksRequest abuse;
  abuse.set_indicator_code("CPP_Abuse_Rate");
  abuse.set_financial_year("2024-25");
  auto key = [](const v1::LaRank& r) { return absl::StrCat(r.rank(), "/", r.la_code()); };
  std::vector<std::string> whole;
  for (const auto& r : PageThrough(list_ranks, abuse, 1000, rank_items)) whole.push_back(key(r));
  ASSERT_EQ(whole.size(), 151u);
  for (int size : {1, 2}) {
    std::vector<std::string> paged;
    for (const auto& r : PageThrough(list_ranks, abuse, size, rank_items)) paged.push_back(key(r));
    EXPECT_EQ(paged, whole) << "page_size " << size;
  }
  abuse.set_page_size(2);
  auto second = list_ranks(abuse);
  ASSERT_TRUE(second.ok());
  abuse.set_page_token(second->next_page_token());
  second = list_ranks(abuse);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->rank_of(), 151);  // Over every page, on every page.
  abuse.clear_page_token();
  v1::ListRanksRequest other_year = abuse;
  other_year.set_financial_year("2023-24");
  ExpectTokensBoundToFilters(list_ranks, abuse, other_year);

  auto published = [&](const v1::ListPublishedComparatorsRequest& r) {
    return service_->ListPublishedComparators(r);
  };
  auto published_items = [](const v1::ListPublishedComparatorsResponse& r) -> const auto& {
    return r.comparators();
  };
  v1::ListPublishedComparatorsRequest ours;
  ours.set_la_code("372");
  std::vector<std::string> codes;
  for (const auto& c : PageThrough(published, ours, 5000, published_items)) {
    codes.push_back(absl::StrCat(c.indicator_code(), "/", c.financial_year()));
  }
  ASSERT_GE(codes.size(), 2u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  for (int size : {1, 2}) {
    std::vector<std::string> paged;
    for (const auto& c : PageThrough(published, ours, size, published_items)) {
      paged.push_back(absl::StrCat(c.indicator_code(), "/", c.financial_year()));
    }
    EXPECT_EQ(paged, codes) << "page_size " << size;
  }
  v1::ListPublishedComparatorsRequest theirs;
  theirs.set_la_code("382");
  ExpectTokensBoundToFilters(published, ours, theirs);
}

}  // namespace
}  // namespace carescore::benchmarks
