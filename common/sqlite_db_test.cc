#include "common/sqlite_db.h"

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
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

// Two databases, a.db and b.db, each with one table t(n), in a fresh folder.
class SqliteSnapshotTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(testing::TempDir()) /
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const char* name : {"a.db", "b.db"}) {
      absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(Path(name));
      ASSERT_TRUE(db.ok()) << db.status();
      ASSERT_TRUE((*db)->Exec("CREATE TABLE t(n INTEGER PRIMARY KEY)").ok());
      dbs_.push_back(*std::move(db));
    }
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  SqliteDb& a() { return *dbs_[0]; }
  SqliteDb& b() { return *dbs_[1]; }

  // Snapshots a.db and b.db into folder `name`.
  absl::Status Snapshot(const std::string& name) {
    std::filesystem::create_directories(dir_ / name);
    return SnapshotSqliteDatabases(
        {{Path("a.db"), Path(name + "/a.db")}, {Path("b.db"), Path(name + "/b.db")}});
  }

  // The rows of t in a snapshot's copy, read from the copy alone.
  static std::set<int64_t> Rows(const std::string& copy) {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(copy);
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    absl::StatusOr<SqliteStatement> q = (*db)->Prepare("SELECT n FROM t");
    EXPECT_TRUE(q.ok());
    absl::StatusOr<std::vector<int64_t>> rows =
        q->Collect<int64_t>([](const SqliteStatement& s) { return s.ColumnInt(0); });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? std::set<int64_t>(rows->begin(), rows->end()) : std::set<int64_t>();
  }

  static absl::Status Insert(SqliteDb& db, int64_t n) {
    absl::StatusOr<SqliteStatement> insert = db.Prepare("INSERT INTO t(n) VALUES (?1)");
    if (!insert.ok()) return insert.status();
    insert->BindInt(1, n);
    return insert->Run();
  }

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<SqliteDb>> dbs_;
};

TEST_F(SqliteSnapshotTest, EverySnapshotIsOneMomentWhileWritesGoOn) {
  // Each logical step writes n to a.db in a transaction, then to b.db with a
  // single statement outside any transaction, under one hold: a snapshot
  // must hold both or neither, however the two interleave with it.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> written{0};
  std::thread writer([&] {
    for (int64_t n = 1; !stop.load(); ++n) {
      SqliteWriteHold step;
      {
        SqliteTransaction tx(a());
        ASSERT_TRUE(tx.status().ok());
        ASSERT_TRUE(Insert(a(), n).ok());
        ASSERT_TRUE(tx.Commit().ok());
      }
      ASSERT_TRUE(Insert(b(), n).ok());
      written.store(n);
    }
  });
  std::set<size_t> sizes;
  for (int i = 0; i < 20; ++i) {
    const std::string name = absl::StrCat("snap", i);
    ASSERT_TRUE(Snapshot(name).ok());
    const std::set<int64_t> in_a = Rows(Path(name + "/a.db"));
    EXPECT_EQ(in_a, Rows(Path(name + "/b.db"))) << "snapshot " << i;
    sizes.insert(in_a.size());
    absl::SleepFor(absl::Milliseconds(2));
  }
  stop.store(true);
  writer.join();
  EXPECT_GT(written.load(), 0);
  // The writes went on between the snapshots, not only before or after.
  EXPECT_GT(sizes.size(), 2U);
}

TEST_F(SqliteSnapshotTest, ASnapshotWaitsForAStepInProgress) {
  absl::Notification half_done;
  absl::Notification finish;
  absl::Notification snapshot_done;
  std::thread writer([&] {
    SqliteWriteHold step;
    ASSERT_TRUE(Insert(a(), 1).ok());
    half_done.Notify();
    finish.WaitForNotification();
    ASSERT_TRUE(Insert(b(), 1).ok());
  });
  half_done.WaitForNotification();
  absl::Status taken;
  std::thread snapshot([&] {
    taken = Snapshot("snap");
    snapshot_done.Notify();
  });
  EXPECT_FALSE(snapshot_done.WaitForNotificationWithTimeout(absl::Milliseconds(300)));
  finish.Notify();
  writer.join();
  snapshot.join();
  ASSERT_TRUE(taken.ok()) << taken;
  EXPECT_EQ(Rows(Path("snap/a.db")), std::set<int64_t>{1});
  EXPECT_EQ(Rows(Path("snap/b.db")), std::set<int64_t>{1});
}

