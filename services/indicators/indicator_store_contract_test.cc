// The IndicatorStore contract, run unchanged against every implementation
// (SQLite in memory, PostgreSQL on a fresh database), then what only the
// PostgreSQL store promises: several store objects on one database (one per
// replica) agree on load numbering, stamps and versions.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/pg_db.h"
#include "common/proto_time.h"
#include "common/testing/pg_server.h"
#include "gtest/gtest.h"
#include "services/indicators/pg_indicator_store.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/records.h"

namespace carescore::indicators {
namespace {

using testing::La;
using testing::Outturn;
using testing::Reviews;
using testing::Val;

absl::StatusOr<std::string> FreshPgDatabase() {
  absl::StatusOr<carescore::testing::PgServer*> server = carescore::testing::PgServer::Shared();
  if (!server.ok()) return server.status();
  return (*server)->NewDatabase();
}

// Opens an empty store of one kind.
struct StoreFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<IndicatorStore>>()> open;
};

StoreFactory Sqlite() {
  return {"Sqlite", []() -> absl::StatusOr<std::unique_ptr<IndicatorStore>> {
            absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> s =
                SqliteIndicatorStore::Open(":memory:");
            if (!s.ok()) return s.status();
            return std::unique_ptr<IndicatorStore>(*std::move(s));
          }};
}

StoreFactory Postgres() {
  return {"Postgres", []() -> absl::StatusOr<std::unique_ptr<IndicatorStore>> {
            absl::StatusOr<std::string> url = FreshPgDatabase();
            if (!url.ok()) return url.status();
            absl::StatusOr<std::unique_ptr<PgIndicatorStore>> s = PgIndicatorStore::Open(*url);
            if (!s.ok()) return s.status();
            return std::unique_ptr<IndicatorStore>(*std::move(s));
          }};
}

class IndicatorStoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IndicatorStore>> opened = GetParam().open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
  }

  // Every value ListValues gives for `q`, page by page (`page` at a time).
  std::vector<v1::Value> AllPages(ValueQuery q, int page) {
    std::vector<v1::Value> out;
    q.limit = page;
    for (int guard = 0; guard < 1000; ++guard) {
      absl::StatusOr<std::vector<v1::Value>> got = store_->ListValues(q);
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok() || got->empty()) break;
      for (v1::Value& v : *got) out.push_back(std::move(v));
      const v1::Value& last = out.back();
      q.after =
          ValueKey{last.la_code(), last.indicator_code(), q.kind,
                   q.kind == v1::PERIOD_KIND_FINANCIAL_YEAR ? last.financial_year() : last.month()};
      if (static_cast<int>(got->size()) < page) break;
    }
    return out;
  }

  std::unique_ptr<IndicatorStore> store_;
};

std::string Key(const v1::Value& v) {
  return absl::StrCat(v.la_code(), "/", v.indicator_code(), "/", v.month(), v.financial_year());
}

TEST_P(IndicatorStoreContractTest, KeepsEveryRevisionAndReadsAsOf) {
  auto first = store_->AppendValues("first", {Val("372", "6.8", "2018-09", 90.0, 126, 140)});
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::Time between = first->recorded_at + absl::Microseconds(1);
  auto second = store_->AppendValues("second", {Val("372", "6.8", "2018-09", 90.7, 127, 140)});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_GT(second->load_id, first->load_id);
  EXPECT_GT(second->recorded_at, first->recorded_at);
  EXPECT_EQ(second->written, 1);

  ValueQuery latest;
  latest.la_code = "372";
  auto now = store_->ListValues(latest);
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_EQ(now->size(), 1U);
  EXPECT_DOUBLE_EQ((*now)[0].value(), 90.7);
  EXPECT_EQ((*now)[0].revision(), 2);
  EXPECT_EQ((*now)[0].source(), "second");
  EXPECT_EQ((*now)[0].load_id(), second->load_id);
  EXPECT_EQ(TimeFromProto((*now)[0].recorded_at()), second->recorded_at);

  ValueQuery then = latest;
  then.as_of = between;
  auto old = store_->ListValues(then);
  ASSERT_TRUE(old.ok()) << old.status();
  ASSERT_EQ(old->size(), 1U);
  EXPECT_DOUBLE_EQ((*old)[0].value(), 90.0);
  EXPECT_EQ((*old)[0].revision(), 1);
  EXPECT_EQ((*old)[0].source(), "first");

  ValueQuery before = latest;
  before.as_of = first->recorded_at - absl::Seconds(1);
  auto none = store_->ListValues(before);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());

  auto history = store_->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-09"});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].source(), "first");
  EXPECT_EQ((*history)[0].revision(), 1);
  EXPECT_EQ((*history)[0].month(), "2018-09");
  EXPECT_EQ((*history)[0].load_id(), first->load_id);
  EXPECT_DOUBLE_EQ((*history)[1].numerator(), 127);
  EXPECT_DOUBLE_EQ((*history)[1].denominator(), 140);
  EXPECT_EQ((*history)[1].revision(), 2);
}

