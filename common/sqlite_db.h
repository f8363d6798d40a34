#ifndef CARESCORE_COMMON_SQLITE_DB_H_
#define CARESCORE_COMMON_SQLITE_DB_H_

// A thin RAII layer over libsqlite3 that turns result codes into
// absl::Status. The services' SQLite stores are built on it. A SqliteDb is
// not thread-safe: its owner serialises access (the stores hold a mutex).
//
// The write barrier: every write through this layer happens under a hold
// of one process-wide barrier (a SqliteTransaction holds it for its life, a
// statement that writes outside a transaction for its run, and Exec for its
// call), and SnapshotSqliteDatabases waits until nobody holds it and keeps
// new holds out while it opens a read on each database, so a snapshot of
// several databases is one moment with no write half done in any of them.
// The barrier is process-wide (a global, unlike everything else here)
// because the moment it defines is: every store's database in the process
// must agree on it. Writes by other processes are not held back: one
// process (carescored) owns a data folder.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace carescore {

class SqliteDb;

class SqliteStatement {
 public:
  // `owner`, if set, takes the statement back for reuse when this is
  // destroyed (SqliteDb::Prepare's cache); otherwise it is finalized.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, SqliteDb* owner = nullptr)
      : db_(db), stmt_(stmt), owner_(owner) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters count from 1, as in SQLite.
  void BindText(int i, absl::string_view v);
  // Binds without copying: `v` must outlive the next Step() or Reset().
  void BindTextNoCopy(int i, absl::string_view v);
  void BindBlob(int i, absl::string_view bytes);
  void BindInt(int i, int64_t v);
  void BindDouble(int i, double v);
  void BindOptionalDouble(int i, bool present, double v);
  void BindNull(int i);

  // True while a row is available; false when done.
  absl::StatusOr<bool> Step();
  // Steps through every remaining row, calling `row(*this)` for each; the
  // first error, from SQLite or from `row`, ends the loop and is returned.
  [[nodiscard]] absl::Status ForEachRow(
      absl::FunctionRef<absl::Status(const SqliteStatement&)> row);
  // Every remaining row, each made by `read(*this)`.
  template <typename T, typename ReadFn>
  absl::StatusOr<std::vector<T>> Collect(ReadFn read) {
    std::vector<T> out;
    absl::Status done = ForEachRow([&](const SqliteStatement& s) {
      out.push_back(read(s));
      return absl::OkStatus();
    });
    if (!done.ok()) return done;
    return out;
  }
  // Every remaining row's column `column` parsed as a stored protobuf
  // `Message` (anything with ParseFromString); DataLoss naming `what` if one
  // cannot be read.
  template <typename Message>
  absl::StatusOr<std::vector<Message>> CollectMessages(int column, absl::string_view what) {
    std::vector<Message> out;
    absl::Status done = ForEachRow([&](const SqliteStatement& s) {
      Message m;
      if (!m.ParseFromString(s.ColumnText(column))) {
        return absl::DataLossError(absl::StrCat("a stored ", what, " cannot be read"));
      }
      out.push_back(std::move(m));
      return absl::OkStatus();
    });
    if (!done.ok()) return done;
    return out;
  }
  // The first column of the first row, for queries that always give one
  // (counts, sums, coalesce(max(...), 0)); Internal if there is no row.
  absl::StatusOr<int64_t> SingleInt();
  // Runs to completion, for statements without results.
  [[nodiscard]] absl::Status Run();
  // Clears bindings and rewinds, for reuse in a loop.
  void Reset();
  // A statement that writes outside a transaction holds the write barrier
  // from its first Step() until it is done, reset or destroyed, on the
  // thread that stepped it: step, reset and destroy it on one thread.

  std::string ColumnText(int i) const;
  // The column's bytes, valid until the next Step() or Reset().
  absl::string_view ColumnView(int i) const;
  int64_t ColumnInt(int i) const;
  double ColumnDouble(int i) const;
  bool ColumnIsNull(int i) const;
  std::optional<double> ColumnOptionalDouble(int i) const;

 private:
  void ReleaseWriteHold();

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  SqliteDb* owner_;
  bool holds_barrier_ = false;
};

