#include "services/indicators/sqlite_indicator_store.h"

#include <filesystem>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/indicators/testing/records.h"

namespace carescore::indicators {
namespace {

using testing::La;
using testing::Outturn;
using testing::Reviews;
using testing::Val;

class SqliteIndicatorStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteIndicatorStore::Open(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
  }
  std::unique_ptr<SqliteIndicatorStore> store_;
};

TEST_F(SqliteIndicatorStoreTest, KeepsEveryRevisionAndReadsAsOf) {
  auto first = store_->AppendValues("first", {Val("372", "6.8", "2018-09", 90.0, 126, 140)});
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::Time between = first->recorded_at + absl::Microseconds(1);
  auto second = store_->AppendValues("second", {Val("372", "6.8", "2018-09", 90.7, 127, 140)});
  ASSERT_TRUE(second.ok());
  EXPECT_GT(second->load_id, first->load_id);
  EXPECT_GT(second->recorded_at, first->recorded_at);

  ValueQuery latest;
  latest.la_code = "372";
  auto now = store_->ListValues(latest);
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_DOUBLE_EQ((*now)[0].value(), 90.7);
  EXPECT_EQ((*now)[0].revision(), 2);
  EXPECT_EQ((*now)[0].source(), "second");

  ValueQuery then = latest;
  then.as_of = between;
  auto old = store_->ListValues(then);
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_DOUBLE_EQ((*old)[0].value(), 90.0);
  EXPECT_EQ((*old)[0].revision(), 1);

  ValueQuery before = latest;
  before.as_of = first->recorded_at - absl::Seconds(1);
  EXPECT_TRUE(store_->ListValues(before)->empty());

  auto history = store_->ValueHistory({"372", "6.8", v1::PERIOD_KIND_MONTH, "2018-09"});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].source(), "first");
  EXPECT_DOUBLE_EQ((*history)[1].numerator(), 127);
}

TEST_F(SqliteIndicatorStoreTest, MonthsAndYearsAreSeparateAndRangesInclusive) {
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
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].month(), "2018-04");
  ValueQuery years;
  years.kind = v1::PERIOD_KIND_FINANCIAL_YEAR;
  auto y = store_->ListValues(years);
  ASSERT_TRUE(y.ok());
  ASSERT_EQ(y->size(), 1u);
  EXPECT_EQ((*y)[0].financial_year(), "2017-18");
}

TEST_F(SqliteIndicatorStoreTest, MissingStaysMissing) {
  ASSERT_TRUE(store_->AppendValues("x", {Val("372", "6.8", "2018-05", std::nullopt)}).ok());
  ValueQuery q;
  EXPECT_TRUE(store_->ListValues(q)->empty());
  q.include_missing = true;
  auto all = store_->ListValues(q);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_FALSE((*all)[0].has_value());
}

TEST_F(SqliteIndicatorStoreTest, DataVersionCountsLoadsPerLa) {
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

TEST_F(SqliteIndicatorStoreTest, PagesByKey) {
  std::vector<v1::ValueInput> values;
  for (int m = 1; m <= 9; ++m) values.push_back(Val("372", "6.8", "2018-0" + std::to_string(m), m));
  ASSERT_TRUE(store_->AppendValues("x", values).ok());
  ValueQuery q;
  q.limit = 4;
  auto page1 = store_->ListValues(q);
  ASSERT_EQ(page1->size(), 4u);
  q.after = ValueKey{"372", "6.8", v1::PERIOD_KIND_MONTH, page1->back().month()};
  auto page2 = store_->ListValues(q);
  ASSERT_EQ(page2->size(), 4u);
  EXPECT_EQ(page2->front().month(), "2018-05");
}

TEST_F(SqliteIndicatorStoreTest, CatalogueKeepsOrderAndReplaces) {
  v1::Indicator a = Reviews();
  v1::Indicator b = testing::NumberLac();
  ASSERT_TRUE(store_->UpsertIndicators({a, b}).ok());
  a.set_title("Reviews on time");
  ASSERT_TRUE(store_->UpsertIndicators({a}).ok());
  auto all = store_->ListIndicators();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].code(), "6.8");
  EXPECT_EQ((*all)[0].title(), "Reviews on time");
  ASSERT_TRUE(store_->UpsertLocalAuthorities({La("382", "Kirklees"), La("372", "Rotherham")}).ok());
  auto las = store_->ListLocalAuthorities();
  ASSERT_EQ(las->size(), 2u);
  EXPECT_EQ((*las)[0].la_code(), "372");
}

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

}  // namespace
}  // namespace carescore::indicators
