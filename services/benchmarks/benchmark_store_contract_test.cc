// The BenchmarkStore contract, run unchanged against SqliteBenchmarkStore
// and PgBenchmarkStore, then what only PostgreSQL shows: two store objects
// on one database standing for two replicas.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/pg_server.h"
#include "gtest/gtest.h"
#include "services/benchmarks/benchmark_store.h"
#include "services/benchmarks/pg_benchmark_store.h"
#include "services/benchmarks/sqlite_benchmark_store.h"

namespace carescore::benchmarks {
namespace {

using StoreFactory = absl::StatusOr<std::unique_ptr<BenchmarkStore>> (*)();

absl::StatusOr<std::unique_ptr<BenchmarkStore>> OpenSqlite() {
  absl::StatusOr<std::unique_ptr<SqliteBenchmarkStore>> store =
      SqliteBenchmarkStore::Open(":memory:");
  if (!store.ok()) return store.status();
  return std::unique_ptr<BenchmarkStore>(*std::move(store));
}

absl::StatusOr<std::string> FreshDatabase() {
  absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
  if (!server.ok()) return server.status();
  return (*server)->NewDatabase();
}

absl::StatusOr<std::unique_ptr<BenchmarkStore>> OpenPostgres() {
  absl::StatusOr<std::string> url = FreshDatabase();
  if (!url.ok()) return url.status();
  absl::StatusOr<std::unique_ptr<PgBenchmarkStore>> store = PgBenchmarkStore::Open(*url);
  if (!store.ok()) return store.status();
  return std::unique_ptr<BenchmarkStore>(*std::move(store));
}

v1::Neighbour Neighbour(const std::string& la, const std::string& neighbour, int rank,
                        const std::string& closeness = "Very close") {
  v1::Neighbour n;
  n.set_la_code(la);
  n.set_neighbour_la_code(neighbour);
  n.set_rank(rank);
  n.set_closeness(closeness);
  return n;
}

v1::PublishedComparator Comparator(const std::string& la, const std::string& indicator,
                                   const std::string& year, std::optional<double> sn_average,
                                   std::optional<double> national_average = std::nullopt) {
  v1::PublishedComparator c;
  c.set_la_code(la);
  c.set_indicator_code(indicator);
  c.set_financial_year(year);
  if (sn_average) c.set_sn_average(*sn_average);
  if (national_average) c.set_national_average(*national_average);
  return c;
}

// Messages compared whole, in a form a failure prints readably.
template <typename Message>
std::vector<std::string> Texts(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages) out.push_back(m.ShortDebugString());
  return out;
}

std::vector<std::string> Ranks(BenchmarkStore& store, const std::string& model,
                               const std::string& la) {
  absl::StatusOr<std::vector<v1::Neighbour>> list = store.ListNeighbours(model, la);
  EXPECT_TRUE(list.ok()) << list.status();
  std::vector<std::string> out;
  if (list.ok()) {
    for (const v1::Neighbour& n : *list) {
      out.push_back(absl::StrCat(n.rank(), ":", n.neighbour_la_code()));
    }
  }
  return out;
}

int64_t VersionOf(BenchmarkStore& store) {
  absl::StatusOr<int64_t> v = store.Version();
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : -1;
}

class BenchmarkStoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<BenchmarkStore>> store = GetParam()();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  std::unique_ptr<BenchmarkStore> store_;
};

TEST_P(BenchmarkStoreContractTest, ANewStoreIsEmptyAtVersionZero) {
  EXPECT_TRUE(store_->ListModels()->empty());
  EXPECT_TRUE(store_->ListNeighbours("2025", "372")->empty());
  EXPECT_TRUE(store_->ListPublished("372")->empty());
  absl::StatusOr<std::optional<v1::PublishedComparator>> found =
      store_->FindPublished("372", "A1", "2016-17");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(VersionOf(*store_), 0);
}