TEST_P(IndicatorStoreContractTest, AsOfCountsRevisionsOfEachKeyUpToThatMoment) {
  auto a =
      store_->AppendValues("a", {Val("372", "6.8", "2018-04", 1), Val("372", "6.8", "2018-05", 1),
                                 Val("382", "6.8", "2018-04", 1)});
  ASSERT_TRUE(a.ok()) << a.status();
  auto b = store_->AppendValues("b", {Val("372", "6.8", "2018-04", 2)});
  ASSERT_TRUE(b.ok()) << b.status();
  auto c =
      store_->AppendValues("c", {Val("372", "6.8", "2018-04", 3), Val("382", "6.8", "2018-04", 3)});
  ASSERT_TRUE(c.ok()) << c.status();

  ValueQuery q;
  q.as_of = b->recorded_at;  // Inclusive.
  auto at_b = store_->ListValues(q);
  ASSERT_TRUE(at_b.ok()) << at_b.status();
  ASSERT_EQ(at_b->size(), 3U);
  EXPECT_EQ(Key((*at_b)[0]), "372/6.8/2018-04");
  EXPECT_DOUBLE_EQ((*at_b)[0].value(), 2);
  EXPECT_EQ((*at_b)[0].revision(), 2);
  EXPECT_EQ((*at_b)[1].revision(), 1);
  EXPECT_DOUBLE_EQ((*at_b)[2].value(), 1);
  EXPECT_EQ((*at_b)[2].revision(), 1);

  q.as_of.reset();
  auto now = store_->ListValues(q);
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_EQ(now->size(), 3U);
  EXPECT_EQ((*now)[0].revision(), 3);
  EXPECT_EQ((*now)[0].source(), "c");
  EXPECT_EQ((*now)[1].revision(), 1);
  EXPECT_EQ((*now)[1].source(), "a");
  EXPECT_EQ((*now)[2].revision(), 2);
}

TEST_P(IndicatorStoreContractTest, MonthsAndYearsAreSeparateAndRangesInclusive) {
  ASSERT_TRUE(
      store_
          ->AppendValues(
              "x", {Val("372", "6.8", "2018-03", 91.2), Val("372", "6.8", "2018-04", 85.0),
                    Val("372", "6.8", "2018-10", 89.9), Outturn("372", "6.8", "2017-18", 91.2)})
          .ok());
  ValueQuery months;
  months.la_code = "372";
  months.indicator_code = "6.8";
  months.from_period = "2018-04";
  months.to_period = "2018-10";
  auto m = store_->ListValues(months);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 2U);
  EXPECT_EQ((*m)[0].month(), "2018-04");
  EXPECT_EQ((*m)[1].month(), "2018-10");
  ValueQuery years;
  years.kind = v1::PERIOD_KIND_FINANCIAL_YEAR;
  auto y = store_->ListValues(years);
  ASSERT_TRUE(y.ok()) << y.status();
  ASSERT_EQ(y->size(), 1U);
  EXPECT_EQ((*y)[0].financial_year(), "2017-18");
  EXPECT_TRUE((*y)[0].month().empty());
  auto history = store_->ValueHistory({"372", "6.8", v1::PERIOD_KIND_FINANCIAL_YEAR, "2017-18"});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ((*history)[0].financial_year(), "2017-18");
}

TEST_P(IndicatorStoreContractTest, MissingStaysMissing) {
  ASSERT_TRUE(store_->AppendValues("x", {Val("372", "6.8", "2018-05", std::nullopt)}).ok());
  ValueQuery q;
  auto hidden = store_->ListValues(q);
  ASSERT_TRUE(hidden.ok()) << hidden.status();
  EXPECT_TRUE(hidden->empty());
  q.include_missing = true;
  auto all = store_->ListValues(q);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1U);
  EXPECT_FALSE((*all)[0].has_value());
  EXPECT_FALSE((*all)[0].has_numerator());
}

