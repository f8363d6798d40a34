#include "services/indicators/indicator_service.h"

#include "common/row_errors.h"
#include "common/testing/page_through.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/records.h"

namespace carescore::indicators {
namespace {

using testing::La;
using testing::NumberLac;
using testing::Outturn;
using testing::Reviews;
using testing::Val;

class IndicatorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteIndicatorStore::Open(":memory:");
    ASSERT_TRUE(opened.ok());
    store_ = *std::move(opened);
    service_ = std::make_unique<IndicatorService>(*store_);
    v1::ImportLocalAuthoritiesRequest las;
    *las.add_local_authorities() = La("372", "Rotherham");
    *las.add_local_authorities() = La("382", "Kirklees");
    ASSERT_TRUE(service_->ImportLocalAuthorities(las).ok());
    v1::ImportIndicatorsRequest catalogue;
    *catalogue.add_indicators() = Reviews();
    *catalogue.add_indicators() = NumberLac();
    ASSERT_TRUE(service_->ImportIndicators(catalogue).ok());
  }

  absl::StatusOr<v1::WriteValuesResponse> Write(std::vector<v1::ValueInput> values) {
    v1::WriteValuesRequest request;
    request.set_source("test");
    for (auto& v : values) *request.add_values() = v;
    return service_->WriteValues(request);
  }

  size_t StoredCount() {
    v1::ListValuesRequest all;
    all.set_include_missing(true);
    return static_cast<size_t>(service_->ListValues(all)->values_size());
  }

  std::unique_ptr<SqliteIndicatorStore> store_;
  std::unique_ptr<IndicatorService> service_;
};

TEST_F(IndicatorServiceTest, WritesAndReadsRotherhamReviews) {
  // 6.8, April and October 2018: 119 of 139 and 133 of 148.
  auto written = Write(
      {Val("372", "6.8", "2018-04", 85.6, 119, 139), Val("372", "6.8", "2018-10", 89.9, 133, 148)});
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->written(), 2);
  v1::ListValuesRequest request;
  request.set_la_code("372");
  request.set_indicator_code("6.8");
  request.set_from_period("2018-04");
  request.set_to_period("2018-10");
  auto listed = service_->ListValues(request);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->values_size(), 2);
  EXPECT_DOUBLE_EQ(listed->values(1).numerator(), 133);
  EXPECT_DOUBLE_EQ(listed->values(1).denominator(), 148);
}

