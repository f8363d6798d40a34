// The CommentaryStore contract, run unchanged against SqliteCommentaryStore
// and PgCommentaryStore, then what only PostgreSQL shows: two store objects
// on one database standing for two replicas.

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/testing/pg_server.h"
#include "gtest/gtest.h"
#include "services/reports/commentary_store.h"
#include "services/reports/pg_commentary_store.h"

namespace carescore::reports {
namespace {

using StoreFactory = absl::StatusOr<std::unique_ptr<CommentaryStore>> (*)();

absl::StatusOr<std::unique_ptr<CommentaryStore>> OpenSqlite() {
  absl::StatusOr<std::unique_ptr<SqliteCommentaryStore>> store =
      SqliteCommentaryStore::Open(":memory:");
  if (!store.ok()) return store.status();
  return std::unique_ptr<CommentaryStore>(*std::move(store));
}

absl::StatusOr<std::string> FreshDatabase() {
  absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
  if (!server.ok()) return server.status();
  return (*server)->NewDatabase();
}

absl::StatusOr<std::unique_ptr<CommentaryStore>> OpenPostgres() {
  absl::StatusOr<std::string> url = FreshDatabase();
  if (!url.ok()) return url.status();
  absl::StatusOr<std::unique_ptr<PgCommentaryStore>> store = PgCommentaryStore::Open(*url);
  if (!store.ok()) return store.status();
  return std::unique_ptr<CommentaryStore>(*std::move(store));
}

v1::Commentary Commentary(const std::string& la, const std::string& month,
                          const std::string& section, const std::string& text,
                          const std::string& author = "hos-372", int64_t at_us = 1700000000000000) {
  v1::Commentary c;
  c.set_la_code(la);
  c.set_month(month);
  c.set_section(section);
  c.set_text(text);
  c.set_author(author);
  *c.mutable_updated_at() = ProtoFromMicros(at_us);
  return c;
}

std::vector<std::string> Texts(const std::vector<v1::Commentary>& list) {
  std::vector<std::string> out;
  for (const v1::Commentary& c : list) out.push_back(c.ShortDebugString());
  return out;
}

std::vector<v1::Commentary> ListOf(CommentaryStore& store, const std::string& la,
                                   const std::string& month) {
  absl::StatusOr<std::vector<v1::Commentary>> list = store.List(la, month);
  EXPECT_TRUE(list.ok()) << list.status();
  return list.ok() ? *std::move(list) : std::vector<v1::Commentary>();
}

class CommentaryStoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<CommentaryStore>> store = GetParam()();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  std::unique_ptr<CommentaryStore> store_;
};

TEST_P(CommentaryStoreContractTest, NothingIsListedBeforeAnything) {
  EXPECT_TRUE(ListOf(*store_, "372", "2025-03").empty());
}

TEST_P(CommentaryStoreContractTest, ListsOneLaAndMonthBySectionInByteOrder) {
  const v1::Commentary summary = Commentary("372", "2025-03", "summary", "Steady.");
  const v1::Commentary actions = Commentary("372", "2025-03", "Actions", "Recruit.");
  const v1::Commentary other = Commentary("372", "2025-03", "b_other", "More.");
  for (const v1::Commentary& c :
       {summary, actions, other, Commentary("372", "2025-04", "summary", "Later."),
        Commentary("382", "2025-03", "summary", "Elsewhere.")}) {
    ASSERT_TRUE(store_->Put(c).ok());
  }
  EXPECT_EQ(Texts(ListOf(*store_, "372", "2025-03")),
            Texts(std::vector<v1::Commentary>{actions, other, summary}));
  EXPECT_EQ(ListOf(*store_, "372", "2025-04").size(), 1u);
  EXPECT_TRUE(ListOf(*store_, "372", "2025-05").empty());
}

TEST_P(CommentaryStoreContractTest, APutReplacesTheSectionsTextAuthorAndTime) {
  ASSERT_TRUE(store_->Put(Commentary("372", "2025-03", "summary", "Draft.", "hos-1", 1)).ok());
  const v1::Commentary final_text =
      Commentary("372", "2025-03", "summary", "Final.", "hos-2", 1700000000654321);
  ASSERT_TRUE(store_->Put(final_text).ok());
  EXPECT_EQ(Texts(ListOf(*store_, "372", "2025-03")),
            Texts(std::vector<v1::Commentary>{final_text}));
}

TEST_P(CommentaryStoreContractTest, TextComesBackAsWritten) {
  const v1::Commentary odd = Commentary(
      "372", "2025-03", "summary",
      "Line one\nline two\twith a tab, 'quotes' \"and\" a \\ backslash; £ é 漢字", "o'brien");
  const v1::Commentary empty = Commentary("372", "2025-03", "z", "", "");
  ASSERT_TRUE(store_->Put(odd).ok());
  ASSERT_TRUE(store_->Put(empty).ok());
  EXPECT_EQ(Texts(ListOf(*store_, "372", "2025-03")),
            Texts(std::vector<v1::Commentary>{odd, empty}));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CommentaryStoreContractTest, ::testing::Values(&OpenSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, CommentaryStoreContractTest, ::testing::Values(&OpenPostgres));

// PostgreSQL only: two PgCommentaryStore objects on one database stand for
// two replicas.
class PgCommentaryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> url = FreshDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    for (std::unique_ptr<PgCommentaryStore>* store : {&a_, &b_}) {
      absl::StatusOr<std::unique_ptr<PgCommentaryStore>> opened = PgCommentaryStore::Open(*url);
      ASSERT_TRUE(opened.ok()) << opened.status();
      *store = *std::move(opened);
    }
  }
  std::unique_ptr<PgCommentaryStore> a_;
  std::unique_ptr<PgCommentaryStore> b_;
};