TEST_P(IndicatorStoreContractTest, ALaterMissingRevisionHidesTheEarlierValue) {
  ASSERT_TRUE(store_->AppendValues("a", {Val("372", "6.8", "2018-05", 70, 7, 10)}).ok());
  ASSERT_TRUE(store_->AppendValues("b", {Val("372", "6.8", "2018-05", std::nullopt)}).ok());
  ValueQuery q;
  auto hidden = store_->ListValues(q);
  ASSERT_TRUE(hidden.ok()) << hidden.status();
  EXPECT_TRUE(hidden->empty());
  q.include_missing = true;
  auto all = store_->ListValues(q);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1U);
  EXPECT_FALSE((*all)[0].has_value());
  EXPECT_FALSE((*all)[0].has_numerator());
  EXPECT_EQ((*all)[0].revision(), 2);
  EXPECT_EQ((*all)[0].source(), "b");
}

TEST_P(IndicatorStoreContractTest, FiltersByIndicatorCodesAndLeavesOutLoadsForFigures) {
  ASSERT_TRUE(
      store_
          ->AppendValues("x", {Val("372", "6.1", "2018-05", 1), Val("372", "6.8", "2018-05", 2),
                               Val("372", "7.1", "2018-05", 3), Val("382", "6.1", "2018-05", 4),
                               Val("382", "6.8", "2018-05", 5)})
          .ok());
  ValueQuery q;
  q.indicator_codes = {"6.1", "7.1"};
  auto got = store_->ListValues(q);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 3U);
  EXPECT_EQ(Key((*got)[0]), "372/6.1/2018-05");
  EXPECT_EQ(Key((*got)[1]), "372/7.1/2018-05");
  EXPECT_EQ(Key((*got)[2]), "382/6.1/2018-05");
  EXPECT_EQ((*got)[0].source(), "x");
  EXPECT_GT((*got)[0].load_id(), 0);
  EXPECT_TRUE((*got)[0].has_recorded_at());

  q.indicator_codes = {"6.1", "6.8"};
  q.indicator_code = "6.8";  // Both filters hold.
  q.la_code = "382";
  q.figures_only = true;
  auto figures = store_->ListValues(q);
  ASSERT_TRUE(figures.ok()) << figures.status();
  ASSERT_EQ(figures->size(), 1U);
  EXPECT_DOUBLE_EQ((*figures)[0].value(), 5);
  EXPECT_EQ((*figures)[0].revision(), 1);
  EXPECT_EQ((*figures)[0].load_id(), 0);
  EXPECT_TRUE((*figures)[0].source().empty());
  EXPECT_FALSE((*figures)[0].has_recorded_at());
}

TEST_P(IndicatorStoreContractTest, DataVersionCountsLoadsPerLa) {
  EXPECT_EQ(store_->DataVersion("372").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->UpsertLocalAuthorities({La("372", "Rotherham"), La("382", "Kirklees")}).ok());
  const int64_t start = *store_->DataVersion("372");
  ASSERT_TRUE(
      store_->AppendValues("a", {Val("372", "6.8", "2018-05", 1), Val("372", "6.8", "2018-06", 1)})
          .ok());
  ASSERT_TRUE(store_->AppendValues("b", {Val("382", "6.8", "2018-05", 1)}).ok());
  ASSERT_TRUE(store_->AppendValues("c", {Val("372", "6.8", "2018-05", 2)}).ok());
  EXPECT_EQ(*store_->DataVersion("372"), start + 2);
  EXPECT_EQ(*store_->DataVersion("382"), start + 1);
}

TEST_P(IndicatorStoreContractTest, VersionsRiseWithEveryWrite) {
  ASSERT_EQ(*store_->LasWithValues(), 0);
  const int64_t catalogue0 = *store_->CatalogueVersion();
  const int64_t all0 = *store_->AllDataVersion();
  ASSERT_TRUE(store_->UpsertLocalAuthorities({La("372", "Rotherham"), La("382", "Kirklees")}).ok());
  ASSERT_TRUE(store_->UpsertIndicators({Reviews()}).ok());
  v1::Target t;
  t.set_indicator_code("6.8");
  t.set_financial_year("2018-19");
  t.set_kind(v1::TARGET_KIND_THRESHOLDS);
  ASSERT_TRUE(store_->UpsertTargets({t}).ok());
  ASSERT_TRUE(store_->ReplaceMilestones("6.8", "372", {}).ok());
  EXPECT_EQ(*store_->CatalogueVersion(), catalogue0 + 4);
  EXPECT_EQ(*store_->AllDataVersion(), all0 + 4);
  // A catalogue write raises every LA's version.
  const int64_t v372 = *store_->DataVersion("372");
  const int64_t v382 = *store_->DataVersion("382");
  EXPECT_EQ(v372, v382);
  ASSERT_TRUE(store_->UpsertIndicators({testing::NumberLac()}).ok());
  EXPECT_EQ(*store_->DataVersion("372"), v372 + 1);
  EXPECT_EQ(*store_->DataVersion("382"), v382 + 1);
  const int64_t all1 = *store_->AllDataVersion();

  // A load raises only the LAs it touches, and the total.
  ASSERT_TRUE(store_->AppendValues("a", {Val("372", "6.8", "2018-05", 1)}).ok());
  EXPECT_EQ(*store_->DataVersion("372"), v372 + 2);
  EXPECT_EQ(*store_->DataVersion("382"), v382 + 1);
  EXPECT_GT(*store_->AllDataVersion(), all1);
  EXPECT_EQ(*store_->CatalogueVersion(), catalogue0 + 5);
  EXPECT_EQ(*store_->LasWithValues(), 1);
  const int64_t all2 = *store_->AllDataVersion();
  ASSERT_TRUE(
      store_->AppendValues("b", {Val("372", "6.8", "2018-05", 2), Val("382", "6.8", "2018-05", 2)})
          .ok());
  EXPECT_GT(*store_->AllDataVersion(), all2);
  EXPECT_EQ(*store_->LasWithValues(), 2);
}