TEST_P(BenchmarkStoreContractTest, NeighboursComeBackWholeInRankOrder) {
  ASSERT_TRUE(store_
                  ->ReplaceNeighbours("2025", {Neighbour("372", "373", 2, "Close"),
                                               Neighbour("372", "382", 1, "Extremely close"),
                                               Neighbour("372", "384", 3, "Not close")})
                  .ok());
  absl::StatusOr<std::vector<v1::Neighbour>> list = store_->ListNeighbours("2025", "372");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(Texts(*list),
            Texts(std::vector<v1::Neighbour>{Neighbour("372", "382", 1, "Extremely close"),
                                             Neighbour("372", "373", 2, "Close"),
                                             Neighbour("372", "384", 3, "Not close")}));
  EXPECT_TRUE(store_->ListNeighbours("2025", "382")->empty());
  EXPECT_TRUE(store_->ListNeighbours("2019", "372")->empty());
}

TEST_P(BenchmarkStoreContractTest, ReplacingNeighboursReplacesOnlyTheNamedLasInTheModel) {
  ASSERT_TRUE(
      store_
          ->ReplaceNeighbours("2025", {Neighbour("372", "373", 1), Neighbour("372", "382", 2),
                                       Neighbour("372", "384", 3), Neighbour("382", "372", 1),
                                       Neighbour("382", "373", 2)})
          .ok());
  ASSERT_TRUE(store_->ReplaceNeighbours("2019", {Neighbour("372", "999", 1)}).ok());
  ASSERT_TRUE(
      store_->ReplaceNeighbours("2025", {Neighbour("372", "390", 1), Neighbour("372", "391", 2)})
          .ok());
  EXPECT_EQ(Ranks(*store_, "2025", "372"), (std::vector<std::string>{"1:390", "2:391"}));
  EXPECT_EQ(Ranks(*store_, "2025", "382"), (std::vector<std::string>{"1:372", "2:373"}));
  EXPECT_EQ(Ranks(*store_, "2019", "372"), (std::vector<std::string>{"1:999"}));
}

TEST_P(BenchmarkStoreContractTest, ModelsAreListedOnceNewestFirst) {
  ASSERT_TRUE(store_->ReplaceNeighbours("2019", {Neighbour("372", "373", 1)}).ok());
  ASSERT_TRUE(
      store_->ReplaceNeighbours("2025", {Neighbour("372", "373", 1), Neighbour("382", "373", 1)})
          .ok());
  ASSERT_TRUE(store_->ReplaceNeighbours("2022", {Neighbour("372", "373", 1)}).ok());
  absl::StatusOr<std::vector<std::string>> models = store_->ListModels();
  ASSERT_TRUE(models.ok()) << models.status();
  EXPECT_EQ(*models, (std::vector<std::string>{"2025", "2022", "2019"}));
}

TEST_P(BenchmarkStoreContractTest, ADuplicateRankIsRefusedAndChangesNothing) {
  ASSERT_TRUE(store_->ReplaceNeighbours("2025", {Neighbour("372", "373", 1)}).ok());
  const int64_t before = VersionOf(*store_);
  absl::Status refused = store_->ReplaceNeighbours(
      "2025", {Neighbour("372", "382", 1), Neighbour("372", "384", 1), Neighbour("390", "3", 1)});
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(Ranks(*store_, "2025", "372"), (std::vector<std::string>{"1:373"}));
  EXPECT_TRUE(store_->ListNeighbours("2025", "390")->empty());
  EXPECT_EQ(VersionOf(*store_), before);
}

TEST_P(BenchmarkStoreContractTest, PublishedComparatorsAreCreatedAndReplacedByKey) {
  ASSERT_TRUE(store_
                  ->UpsertPublished({Comparator("372", "B2", "2016-17", 10.5, 11.0),
                                     Comparator("372", "A1", "2017-18", 3.0),
                                     Comparator("372", "A1", "2016-17", 2.0),
                                     Comparator("382", "A1", "2016-17", 7.0)})
                  .ok());
  // Replacing takes the whole row: a value the new one lacks is gone.
  ASSERT_TRUE(store_->UpsertPublished({Comparator("372", "B2", "2016-17", 12.25)}).ok());
  absl::StatusOr<std::vector<v1::PublishedComparator>> list = store_->ListPublished("372");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(Texts(*list),
            Texts(std::vector<v1::PublishedComparator>{Comparator("372", "A1", "2016-17", 2.0),
                                                       Comparator("372", "A1", "2017-18", 3.0),
                                                       Comparator("372", "B2", "2016-17", 12.25)}));
  absl::StatusOr<std::optional<v1::PublishedComparator>> found =
      store_->FindPublished("382", "A1", "2016-17");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->ShortDebugString(),
            Comparator("382", "A1", "2016-17", 7.0).ShortDebugString());
  EXPECT_FALSE(store_->FindPublished("382", "A1", "2017-18")->has_value());
  EXPECT_FALSE(store_->FindPublished("382", "B2", "2016-17")->has_value());
}