TEST_F(PgCommentaryStoreTest, APutThroughOneIsListedThroughTheOther) {
  const v1::Commentary c = Commentary("372", "2025-03", "summary", "Steady.");
  ASSERT_TRUE(a_->Put(c).ok());
  EXPECT_EQ(Texts(ListOf(*b_, "372", "2025-03")), Texts(std::vector<v1::Commentary>{c}));
  const v1::Commentary replaced = Commentary("372", "2025-03", "summary", "Better.", "hos-9");
  ASSERT_TRUE(b_->Put(replaced).ok());
  EXPECT_EQ(Texts(ListOf(*a_, "372", "2025-03")), Texts(std::vector<v1::Commentary>{replaced}));
}

TEST_F(PgCommentaryStoreTest, ConcurrentPutsOfOneSectionLeaveOneWholeWrite) {
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      CommentaryStore& store = t % 2 == 0 ? static_cast<CommentaryStore&>(*a_) : *b_;
      for (int i = 0; i < kEach; ++i) {
        // Each writer's own section too, so nothing written may go missing.
        const std::string text = absl::StrCat("text ", t, "/", i);
        const std::string author = absl::StrCat("author ", t, "/", i);
        if (!store.Put(Commentary("372", "2025-03", "summary", text, author)).ok()) ++failures;
        if (!store.Put(Commentary("372", "2025-03", absl::StrCat("s", t, "-", i), text)).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  const std::vector<v1::Commentary> list = ListOf(*a_, "372", "2025-03");
  ASSERT_EQ(list.size(), static_cast<size_t>(kThreads * kEach + 1));
  std::set<std::string> sections;
  for (const v1::Commentary& c : list) sections.insert(c.section());
  EXPECT_EQ(sections.size(), list.size());
  const v1::Commentary& shared = list.back();
  ASSERT_EQ(shared.section(), "summary");
  EXPECT_EQ(shared.author(), "author " + shared.text().substr(5)) << shared.ShortDebugString();
}

}  // namespace
}  // namespace carescore::reports