TEST_P(IndicatorStoreContractTest, PagesByKey) {
  std::vector<v1::ValueInput> values;
  for (int m = 1; m <= 9; ++m) values.push_back(Val("372", "6.8", "2018-0" + std::to_string(m), m));
  ASSERT_TRUE(store_->AppendValues("x", values).ok());
  ValueQuery q;
  q.limit = 4;
  auto page1 = store_->ListValues(q);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->size(), 4U);
  q.after = ValueKey{"372", "6.8", v1::PERIOD_KIND_MONTH, page1->back().month()};
  auto page2 = store_->ListValues(q);
  ASSERT_TRUE(page2.ok()) << page2.status();
  ASSERT_EQ(page2->size(), 4U);
  EXPECT_EQ(page2->front().month(), "2018-05");
  q.limit = 0;
  auto empty = store_->ListValues(q);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST_P(IndicatorStoreContractTest, PagingAcrossLasAndRevisionsMissesAndRepeatsNothing) {
  // Three LAs, three indicators, four months, two loads (the second revises
  // every other value and marks one missing).
  std::vector<v1::ValueInput> first;
  std::vector<v1::ValueInput> second;
  int n = 0;
  for (const char* la : {"372", "382", "4"}) {
    for (const char* code : {"10.1", "6.8", "7"}) {
      for (const char* month : {"2018-01", "2018-02", "2018-11", "2018-12"}) {
        first.push_back(Val(la, code, month, n));
        if (n % 2 == 0)
          second.push_back(Val(la, code, month, n == 4 ? std::nullopt : std::optional<double>(-n)));
        ++n;
      }
    }
  }
  ASSERT_TRUE(store_->AppendValues("first", first).ok());
  ASSERT_TRUE(store_->AppendValues("second", second).ok());
  ValueQuery q;
  q.limit = 1000;
  auto whole = store_->ListValues(q);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->size(), first.size() - 1);  // One is now missing.
  for (size_t i = 1; i < whole->size(); ++i) {
    EXPECT_LT(Key((*whole)[i - 1]), Key((*whole)[i])) << "byte order, strictly rising";
  }
  EXPECT_EQ((*whole)[0].la_code(), "372");
  EXPECT_EQ(whole->back().la_code(), "4");
  EXPECT_EQ((*whole)[0].indicator_code(), "10.1");
  EXPECT_DOUBLE_EQ((*whole)[0].value(), -0.0);
  EXPECT_EQ((*whole)[0].revision(), 2);
  EXPECT_EQ((*whole)[1].revision(), 1);
  for (int page : {1, 5, 7, 35}) {
    std::vector<v1::Value> paged = AllPages(q, page);
    ASSERT_EQ(paged.size(), whole->size()) << "page " << page;
    for (size_t i = 0; i < paged.size(); ++i) {
      EXPECT_EQ(Key(paged[i]), Key((*whole)[i])) << "page " << page;
      EXPECT_EQ(paged[i].revision(), (*whole)[i].revision()) << "page " << page;
    }
  }
  q.include_missing = true;
  EXPECT_EQ(AllPages(q, 4).size(), first.size());
}

TEST_P(IndicatorStoreContractTest, ValueHistoryOfAnUnknownValueIsEmpty) {
  auto history = store_->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-09"});
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_TRUE(history->empty());
}