TEST_P(BenchmarkStoreContractTest, ValuesComeBackExactlyAndAbsentStaysAbsent) {
  v1::PublishedComparator c = Comparator("372", "A1", "2016-17", std::nullopt);
  c.set_best_sn(0.0);  // Present zero, unlike the absent sn_average.
  c.set_national_average(0.1 + 0.2);
  c.set_top_quartile_threshold(-1.2345678901234567e-300);
  v1::PublishedComparator d = Comparator("372", "A2", "2016-17", 1e300, 123456.789);
  ASSERT_TRUE(store_->UpsertPublished({c, d}).ok());
  absl::StatusOr<std::vector<v1::PublishedComparator>> list = store_->ListPublished("372");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  const v1::PublishedComparator& got = (*list)[0];
  EXPECT_FALSE(got.has_sn_average());
  ASSERT_TRUE(got.has_best_sn());
  EXPECT_EQ(got.best_sn(), 0.0);
  EXPECT_EQ(got.national_average(), 0.1 + 0.2);
  EXPECT_EQ(got.top_quartile_threshold(), -1.2345678901234567e-300);
  EXPECT_EQ((*list)[1].sn_average(), 1e300);
  EXPECT_EQ((*list)[1].national_average(), 123456.789);
  EXPECT_FALSE((*list)[1].has_best_sn());
}

TEST_P(BenchmarkStoreContractTest, TheLastOfOneKeyInAWriteWins) {
  ASSERT_TRUE(store_
                  ->UpsertPublished({Comparator("372", "A1", "2016-17", 1.0),
                                     Comparator("372", "A2", "2016-17", 5.0),
                                     Comparator("372", "A1", "2016-17", 2.0),
                                     Comparator("372", "A1", "2016-17", 3.0, 4.0)})
                  .ok());
  absl::StatusOr<std::vector<v1::PublishedComparator>> list = store_->ListPublished("372");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(Texts(*list),
            Texts(std::vector<v1::PublishedComparator>{Comparator("372", "A1", "2016-17", 3.0, 4.0),
                                                       Comparator("372", "A2", "2016-17", 5.0)}));
}

TEST_P(BenchmarkStoreContractTest, ListsAreInByteOrder) {
  ASSERT_TRUE(store_
                  ->UpsertPublished({Comparator("372", "a1", "2016-17", 1.0),
                                     Comparator("372", "_x", "2016-17", 1.0),
                                     Comparator("372", "B2", "2016-17", 1.0),
                                     Comparator("372", "B10", "2016-17", 1.0)})
                  .ok());
  absl::StatusOr<std::vector<v1::PublishedComparator>> list = store_->ListPublished("372");
  ASSERT_TRUE(list.ok()) << list.status();
  std::vector<std::string> codes;
  for (const v1::PublishedComparator& c : *list) codes.push_back(c.indicator_code());
  EXPECT_EQ(codes, (std::vector<std::string>{"B10", "B2", "_x", "a1"}));
  for (const char* model : {"b", "B", "a"}) {
    ASSERT_TRUE(store_->ReplaceNeighbours(model, {Neighbour("372", "373", 1)}).ok());
  }
  EXPECT_EQ(*store_->ListModels(), (std::vector<std::string>{"b", "a", "B"}));
}

