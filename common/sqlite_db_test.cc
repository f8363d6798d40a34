#include "common/sqlite_db.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(SqliteDbTest, TransactionRollsBackUnlessCommitted) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x INTEGER)").ok());
  {
    SqliteTransaction tx(**db);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
  }
  {
    SqliteTransaction tx(**db);
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  absl::StatusOr<SqliteStatement> q = (*db)->Prepare("SELECT group_concat(x) FROM t");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->ColumnText(0), "2");
}

TEST(SqliteDbTest, ErrorsAreStatuses) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE((*db)->Prepare("SELEC 1").ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
  absl::Status dup = (*db)->Exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(dup.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteDb::Open("/nonexistent/dir/x.db").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(SqliteDbTest, MigratesStepByStepAndRefusesNewer) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(MigrateSchema(**db, "t", {"CREATE TABLE a(x); PRAGMA user_version = 1;"}).ok());
  ASSERT_TRUE(MigrateSchema(**db, "t",
                            {"CREATE TABLE a(x); PRAGMA user_version = 1;",
                             "CREATE TABLE b(y); PRAGMA user_version = 2;"})
                  .ok());
  EXPECT_EQ(*(*db)->UserVersion(), 2);
  absl::Status older = MigrateSchema(**db, "t", {"CREATE TABLE a(x); PRAGMA user_version = 1;"});
  EXPECT_EQ(older.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(older.message().find("upgrade carescore"), absl::string_view::npos);
}

}  // namespace
}  // namespace carescore