TEST_P(IndicatorStoreContractTest, LocalAuthoritiesAreUpsertedByCode) {
  EXPECT_EQ(store_->GetLocalAuthority("372").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->UpsertLocalAuthorities({La("382", "Kirklees"), La("372", "Rotherham")}).ok());
  v1::LocalAuthority renamed = La("372", "Rotherham MBC");
  renamed.set_status(v1::LA_STATUS_FORMER);
  renamed.set_region("Yorkshire");
  // The later of two rows with one code wins.
  ASSERT_TRUE(
      store_->UpsertLocalAuthorities({La("372", "ignored"), renamed, La("4", "Four")}).ok());
  auto las = store_->ListLocalAuthorities();
  ASSERT_TRUE(las.ok()) << las.status();
  ASSERT_EQ(las->size(), 3U);
  EXPECT_EQ((*las)[0].la_code(), "372");
  EXPECT_EQ((*las)[1].la_code(), "382");
  EXPECT_EQ((*las)[2].la_code(), "4");
  auto got = store_->GetLocalAuthority("372");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name(), "Rotherham MBC");
  EXPECT_EQ(got->region(), "Yorkshire");
  EXPECT_EQ(got->ons_code(), "E08000018");
  EXPECT_EQ(got->status(), v1::LA_STATUS_FORMER);
}

TEST_P(IndicatorStoreContractTest, CatalogueKeepsOrderAndReplaces) {
  v1::Indicator a = Reviews();
  v1::Indicator b = testing::NumberLac();
  ASSERT_TRUE(store_->UpsertIndicators({a, b}).ok());
  a.set_title("Reviews on time");
  ASSERT_TRUE(store_->UpsertIndicators({a}).ok());
  auto all = store_->ListIndicators();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].code(), "6.8");
  EXPECT_EQ((*all)[0].title(), "Reviews on time");
  ASSERT_TRUE(store_->UpsertLocalAuthorities({La("382", "Kirklees"), La("372", "Rotherham")}).ok());
  auto las = store_->ListLocalAuthorities();
  ASSERT_TRUE(las.ok()) << las.status();
  ASSERT_EQ(las->size(), 2U);
  EXPECT_EQ((*las)[0].la_code(), "372");
}

TEST_P(IndicatorStoreContractTest, ReplacedIndicatorsKeepTheirPlaceAndNewOnesGoLast) {
  std::vector<v1::Indicator> catalogue;
  for (const char* code : {"9.9", "1.1", "5.5"}) {
    v1::Indicator i = Reviews();
    i.set_code(code);
    i.set_title(absl::StrCat("Indicator ", code));
    catalogue.push_back(i);
  }
  ASSERT_TRUE(store_->UpsertIndicators(catalogue).ok());
  v1::Indicator replaced = catalogue[1];
  replaced.set_title("Replaced");
  replaced.set_polarity(v1::POLARITY_LOW);
  replaced.set_unit(v1::UNIT_COUNT);
  v1::Indicator added = testing::NumberLac();
  added.set_code("0.1");
  ASSERT_TRUE(store_->UpsertIndicators({added, replaced}).ok());
  auto all = store_->ListIndicators();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4U);
  EXPECT_EQ((*all)[0].code(), "9.9");
  EXPECT_EQ((*all)[1].code(), "1.1");
  EXPECT_EQ((*all)[2].code(), "5.5");
  EXPECT_EQ((*all)[3].code(), "0.1");
  // The whole record comes back, not just the columns kept beside it.
  EXPECT_EQ((*all)[1].SerializeAsString(), replaced.SerializeAsString());
  EXPECT_EQ((*all)[3].SerializeAsString(), added.SerializeAsString());
}

v1::Target Thresholds(const std::string& code, const std::string& year, const std::string& la,
                      double red, double green) {
  v1::Target t;
  t.set_indicator_code(code);
  t.set_financial_year(year);
  t.set_la_code(la);
  t.set_kind(v1::TARGET_KIND_THRESHOLDS);
  t.set_red_threshold(red);
  t.set_green_threshold(green);
  return t;
}