class SqliteDb {
 public:
  // Opens (creating if need be) the database at `path`, or ":memory:". Files
  // use WAL journaling with synchronous=NORMAL: a committed transaction
  // survives a process crash; a power cut may lose only the last commits,
  // never half a transaction. Unavailable if the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  // Opens an existing database file read-only, changing nothing about it
  // (no journal mode set, no file created): for checking a copy. NotFound
  // if there is no file at `path`; Unavailable if it cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements with no parameters.
  [[nodiscard]] absl::Status Exec(absl::string_view sql);
  // A statement for `sql`. Compiled statements are kept for reuse (by SQL
  // text, reset and unbound when given back), since compiling costs more
  // than running most of the stores' queries.
  absl::StatusOr<SqliteStatement> Prepare(absl::string_view sql);
  int64_t LastInsertRowId() const;

  // PRAGMA user_version: the schema version of this database.
  absl::StatusOr<int> UserVersion();

  sqlite3* raw() { return db_; }

 private:
  friend class SqliteStatement;
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  // Takes a statement back from a SqliteStatement being destroyed.
  void GiveBack(sqlite3_stmt* stmt);
  static constexpr size_t kMaxKept = 256;
  sqlite3* db_;
  std::unordered_multimap<std::string, sqlite3_stmt*> kept_;
};

// A hold of the write barrier for this object's life, on this thread, for
// a logical step that writes to several databases (a case and its audit
// entry): a snapshot then sees all of the step or none of it. Reentrant on
// a thread (the step's own transactions and statements take no second
// hold). Waits while a snapshot is asked for or being opened, so a stream
// of steps cannot keep snapshots out; the holds this layer takes itself
// (transactions, statements, Exec), which run under a store's lock, wait
// only while one is opened, so a step may call into any store. Take it
// before any lock, never while holding one a store's writer may wait for.
// Construct and destroy on one thread.
class SqliteWriteHold {
 public:
  SqliteWriteHold();
  ~SqliteWriteHold();
  SqliteWriteHold(const SqliteWriteHold&) = delete;
  SqliteWriteHold& operator=(const SqliteWriteHold&) = delete;

 private:
  friend class SqliteTransaction;
  friend class SqliteDb;
  // A hold taken under a store's lock: never waits for a snapshot that is
  // only asked for (its holders may be waiting for that lock).
  struct InStore {};
  explicit SqliteWriteHold(InStore /*in_store*/);

  bool counted_ = false;
};

// Wraps BEGIN IMMEDIATE .. COMMIT; rolls back unless Commit() succeeded.
// Holds the write barrier (SqliteWriteHold) from before BEGIN until after
// COMMIT or ROLLBACK.
class SqliteTransaction {
 public:
  // Check ok() before using the transaction.
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  const absl::Status& status() const { return begin_status_; }
  [[nodiscard]] absl::Status Commit();

 private:
  SqliteWriteHold hold_;  // First: taken before BEGIN, let go after the end.
  SqliteDb& db_;
  absl::Status begin_status_;
  bool done_ = false;
};

// One database to snapshot: the live file and where its copy goes.
struct SqliteSnapshotFile {
  std::string source;  // An existing database file (any journal mode).
  std::string copy;    // Must not exist; its folder must.
};

// Copies every `source` to its `copy` as the databases all stood at one
// moment: it waits until no write holds the barrier, keeps new writes out
// only while it opens a read transaction on each source, and then copies
// from those read transactions while writes go on. A snapshot may wait
// while writes under the stores' own locks follow one another without a
// gap (they do not yield to it; logical steps do). Each copy is a
// self-contained rollback-journal database (no -wal file), mode 0600.
// Reads the sources through connections of its own, so it needs none of
// the stores' locks.
// NotFound for a missing source, AlreadyExists for an existing copy,
// FailedPrecondition if this thread holds a SqliteWriteHold (it would wait
// for itself), Unavailable or Internal from SQLite; on error no copy is
// left behind.
[[nodiscard]] absl::Status SnapshotSqliteDatabases(const std::vector<SqliteSnapshotFile>& files);

// Brings the schema of `db` up to date: `migrations[i]` takes it from
// version i to i + 1 (each sets PRAGMA user_version), each in its own
// transaction. FailedPrecondition if a newer build wrote the database;
// `store` names it in messages ("indicator").
[[nodiscard]] absl::Status MigrateSchema(SqliteDb& db, absl::string_view store,
                                         const std::vector<absl::string_view>& migrations);

// Maps a SQLite result code to a status: busy/locked/full/I/O errors are
// Unavailable (a retry may work), constraint failures are
// FailedPrecondition, everything else Internal.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context);

}  // namespace carescore

#endif  // CARESCORE_COMMON_SQLITE_DB_H_
