#include "common/pg_db.h"

#include <thread>
#include <vector>

#include "common/testing/pg_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PgDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *server;
    absl::StatusOr<std::string> url = server_->NewDatabase();
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }
  std::unique_ptr<PgPool> Pool(const std::string& schema, int size = 4) {
    absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url_, schema, size);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }
  testing::PgServer* server_ = nullptr;
  std::string url_;
};

constexpr absl::string_view kV1 = "CREATE TABLE t(k TEXT PRIMARY KEY, x DOUBLE PRECISION, b BYTEA)";
constexpr absl::string_view kV2 = "CREATE TABLE runs(n INTEGER); INSERT INTO runs VALUES (1)";

TEST_F(PgDbTest, MigratesOnceAndKeepsEachStoreInItsSchema) {
  auto pool = Pool("alpha");
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(MigratePgSchema(*pool, "alpha", {kV1, kV2}).ok());
  ASSERT_TRUE(MigratePgSchema(*pool, "alpha", {kV1, kV2}).ok());  // Nothing to do.
  auto other = Pool("beta");
  ASSERT_TRUE(MigratePgSchema(*other, "beta", {kV1}).ok());  // Same table name, own schema.
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  absl::StatusOr<PgResult> runs = (*c)->Exec("SELECT count(*) FROM runs");
  ASSERT_TRUE(runs.ok()) << runs.status();
  EXPECT_EQ(runs->Int(0, 0), 1);
}

TEST_F(PgDbTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  std::vector<std::thread> replicas;
  std::vector<absl::Status> results(6);
  for (size_t i = 0; i < results.size(); ++i) {
    replicas.emplace_back([&, i] {
      absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url_, "shared", 1);
      results[i] = pool.ok() ? MigratePgSchema(**pool, "shared", {kV1, kV2}) : pool.status();
    });
  }
  for (std::thread& t : replicas) t.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
  auto pool = Pool("shared");
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  absl::StatusOr<PgResult> runs = (*c)->Exec("SELECT count(*) FROM runs");
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->Int(0, 0), 1);
}

TEST_F(PgDbTest, RefusesASchemaNewerThanTheBuild) {
  auto pool = Pool("gamma");
  ASSERT_TRUE(MigratePgSchema(*pool, "gamma", {kV1, kV2}).ok());
  absl::Status older = MigratePgSchema(*pool, "gamma", {kV1});
  EXPECT_EQ(older.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(older.message(), HasSubstr("newer than this build"));
}

TEST_F(PgDbTest, AFailingMigrationLeavesThePreviousSchemaWorking) {
  auto pool = Pool("delta");
  ASSERT_TRUE(MigratePgSchema(*pool, "delta", {kV1}).ok());
  absl::Status failed =
      MigratePgSchema(*pool, "delta", {kV1, "CREATE TABLE half(n INT); SELECT no_such_fn()"});
  EXPECT_FALSE(failed.ok());
  EXPECT_THAT(failed.message(), HasSubstr("version 2"));
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE((*c)->Exec("SELECT * FROM half").ok());  // Rolled back.
  EXPECT_TRUE((*c)->Exec("SELECT * FROM t").ok());
  absl::StatusOr<PgResult> v = (*c)->Exec("SELECT version FROM schema_version");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Int(0, 0), 1);
}

TEST_F(PgDbTest, ParametersResultsAndCopyRoundTrip) {
  auto pool = Pool("rt");
  ASSERT_TRUE(MigratePgSchema(*pool, "rt", {kV1}).ok());
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  const std::string bytes("a\0b\xff\\", 5);
  const double third = 1.0 / 3.0;
  ASSERT_TRUE((*c)->Exec("INSERT INTO t VALUES ($1, $2, $3)",
                         {PgParam::Text("one"), PgParam::Double(third), PgParam::Bytes(bytes)})
                  .ok());
  std::string data;
  PgCopyRow(&data, {std::string("tab\there\\n"), PgDoubleText(0.1 + 0.2), std::nullopt});
  ASSERT_TRUE((*c)->CopyIn("COPY t(k, x, b) FROM STDIN", data).ok());
  absl::StatusOr<PgResult> r = (*c)->Exec("SELECT k, x, b FROM t ORDER BY k");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows(), 2);
  EXPECT_EQ(r->Text(0, 0), "one");
  EXPECT_EQ(r->Double(0, 1), third);
  EXPECT_EQ(r->Bytes(0, 2), bytes);
  EXPECT_EQ(r->Text(1, 0), "tab\there\\n");
  EXPECT_EQ(r->Double(1, 1), 0.1 + 0.2);
  EXPECT_TRUE(r->IsNull(1, 2));
}

TEST_F(PgDbTest, ErrorsMapToCodesAndTransactionsRollBack) {
  auto pool = Pool("err");
  ASSERT_TRUE(MigratePgSchema(*pool, "err", {kV1}).ok());
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok());
  {
    PgTransaction tx(**c);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE((*c)->Exec("INSERT INTO t(k) VALUES ('a')").ok());
  }  // Not committed.
  absl::StatusOr<PgResult> none = (*c)->Exec("SELECT count(*) FROM t");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->Int(0, 0), 0);
  ASSERT_TRUE((*c)->Exec("INSERT INTO t(k) VALUES ('a')").ok());
  absl::StatusOr<PgResult> dup = (*c)->Exec("INSERT INTO t(k) VALUES ('a')");
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(dup.status().message(), HasSubstr("duplicate key"));
}

TEST_F(PgDbTest, AnUnreachableServerIsNamedWithoutThePassword) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool =
      PgPool::Open("postgresql://carescore:s3cret@127.0.0.1:1/nowhere?connect_timeout=2", "x");
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(pool.status().message(), HasSubstr("127.0.0.1:1/nowhere"));
  EXPECT_THAT(pool.status().message(), Not(HasSubstr("s3cret")));
  EXPECT_EQ(RedactedPgUrl("postgresql://carescore:s3cret@db:5432/x"),
            "postgresql://carescore:***@db:5432/x");
  EXPECT_EQ(RedactedPgUrl("postgresql://carescore@db/x"), "postgresql://carescore@db/x");
}

TEST(PgDbFaultTest, ARestartedServerFailsInFlightWorkThenServesAgain) {
  // Its own server: the shared one must not be restarted under other tests.
  absl::StatusOr<std::unique_ptr<testing::PgServer>> server = testing::PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> url = (*server)->NewDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  absl::StatusOr<std::unique_ptr<PgPool>> opened = PgPool::Open(*url, "restart", 2);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<PgPool> pool = *std::move(opened);
  ASSERT_TRUE(MigratePgSchema(*pool, "restart", {kV1}).ok());
  {
    absl::StatusOr<PgLease> c = pool->Acquire();
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Exec("INSERT INTO t(k) VALUES ('before')").ok());
  }
  ASSERT_TRUE((*server)->Restart().ok());
  // The kept connection broke: its first use fails as Unavailable...
  {
    absl::StatusOr<PgLease> c = pool->Acquire();
    ASSERT_TRUE(c.ok());
    absl::StatusOr<PgResult> lost = (*c)->Exec("SELECT count(*) FROM t");
    EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();
  }
  // ...and the pool connects again, with nothing committed lost.
  absl::StatusOr<PgLease> c = pool->Acquire();
  ASSERT_TRUE(c.ok()) << c.status();
  absl::StatusOr<PgResult> kept = (*c)->Exec("SELECT k FROM t");
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->rows(), 1);
  EXPECT_EQ(kept->Text(0, 0), "before");
}

}  // namespace
}  // namespace carescore