TEST_P(IndicatorStoreContractTest, TargetsAreUpsertedByKeyAndFiltered) {
  v1::Target range;
  range.set_indicator_code("6.1");
  range.set_financial_year("2018-19");
  range.set_la_code("372");
  range.set_kind(v1::TARGET_KIND_RANGE);
  range.set_range_low(0.1);
  range.set_range_high(1e-7);
  range.set_range_tolerance_pct(12.5);
  ASSERT_TRUE(store_
                  ->UpsertTargets({Thresholds("6.8", "2018-19", "", 80, 95),
                                   Thresholds("6.8", "2018-19", "372", 82, 96),
                                   Thresholds("6.8", "2017-18", "", 70, 90), range})
                  .ok());
  ASSERT_TRUE(store_->UpsertTargets({Thresholds("6.8", "2018-19", "372", 83.25, 97)}).ok());

  auto all = store_->ListTargets({});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4U);
  EXPECT_EQ((*all)[0].SerializeAsString(), range.SerializeAsString());
  EXPECT_EQ((*all)[1].financial_year(), "2017-18");
  EXPECT_EQ((*all)[2].la_code(), "");
  EXPECT_EQ((*all)[3].la_code(), "372");
  EXPECT_DOUBLE_EQ((*all)[3].red_threshold(), 83.25);
  EXPECT_DOUBLE_EQ((*all)[3].green_threshold(), 97);
  EXPECT_FALSE((*all)[3].has_range_low());

  auto for_la = store_->ListTargets({"6.8", "2018-19", "372"});
  ASSERT_TRUE(for_la.ok()) << for_la.status();
  ASSERT_EQ(for_la->size(), 1U);
  auto by_year = store_->ListTargets({"", "2018-19", ""});
  ASSERT_TRUE(by_year.ok()) << by_year.status();
  EXPECT_EQ(by_year->size(), 3U);
  auto by_code = store_->ListTargets({"6.8", "", ""});
  ASSERT_TRUE(by_code.ok()) << by_code.status();
  EXPECT_EQ(by_code->size(), 3U);
}

v1::Milestone Milestone(const std::string& month, double value, const std::string& note) {
  v1::Milestone m;
  m.set_month(month);
  m.set_target_value(value);
  m.set_note(note);
  return m;
}

TEST_P(IndicatorStoreContractTest, MilestonesReplaceTheWholeTrajectory) {
  ASSERT_TRUE(store_
                  ->ReplaceMilestones(
                      "6.8", "372", {Milestone("2018-06", 85, "Q1"), Milestone("2018-09", 88, "")})
                  .ok());
  ASSERT_TRUE(
      store_->ReplaceMilestones("6.1", "372", {Milestone("2018-12", 400, "tab\there")}).ok());
  ASSERT_TRUE(store_->ReplaceMilestones("6.8", "382", {Milestone("2018-06", 50, "")}).ok());
  ASSERT_TRUE(store_
                  ->ReplaceMilestones(
                      "6.8", "372",
                      {Milestone("2019-03", 95, "year end"), Milestone("2018-12", 91.5, "Q3")})
                  .ok());
  auto mine = store_->ListMilestones("6.8", "372");
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->size(), 2U);
  EXPECT_EQ((*mine)[0].month(), "2018-12");
  EXPECT_DOUBLE_EQ((*mine)[0].target_value(), 91.5);
  EXPECT_EQ((*mine)[0].note(), "Q3");
  EXPECT_EQ((*mine)[0].indicator_code(), "6.8");
  EXPECT_EQ((*mine)[0].la_code(), "372");
  EXPECT_EQ((*mine)[1].month(), "2019-03");

  auto every = store_->ListMilestones("", "372");
  ASSERT_TRUE(every.ok()) << every.status();
  ASSERT_EQ(every->size(), 3U);
  EXPECT_EQ((*every)[0].indicator_code(), "6.1");
  EXPECT_EQ((*every)[0].note(), "tab\there");

  ASSERT_TRUE(store_->ReplaceMilestones("6.8", "372", {}).ok());
  auto cleared = store_->ListMilestones("6.8", "372");
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_TRUE(cleared->empty());
  EXPECT_EQ(store_->ListMilestones("6.8", "382")->size(), 1U);
}

TEST_P(IndicatorStoreContractTest, DoublesComeBackExactly) {
  const double third = 1.0 / 3.0;
  const double tiny = 5e-324;
  ASSERT_TRUE(store_->AppendValues("x", {Val("372", "6.8", "2018-05", third, 1e300, tiny)}).ok());
  auto got = store_->ListValues({});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1U);
  EXPECT_EQ((*got)[0].value(), third);
  EXPECT_EQ((*got)[0].numerator(), 1e300);
  EXPECT_EQ((*got)[0].denominator(), tiny);
}

std::string StoreName(const ::testing::TestParamInfo<StoreFactory>& store) {
  return store.param.name;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, IndicatorStoreContractTest, ::testing::Values(Sqlite()),
                         StoreName);
INSTANTIATE_TEST_SUITE_P(Postgres, IndicatorStoreContractTest, ::testing::Values(Postgres()),
                         StoreName);