TEST_P(BenchmarkStoreContractTest, EveryAcceptedWriteRaisesTheVersion) {
  int64_t last = VersionOf(*store_);
  auto rose = [&] {
    const int64_t now = VersionOf(*store_);
    const bool up = now > last;
    last = now;
    return up;
  };
  ASSERT_TRUE(store_->ReplaceNeighbours("2025", {Neighbour("372", "373", 1)}).ok());
  EXPECT_TRUE(rose());
  ASSERT_TRUE(store_->UpsertPublished({Comparator("372", "A1", "2016-17", 1.0)}).ok());
  EXPECT_TRUE(rose());
  ASSERT_TRUE(store_->UpsertPublished({Comparator("372", "A1", "2016-17", 1.0)}).ok());
  EXPECT_TRUE(rose());
  ASSERT_TRUE(store_->ListPublished("372").ok());
  EXPECT_FALSE(rose());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BenchmarkStoreContractTest, ::testing::Values(&OpenSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, BenchmarkStoreContractTest, ::testing::Values(&OpenPostgres));

// PostgreSQL only: two PgBenchmarkStore objects on one database stand for
// two replicas.
class PgBenchmarkStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = FreshDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    for (std::unique_ptr<PgBenchmarkStore>* store : {&a_, &b_}) {
      absl::StatusOr<std::unique_ptr<PgBenchmarkStore>> opened = PgBenchmarkStore::Open(*url);
      ASSERT_TRUE(opened.ok()) << opened.status();
      *store = *std::move(opened);
    }
  }
  std::unique_ptr<PgBenchmarkStore> a_;
  std::unique_ptr<PgBenchmarkStore> b_;
};

TEST_F(PgBenchmarkStoreTest, AVersionRaisedThroughOneIsSeenByTheOther) {
  const int64_t before = VersionOf(*b_);
  ASSERT_TRUE(a_->UpsertPublished({Comparator("372", "A1", "2016-17", 1.0)}).ok());
  const int64_t after = VersionOf(*b_);
  EXPECT_GT(after, before);
  EXPECT_EQ(after, VersionOf(*a_));
  ASSERT_TRUE(b_->ReplaceNeighbours("2025", {Neighbour("372", "373", 1)}).ok());
  EXPECT_GT(VersionOf(*a_), after);
  EXPECT_EQ(VersionOf(*a_), VersionOf(*b_));
}

TEST_F(PgBenchmarkStoreTest, WritesThroughOneAreReadThroughTheOther) {
  ASSERT_TRUE(a_->ReplaceNeighbours("2025", {Neighbour("372", "373", 1)}).ok());
  ASSERT_TRUE(b_->ReplaceNeighbours("2025", {Neighbour("372", "384", 1)}).ok());
  EXPECT_EQ(Ranks(*a_, "2025", "372"), (std::vector<std::string>{"1:384"}));
  ASSERT_TRUE(a_->UpsertPublished({Comparator("372", "A1", "2016-17", 1.5)}).ok());
  absl::StatusOr<std::optional<v1::PublishedComparator>> found =
      b_->FindPublished("372", "A1", "2016-17");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->sn_average(), 1.5);
  EXPECT_EQ(*b_->ListModels(), (std::vector<std::string>{"2025"}));
}

TEST_F(PgBenchmarkStoreTest, ConcurrentWritersOnBothLoseNothing) {
  // Each thread upserts its own comparators and replaces the same LA's
  // neighbours: no write may fail or be lost, and the list must be one
  // writer's whole list, never a mix.
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  const int64_t before = VersionOf(*a_);
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      BenchmarkStore& store = t % 2 == 0 ? static_cast<BenchmarkStore&>(*a_) : *b_;
      for (int i = 0; i < kEach; ++i) {
        if (!store
                 .UpsertPublished({Comparator("372", absl::StrCat("T", t), absl::StrCat(i),
                                              static_cast<double>(i))})
                 .ok()) {
          ++failures;
        }
        const std::string mine = absl::StrCat("t", t);
        if (!store
                 .ReplaceNeighbours("2025", {Neighbour("372", mine, 1), Neighbour("372", mine, 2),
                                             Neighbour("372", mine, 3)})
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(VersionOf(*b_), before + 2 * kThreads * kEach);
  EXPECT_EQ(b_->ListPublished("372")->size(), static_cast<size_t>(kThreads * kEach));
  absl::StatusOr<std::vector<v1::Neighbour>> list = a_->ListNeighbours("2025", "372");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 3u);
  for (const v1::Neighbour& n : *list) {
    EXPECT_EQ(n.neighbour_la_code(), list->front().neighbour_la_code());
  }
}

}  // namespace
}  // namespace carescore::benchmarks