TEST_F(IndicatorServiceTest, BadBatchStoresNothingAndNamesEveryRow) {
  std::vector<v1::ValueInput> batch = {
      Val("372", "6.8", "2018-04", 85.6, 119, 139),  // good
      Val("999", "6.8", "2018-05", 50),              // unknown LA
      Val("372", "9.99", "2018-05", 50),             // unknown indicator
      Val("372", "6.8", "2018-5", 50),               // malformed period
      Val("372", "6.8", "2018-06", 101),             // percentage over 100
      Val("372", "6.8", "2018-07", 50, 3, 2),        // numerator over denominator
      Val("372", "6.8", "2018-08", 0, 0, 0),         // zero denominator
      Val("372", "6.8", "2018-09", 31.4, 5, 16),     // disagrees with ratio
      Val("372", "6.8", "2018-04", 85.6, 119, 139),  // duplicate of row 1
  };
  batch[3].set_row(42);  // The caller's own line number is echoed.
  auto written = Write(batch);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(written.status().message());
  EXPECT_NE(message.find("8 bad rows"), std::string::npos) << message;
  for (const char* expected :
       {"row 2: field la_code: unknown LA \"999\"", "row 3: field code: unknown indicator",
        "row 42: field period", "row 5: field value", "row 6: field numerator",
        "row 7: field denominator", "row 8: field value", "row 9: field period: duplicate"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
  auto payload = written.status().GetPayload(kBadRequestTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest details;
  ASSERT_TRUE(details.ParseFromString(std::string(*payload)));
  EXPECT_EQ(details.field_violations_size(), 8);
  EXPECT_EQ(StoredCount(), 0u);
}

TEST_F(IndicatorServiceTest, RequiresSourceAndRows) {
  v1::WriteValuesRequest request;
  *request.add_values() = Val("372", "6.1", "2018-10", 658);
  EXPECT_EQ(service_->WriteValues(request).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Write({}).ok());
}

TEST_F(IndicatorServiceTest, DerivesValueFromNumeratorAndDenominator) {
  ASSERT_TRUE(Write({Val("372", "6.8", "2018-10", std::nullopt, 5, 16)}).ok());
  v1::ListValuesRequest request;
  auto listed = service_->ListValues(request);
  ASSERT_EQ(listed->values_size(), 1);
  EXPECT_DOUBLE_EQ(listed->values(0).value(), 31.3);
}

TEST_F(IndicatorServiceTest, HistoryAndDataVersion) {
  auto version_of = [this](const char* la) {
    v1::GetDataVersionRequest r;
    r.set_la_code(la);
    return service_->GetDataVersion(r)->data_version();
  };
  const int64_t rotherham_before = version_of("372");
  const int64_t kirklees_before = version_of("382");
  ASSERT_TRUE(Write({Val("372", "6.1", "2018-09", 651)}).ok());
  ASSERT_TRUE(Write({Val("372", "6.1", "2018-09", 653)}).ok());
  v1::ListValueHistoryRequest history;
  history.set_la_code("372");
  history.set_indicator_code("6.1");
  history.set_month("2018-09");
  auto h = service_->ListValueHistory(history);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->values_size(), 2);
  EXPECT_EQ(h->values(0).revision(), 1);
  EXPECT_DOUBLE_EQ(h->values(1).value(), 653);
  history.set_month("2018-08");
  EXPECT_EQ(service_->ListValueHistory(history).status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(version_of("372"), rotherham_before + 2);
  EXPECT_EQ(version_of("382"), kirklees_before);
  // A target changes what every LA's scorecard says.
  v1::SetTargetsRequest targets;
  v1::Target* t = targets.add_targets();
  t->set_indicator_code("6.8");
  t->set_financial_year("2018-19");
  t->set_kind(v1::TARGET_KIND_THRESHOLDS);
  t->set_red_threshold(90);
  t->set_green_threshold(95);
  ASSERT_TRUE(service_->SetTargets(targets).ok());
  EXPECT_EQ(version_of("382"), kirklees_before + 1);
  v1::GetDataVersionRequest version;
  version.set_la_code("999");
  EXPECT_EQ(service_->GetDataVersion(version).status().code(), absl::StatusCode::kNotFound);
}

// The latest revision of each value as of a moment, with its revision
// number; a later "missing" hides older figures; code lists and the
// figures-only view; every write raises the all-LA version.
TEST_F(IndicatorServiceTest, LatestRevisionsCodeListsViewsAndAllLaVersion) {
  auto all_version = [this] {
    v1::GetDataVersionRequest r;
    r.set_la_code("372");
    return service_->GetDataVersion(r)->all_data_version();
  };
  const int64_t before = all_version();
  auto first = Write({Val("372", "6.1", "2018-09", 651), Val("372", "6.8", "2018-09", 91.5),
                      Val("382", "6.1", "2018-09", 700)});
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::Time first_load = absl::Now();
  EXPECT_EQ(all_version(), before + 2);  // Two LAs' versions rose.
  v1::GetDataVersionRequest version;
  version.set_la_code("372");
  EXPECT_EQ(service_->GetDataVersion(version)->las_with_values(), 2);
  v1::ValueInput gone = Val("372", "6.8", "2018-09", 0);
  gone.clear_value();
  ASSERT_TRUE(Write({Val("372", "6.1", "2018-09", 653), gone}).ok());
  ASSERT_TRUE(Write({Val("382", "6.1", "2018-09", 702)}).ok());
  EXPECT_EQ(all_version(), before + 4);

  v1::ListValuesRequest request;
  request.set_la_code("372");
  auto now = service_->ListValues(request);
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->values_size(), 1);  // 6.2's latest revision says missing.
  EXPECT_DOUBLE_EQ(now->values(0).value(), 653);
  EXPECT_EQ(now->values(0).revision(), 2);
  EXPECT_EQ(now->values(0).source(), "test");
  EXPECT_GT(now->values(0).load_id(), 0);
  request.set_include_missing(true);
  auto with_missing = service_->ListValues(request);
  ASSERT_EQ(with_missing->values_size(), 2);
  EXPECT_FALSE(with_missing->values(1).has_value());
  EXPECT_EQ(with_missing->values(1).revision(), 2);

  const int64_t us = absl::ToUnixMicros(first_load);
  request.mutable_as_of()->set_seconds(us / 1000000);
  request.mutable_as_of()->set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
  auto then = service_->ListValues(request);
  ASSERT_EQ(then->values_size(), 2);
  EXPECT_DOUBLE_EQ(then->values(0).value(), 651);
  EXPECT_EQ(then->values(0).revision(), 1);
  EXPECT_DOUBLE_EQ(then->values(1).value(), 91.5);

  v1::ListValuesRequest by_codes;
  by_codes.add_indicator_codes("6.1");
  by_codes.add_indicator_codes("9.9");
  by_codes.set_view(v1::VALUE_VIEW_FIGURES);
  auto figures = service_->ListValues(by_codes);
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->values_size(), 2);  // 372 then 382, latest of each.
  EXPECT_EQ(figures->values(0).la_code(), "372");
  EXPECT_DOUBLE_EQ(figures->values(1).value(), 702);
  EXPECT_EQ(figures->values(1).revision(), 2);
  EXPECT_TRUE(figures->values(1).source().empty());
  EXPECT_FALSE(figures->values(1).has_recorded_at());
  by_codes.add_indicator_codes("6.8");
  by_codes.set_include_missing(true);
  EXPECT_EQ(service_->ListValues(by_codes)->values_size(), 3);
  for (int i = 0; i < 501; ++i) by_codes.add_indicator_codes("x");
  EXPECT_EQ(service_->ListValues(by_codes).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IndicatorServiceTest, OutturnsAreFinancialYears) {
  ASSERT_TRUE(Write({Outturn("372", "6.8", "2017-18", 91.2)}).ok());
  v1::ValueInput bad = Outturn("372", "6.8", "2017-19", 91.2);
  auto rejected = Write({bad});
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("field financial_year"), absl::string_view::npos);
  v1::ListValuesRequest request;
  request.set_period_kind(v1::PERIOD_KIND_FINANCIAL_YEAR);
  request.set_from_period("2015-16");
  auto listed = service_->ListValues(request);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->values_size(), 1);
  EXPECT_EQ(listed->values(0).financial_year(), "2017-18");
  request.set_from_period("2018-10");  // a month where a year is expected
  EXPECT_EQ(service_->ListValues(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IndicatorServiceTest, PagesThroughValues) {
  std::vector<v1::ValueInput> batch;
  for (int m = 1; m <= 10; ++m) {
    batch.push_back(Val("372", "6.1", absl::StrFormat("2018-%02d", m), 600 + m));
    batch.push_back(Val("382", "6.1", absl::StrFormat("2018-%02d", m), 700 + m));
  }
  ASSERT_TRUE(Write(batch).ok());
  v1::ListValuesRequest request;
  request.set_page_size(7);
  int seen = 0;
  int pages = 0;
  do {
    auto page = service_->ListValues(request);
    ASSERT_TRUE(page.ok()) << page.status();
    seen += page->values_size();
    ++pages;
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen, 20);
  EXPECT_EQ(pages, 3);
  request.set_page_token("not-a-token!");
  EXPECT_EQ(service_->ListValues(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IndicatorServiceTest, TargetsMustAgreeWithPolarityAndKnownCodes) {
  v1::SetTargetsRequest request;
  v1::Target* good = request.add_targets();
  good->set_indicator_code("6.8");
  good->set_financial_year("2018-19");
  good->set_kind(v1::TARGET_KIND_THRESHOLDS);
  good->set_red_threshold(90);
  good->set_green_threshold(95);
  ASSERT_TRUE(service_->SetTargets(request).ok());

  v1::SetTargetsRequest bad;
  v1::Target* inverted = bad.add_targets();
  *inverted = *good;
  inverted->set_red_threshold(96);
  v1::Target* unknown = bad.add_targets();
  *unknown = *good;
  unknown->set_indicator_code("0.0");
  v1::Target* info = bad.add_targets();
  *info = *good;
  info->set_indicator_code("6.1");
  auto rejected = service_->SetTargets(bad);
  ASSERT_FALSE(rejected.ok());
  const std::string message(rejected.status().message());
  EXPECT_NE(message.find("row 1: field red_threshold"), std::string::npos) << message;
  EXPECT_NE(message.find("row 2: field indicator_code"), std::string::npos);
  EXPECT_NE(message.find("row 3: field kind"), std::string::npos);

  v1::ListTargetsRequest list;
  list.set_indicator_code("6.8");
  auto targets = service_->ListTargets(list);
  ASSERT_EQ(targets->targets_size(), 1);
  EXPECT_DOUBLE_EQ(targets->targets(0).red_threshold(), 90);
}

TEST_F(IndicatorServiceTest, MilestonesReplaceTheTrajectory) {
  v1::SetMilestonesRequest request;
  request.set_indicator_code("6.8");
  v1::Milestone* sep = request.add_milestones();
  sep->set_month("2018-09");
  sep->set_target_value(85);
  v1::Milestone* mar = request.add_milestones();
  mar->set_month("2019-03");
  mar->set_target_value(98);
  ASSERT_TRUE(service_->SetMilestones(request).ok());
  request.mutable_milestones()->RemoveLast();
  ASSERT_TRUE(service_->SetMilestones(request).ok());
  v1::ListMilestonesRequest list;
  list.set_indicator_code("6.8");
  auto listed = service_->ListMilestones(list);
  ASSERT_EQ(listed->milestones_size(), 1);
  EXPECT_EQ(listed->milestones(0).month(), "2018-09");
  request.set_indicator_code("6.1");
  EXPECT_FALSE(service_->SetMilestones(request).ok());
}

TEST_F(IndicatorServiceTest, CatalogueAndLasValidateAndPage) {
  v1::ImportIndicatorsRequest bad;
  v1::Indicator* no_polarity = bad.add_indicators();
  *no_polarity = Reviews();
  no_polarity->clear_polarity();
  *bad.add_indicators() = Reviews();
  auto rejected = service_->ImportIndicators(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("row 1: field polarity"), absl::string_view::npos);
  EXPECT_NE(rejected.status().message().find("row 2: field code"), absl::string_view::npos);

  v1::GetIndicatorRequest get;
  get.set_code("6.8");
  auto got = service_->GetIndicator(get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->indicator().effective_decimal_places(), 1);
  get.set_code("nope");
  EXPECT_EQ(service_->GetIndicator(get).status().code(), absl::StatusCode::kNotFound);

  v1::ListLocalAuthoritiesRequest list;
  list.set_page_size(1);
  auto page = service_->ListLocalAuthorities(list);
  ASSERT_EQ(page->local_authorities_size(), 1);
  list.set_page_token(page->next_page_token());
  auto page2 = service_->ListLocalAuthorities(list);
  ASSERT_EQ(page2->local_authorities_size(), 1);
  EXPECT_EQ(page2->local_authorities(0).la_code(), "382");
  EXPECT_TRUE(page2->next_page_token().empty());

  v1::ImportLocalAuthoritiesRequest las;
  *las.add_local_authorities() = La("37", "Bad");
  EXPECT_FALSE(service_->ImportLocalAuthorities(las).ok());
}

// Every List pages the same way (common/paging.h): pages of 1 and 2 give
// every item once, in order; tokens are bound to the filters.
TEST_F(IndicatorServiceTest, EveryListPagesInOrderWithBoundTokens) {
  using carescore::testing::ExpectTokensBoundToFilters;
  using carescore::testing::PageThrough;
  v1::ImportLocalAuthoritiesRequest more;
  *more.add_local_authorities() = La("201", "City of London");
  ASSERT_TRUE(service_->ImportLocalAuthorities(more).ok());
  auto las = [&](const v1::ListLocalAuthoritiesRequest& r) {
    return service_->ListLocalAuthorities(r);
  };
  auto la_items = [](const v1::ListLocalAuthoritiesResponse& r) -> const auto& {
    return r.local_authorities();
  };
  for (int size : {1, 2}) {
    std::vector<std::string> codes;
    for (const auto& la : PageThrough(las, v1::ListLocalAuthoritiesRequest(), size, la_items)) {
      codes.push_back(la.la_code());
    }
    EXPECT_EQ(codes, (std::vector<std::string>{"201", "372", "382"}));
  }
  v1::ListLocalAuthoritiesRequest with_former;
  with_former.set_include_former(true);
  ExpectTokensBoundToFilters(las, v1::ListLocalAuthoritiesRequest(), with_former);

  // The catalogue keeps its own order (6.8 was imported before 6.1).
  auto indicators = [&](const v1::ListIndicatorsRequest& r) { return service_->ListIndicators(r); };
  auto indicator_items = [](const v1::ListIndicatorsResponse& r) -> const auto& {
    return r.indicators();
  };
  std::vector<std::string> codes;
  for (const auto& i : PageThrough(indicators, v1::ListIndicatorsRequest(), 1, indicator_items)) {
    codes.push_back(i.code());
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"6.8", "6.1"}));
  v1::ListIndicatorsRequest section;
  section.set_section("Looked After Children");
  ExpectTokensBoundToFilters(indicators, v1::ListIndicatorsRequest(), section);

  v1::SetTargetsRequest targets;
  for (const char* year : {"2019-20", "2017-18", "2018-19"}) {
    v1::Target* t = targets.add_targets();
    t->set_indicator_code("6.8");
    t->set_financial_year(year);
    t->set_kind(v1::TARGET_KIND_THRESHOLDS);
    t->set_red_threshold(90);
    t->set_green_threshold(95);
  }
  *targets.add_targets() = targets.targets(0);
  targets.mutable_targets(3)->set_la_code("372");
  ASSERT_TRUE(service_->SetTargets(targets).ok());
  auto list_targets = [&](const v1::ListTargetsRequest& r) { return service_->ListTargets(r); };
  auto target_items = [](const v1::ListTargetsResponse& r) -> const auto& { return r.targets(); };
  for (int size : {1, 2}) {
    std::vector<std::string> got;
    for (const auto& t : PageThrough(list_targets, v1::ListTargetsRequest(), size, target_items)) {
      got.push_back(absl::StrCat(t.financial_year(), "/", t.la_code()));
    }
    EXPECT_EQ(got, (std::vector<std::string>{"2017-18/", "2018-19/", "2019-20/", "2019-20/372"}));
  }
  v1::ListTargetsRequest one_year;
  one_year.set_financial_year("2019-20");
  ExpectTokensBoundToFilters(list_targets, v1::ListTargetsRequest(), one_year);

  v1::SetMilestonesRequest milestones;
  milestones.set_indicator_code("6.8");
  for (const char* month : {"2018-09", "2018-06", "2019-03"}) {
    v1::Milestone* m = milestones.add_milestones();
    m->set_month(month);
    m->set_target_value(90);
  }
  ASSERT_TRUE(service_->SetMilestones(milestones).ok());
  milestones.set_la_code("372");
  milestones.mutable_milestones()->RemoveLast();
  ASSERT_TRUE(service_->SetMilestones(milestones).ok());
  auto list_milestones = [&](const v1::ListMilestonesRequest& r) {
    return service_->ListMilestones(r);
  };
  auto milestone_items = [](const v1::ListMilestonesResponse& r) -> const auto& {
    return r.milestones();
  };
  v1::ListMilestonesRequest both;
  both.set_la_code("372");
  both.set_include_defaults(true);
  for (int size : {1, 2}) {
    std::vector<std::string> got;
    for (const auto& m : PageThrough(list_milestones, both, size, milestone_items)) {
      got.push_back(absl::StrCat(m.la_code(), "/", m.month()));
    }
    EXPECT_EQ(got, (std::vector<std::string>{"/2018-06", "/2018-09", "/2019-03", "372/2018-06",
                                             "372/2018-09"}));
  }
  v1::ListMilestonesRequest own = both;
  own.set_include_defaults(false);
  ExpectTokensBoundToFilters(list_milestones, both, own);

  for (double v : {601.0, 602.0, 603.0}) {
    ASSERT_TRUE(Write({Val("372", "6.1", "2018-10", v)}).ok());
  }
  ASSERT_TRUE(Write({Val("382", "6.1", "2018-10", 700)}).ok());
  auto history = [&](const v1::ListValueHistoryRequest& r) {
    return service_->ListValueHistory(r);
  };
  auto history_items = [](const v1::ListValueHistoryResponse& r) -> const auto& {
    return r.values();
  };
  v1::ListValueHistoryRequest october;
  october.set_la_code("372");
  october.set_indicator_code("6.1");
  october.set_month("2018-10");
  for (int size : {1, 2}) {
    std::vector<double> got;
    for (const auto& v : PageThrough(history, october, size, history_items)) {
      got.push_back(v.value());
    }
    EXPECT_EQ(got, (std::vector<double>{601, 602, 603}));
  }
  v1::ListValueHistoryRequest kirklees = october;
  kirklees.set_la_code("382");
  ExpectTokensBoundToFilters(history, october, kirklees);

  auto values = [&](const v1::ListValuesRequest& r) { return service_->ListValues(r); };
  auto value_items = [](const v1::ListValuesResponse& r) -> const auto& { return r.values(); };
  std::vector<std::string> got;
  for (const auto& v : PageThrough(values, v1::ListValuesRequest(), 1, value_items)) {
    got.push_back(absl::StrCat(v.la_code(), "/", v.value()));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"372/603", "382/700"}));
  v1::ListValuesRequest rotherham;
  rotherham.set_la_code("372");
  ExpectTokensBoundToFilters(values, v1::ListValuesRequest(), rotherham);
}

}  // namespace
}  // namespace carescore::indicators