TEST(SqliteIndicatorStoreFileTest, SurvivesReopen) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("carescore-store-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "indicators.db").string();
  int64_t first_id = 0;
  {
    auto store = SqliteIndicatorStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->UpsertLocalAuthorities({La("372", "Rotherham")}).ok());
    auto r = (*store)->AppendValues("x", {Val("372", "6.8", "2018-05", 1)});
    ASSERT_TRUE(r.ok());
    first_id = r->load_id;
  }
  {
    auto store = SqliteIndicatorStore::Open(path);
    ASSERT_TRUE(store.ok());
    auto r = (*store)->AppendValues("y", {Val("372", "6.8", "2018-05", 2)});
    ASSERT_TRUE(r.ok());
    EXPECT_GT(r->load_id, first_id);
    EXPECT_EQ(*(*store)->DataVersion("372"), 3);  // the LAs' write, then two loads
  }
  std::filesystem::remove_all(dir);
}

// Two store objects on one database, as two replicas of the service.
class PgIndicatorReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = FreshPgDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    for (auto* store : {&a_, &b_}) {
      absl::StatusOr<std::unique_ptr<PgIndicatorStore>> opened = PgIndicatorStore::Open(url_);
      ASSERT_TRUE(opened.ok()) << opened.status();
      *store = *std::move(opened);
    }
  }
  std::string url_;
  std::unique_ptr<PgIndicatorStore> a_;
  std::unique_ptr<PgIndicatorStore> b_;
};

TEST_F(PgIndicatorReplicasTest, LoadsThroughBothAreNumberedAndStampedInOrder) {
  std::vector<LoadReceipt> receipts;
  for (int i = 0; i < 10; ++i) {
    PgIndicatorStore& through = i % 2 == 0 ? *a_ : *b_;
    auto r = through.AppendValues(absl::StrCat("load ", i), {Val("372", "6.8", "2018-05", i)});
    ASSERT_TRUE(r.ok()) << r.status();
    receipts.push_back(*r);
  }
  for (size_t i = 1; i < receipts.size(); ++i) {
    EXPECT_EQ(receipts[i].load_id, receipts[i - 1].load_id + 1);
    EXPECT_GT(receipts[i].recorded_at, receipts[i - 1].recorded_at);
  }
  // Each replica reads what the other wrote, with every revision.
  for (PgIndicatorStore* reader : {a_.get(), b_.get()}) {
    auto history = reader->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-05"});
    ASSERT_TRUE(history.ok()) << history.status();
    ASSERT_EQ(history->size(), receipts.size());
    for (size_t i = 0; i < receipts.size(); ++i) {
      EXPECT_EQ((*history)[i].load_id(), receipts[i].load_id);
      EXPECT_EQ((*history)[i].source(), absl::StrCat("load ", i));
    }
  }
  // A replica opened later continues the numbering.
  auto later = PgIndicatorStore::Open(url_);
  ASSERT_TRUE(later.ok()) << later.status();
  auto r = (*later)->AppendValues("later", {Val("372", "6.8", "2018-05", 99)});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->load_id, receipts.back().load_id + 1);
  EXPECT_GT(r->recorded_at, receipts.back().recorded_at);
}

TEST_F(PgIndicatorReplicasTest, EachSeesTheOthersVersionBumps) {
  ASSERT_TRUE(a_->UpsertLocalAuthorities({La("372", "Rotherham")}).ok());
  const int64_t start = *b_->DataVersion("372");
  const int64_t all = *b_->AllDataVersion();
  ASSERT_TRUE(a_->AppendValues("x", {Val("372", "6.8", "2018-05", 1)}).ok());
  EXPECT_EQ(*b_->DataVersion("372"), start + 1);
  EXPECT_EQ(*b_->AllDataVersion(), all + 1);
  EXPECT_EQ(*b_->LasWithValues(), 1);
  const int64_t catalogue = *a_->CatalogueVersion();
  ASSERT_TRUE(b_->UpsertIndicators({Reviews()}).ok());
  EXPECT_EQ(*a_->CatalogueVersion(), catalogue + 1);
  EXPECT_EQ(*a_->DataVersion("372"), start + 2);
}

