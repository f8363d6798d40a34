#include "common/sqlite_db.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

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

int ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

TEST(SqliteDbTest, FilesAreTheOwnersOnlyWhateverTheUmask) {
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "sqlite_modes";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "new.db").string();
  const mode_t old_umask = umask(022);
  {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").ok());
    EXPECT_EQ(ModeOf(path), 0600);
    EXPECT_EQ(ModeOf(path + "-wal"), 0600);
    EXPECT_EQ(ModeOf(path + "-shm"), 0600);
  }
  // A database an older version left 0644 is tightened when opened.
  const std::string old_path = (dir / "old.db").string();
  std::ofstream(old_path).close();
  std::filesystem::permissions(old_path, std::filesystem::perms(0644));
  ASSERT_EQ(ModeOf(old_path), 0644);
  EXPECT_TRUE(SqliteDb::Open(old_path).ok());
  EXPECT_EQ(ModeOf(old_path), 0600);
  umask(old_umask);
}

}  // namespace
}  // namespace carescore