TEST_F(SqliteSnapshotTest, AStepWaitingForAStoreDoesNotDeadlockASnapshot) {
  // A logical step holds the barrier and waits for a store's lock, held by
  // a writer that starts its transaction while a snapshot waits for the
  // step: the writer must get through, or all three wait for each other.
  absl::Mutex store_mu;
  absl::Notification step_holding;
  absl::Notification writer_locked;
  absl::Notification snapshot_asked;
  absl::Notification all_done;
  std::thread step([&] {
    SqliteWriteHold hold;
    step_holding.Notify();
    snapshot_asked.WaitForNotification();
    absl::MutexLock lock(&store_mu);
    ASSERT_TRUE(Insert(a(), 1).ok());
  });
  std::thread writer([&] {
    step_holding.WaitForNotification();
    absl::MutexLock lock(&store_mu);
    writer_locked.Notify();
    snapshot_asked.WaitForNotification();
    SqliteTransaction tx(b());
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(Insert(b(), 1).ok());
    ASSERT_TRUE(tx.Commit().ok());
  });
  absl::Status taken;
  std::thread snapshot([&] {
    writer_locked.WaitForNotification();
    taken = Snapshot("snap");
    all_done.Notify();
  });
  writer_locked.WaitForNotification();
  absl::SleepFor(absl::Milliseconds(100));  // The snapshot is waiting by now.
  snapshot_asked.Notify();
  if (!all_done.WaitForNotificationWithTimeout(absl::Seconds(20))) {
    step.detach();
    writer.detach();
    snapshot.detach();
    FAIL() << "the step, the writer and the snapshot wait for each other";
  }
  step.join();
  writer.join();
  snapshot.join();
  ASSERT_TRUE(taken.ok()) << taken;
  EXPECT_EQ(Rows(Path("snap/a.db")), std::set<int64_t>{1});
  EXPECT_EQ(Rows(Path("snap/b.db")), std::set<int64_t>{1});
}

TEST_F(SqliteSnapshotTest, CopiesAreSelfContainedFilesThatPassTheirCheck) {
  ASSERT_TRUE(Insert(a(), 7).ok());
  ASSERT_TRUE(Snapshot("snap").ok());
  // The live databases are in WAL mode; a copy has no -wal beside it.
  EXPECT_FALSE(std::filesystem::exists(Path("snap/a.db-wal")));
  EXPECT_EQ(ModeOf(Path("snap/a.db")), 0600);
  absl::StatusOr<std::unique_ptr<SqliteDb>> copy = SqliteDb::OpenReadOnly(Path("snap/a.db"));
  ASSERT_TRUE(copy.ok()) << copy.status();
  for (const auto& [pragma, expected] : std::vector<std::pair<std::string, std::string>>{
           {"PRAGMA journal_mode", "delete"}, {"PRAGMA integrity_check", "ok"}}) {
    absl::StatusOr<SqliteStatement> q = (*copy)->Prepare(pragma);
    ASSERT_TRUE(q.ok());
    ASSERT_TRUE(*q->Step());
    EXPECT_EQ(q->ColumnText(0), expected) << pragma;
  }
  EXPECT_EQ(Rows(Path("snap/a.db")), std::set<int64_t>{7});
  // Writes after the snapshot go on as before.
  EXPECT_TRUE(Insert(a(), 8).ok());
}

TEST_F(SqliteSnapshotTest, RefusesWhatItCannotDoAndLeavesNoCopy) {
  {
    SqliteWriteHold holding;
    EXPECT_EQ(Snapshot("held").code(), absl::StatusCode::kFailedPrecondition);
  }
  std::filesystem::create_directories(dir_ / "missing");
  EXPECT_EQ(SnapshotSqliteDatabases(
                {{Path("a.db"), Path("missing/a.db")}, {Path("nope.db"), Path("missing/nope.db")}})
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(Path("missing/a.db")));
  std::filesystem::create_directories(dir_ / "taken");
  std::ofstream(Path("taken/b.db")).close();
  EXPECT_EQ(Snapshot("taken").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(std::filesystem::exists(Path("taken/a.db")));
  EXPECT_EQ(SqliteDb::OpenReadOnly(Path("nope.db")).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carescore