TEST_F(PgIndicatorReplicasTest, ConcurrentWritersThroughBothLoseNoRevision) {
  ASSERT_TRUE(a_->UpsertLocalAuthorities({La("372", "Rotherham"), La("382", "Kirklees")}).ok());
  const int64_t start = *a_->DataVersion("372");
  constexpr int kThreads = 8;
  constexpr int kLoadsEach = 15;
  std::vector<std::thread> writers;
  writers.reserve(kThreads);
  std::vector<std::vector<LoadReceipt>> receipts(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      PgIndicatorStore& store = t % 2 == 0 ? *a_ : *b_;
      for (int i = 0; i < kLoadsEach; ++i) {
        // Every load revises the shared value and adds one of the writer's own.
        auto r = store.AppendValues(
            absl::StrCat("w", t, "-", i),
            {Val("372", "6.8", "2018-05", t * 100 + i),
             Val("382", absl::StrCat("w", t), absl::StrCat("2018-", i < 9 ? "0" : "", i + 1), i)});
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << r.status();
          continue;
        }
        receipts[static_cast<size_t>(t)].push_back(*r);
      }
    });
  }
  for (std::thread& w : writers) w.join();
  ASSERT_EQ(failures.load(), 0);

  constexpr int kLoads = kThreads * kLoadsEach;
  std::set<int64_t> ids;
  for (const auto& mine : receipts) {
    for (size_t i = 0; i < mine.size(); ++i) {
      ids.insert(mine[i].load_id);
      if (i > 0) {
        EXPECT_GT(mine[i].load_id, mine[i - 1].load_id);
        EXPECT_GT(mine[i].recorded_at, mine[i - 1].recorded_at);
      }
    }
  }
  EXPECT_EQ(static_cast<int>(ids.size()), kLoads);

  auto history = b_->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-05"});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(static_cast<int>(history->size()), kLoads);
  for (size_t i = 1; i < history->size(); ++i) {
    EXPECT_GT((*history)[i].load_id(), (*history)[i - 1].load_id());
    EXPECT_GT(TimeFromProto((*history)[i].recorded_at()),
              TimeFromProto((*history)[i - 1].recorded_at()))
        << "stamps follow load ids";
    EXPECT_EQ((*history)[i].revision(), static_cast<int>(i) + 1);
  }
  ValueQuery shared;
  shared.la_code = "372";
  auto latest = a_->ListValues(shared);
  ASSERT_TRUE(latest.ok()) << latest.status();
  ASSERT_EQ(latest->size(), 1U);
  EXPECT_EQ(latest->front().revision(), kLoads);
  EXPECT_EQ(latest->front().load_id(), *ids.rbegin());

  ValueQuery own;
  own.la_code = "382";
  auto each = a_->ListValues(own);
  ASSERT_TRUE(each.ok()) << each.status();
  EXPECT_EQ(static_cast<int>(each->size()), kLoads);
  EXPECT_EQ(*a_->DataVersion("372"), start + kLoads);
  EXPECT_EQ(*b_->DataVersion("382"), start + kLoads);
}

TEST_F(PgIndicatorReplicasTest, ConcurrentCatalogueWritesGiveEachIndicatorItsOwnPlace) {
  constexpr int kThreads = 8;
  const int64_t start = *a_->CatalogueVersion();
  std::vector<std::thread> writers;
  writers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      v1::Indicator i = Reviews();
      i.set_code(absl::StrCat("c", t));
      absl::Status s = (t % 2 == 0 ? *a_ : *b_).UpsertIndicators({i});
      EXPECT_TRUE(s.ok()) << s;
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(*b_->CatalogueVersion(), start + kThreads);
  auto all = a_->ListIndicators();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(static_cast<int>(all->size()), kThreads);
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, "indicators");
  ASSERT_TRUE(conn.ok()) << conn.status();
  absl::StatusOr<PgResult> places =
      (*conn)->Exec("SELECT count(DISTINCT position), count(*) FROM indicators");
  ASSERT_TRUE(places.ok()) << places.status();
  EXPECT_EQ(places->Int(0, 0), kThreads);
  EXPECT_EQ(places->Int(0, 1), kThreads);
}

TEST_F(PgIndicatorReplicasTest, ALargeLoadRefreshesThePlannersStatistics) {
  std::vector<v1::ValueInput> values;
  for (int la = 0; la < 50; ++la) {
    for (int m = 1; m <= 12; ++m) {
      for (const char* code : {"6.1", "6.8", "7.1"}) {
        values.push_back(Val(absl::StrCat(300 + la), code, absl::StrFormat("2018-%02d", m), m));
      }
    }
  }
  ASSERT_TRUE(a_->AppendValues("small", {Val("372", "6.8", "2018-05", 1)}).ok());
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url_, "indicators");
  ASSERT_TRUE(conn.ok()) << conn.status();
  const std::string counted =
      "SELECT reltuples::bigint FROM pg_class WHERE oid = 'observations'::regclass";
  absl::StatusOr<PgResult> before = (*conn)->Exec(counted);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_LT(before->Int(0, 0), 1) << "a small load leaves the statistics to autovacuum";
  ASSERT_TRUE(a_->AppendValues("large", values).ok());
  absl::StatusOr<PgResult> after = (*conn)->Exec(counted);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->Int(0, 0), static_cast<int64_t>(values.size()) + 1);
}

}  // namespace
}  // namespace carescore::indicators
