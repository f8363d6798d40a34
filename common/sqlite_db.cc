#include "common/sqlite_db.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace carescore {
namespace {

// The write barrier (see the header). Not a reader-writer mutex, because
// of who waits for whom. The holds this file takes itself (a transaction, a
// statement, Exec) are taken under the owning store's mutex, so they must
// never wait for a snapshot that is only asked for: the snapshot waits for
// the holders, and a holder (a logical step, SqliteWriteHold) may be
// waiting for that very store mutex. They wait only while a snapshot opens
// its reads, which waits for nothing. A SqliteWriteHold, taken before any
// store's lock, does yield to a snapshot that is asked for, so a stream of
// logical steps cannot keep one out.
struct Barrier {
  bool Open() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return !opening_reads; }
  bool OpenToSteps() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return !opening_reads && snapshots_waiting == 0;
  }
  bool Quiet() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return holders == 0 && !opening_reads; }

  absl::Mutex mu;
  int holders ABSL_GUARDED_BY(mu) = 0;  // Threads holding it (each counted once).
  int snapshots_waiting ABSL_GUARDED_BY(mu) = 0;
  bool opening_reads ABSL_GUARDED_BY(mu) = false;
};

Barrier& WriteBarrier() {
  static auto* const barrier = new Barrier;
  return *barrier;
}
// Holds are counted per thread: only a thread's first takes the barrier,
// so a thread already holding it never waits for it again.
thread_local int t_write_holds = 0;
// Set while this thread opens a snapshot's reads: nothing it does then may
// wait for the barrier.
thread_local bool t_snapshotting = false;

// True if this call took a count (and must give it back).
bool AcquireWriteHold(bool yield_to_snapshots) {
  if (t_snapshotting) return false;
  if (t_write_holds++ > 0) return true;
  Barrier& b = WriteBarrier();
  absl::MutexLock lock(&b.mu);
  b.mu.Await(yield_to_snapshots ? absl::Condition(&b, &Barrier::OpenToSteps)
                                : absl::Condition(&b, &Barrier::Open));
  ++b.holders;
  return true;
}

void ReleaseWriteHoldCount() {
  if (--t_write_holds > 0) return;
  Barrier& b = WriteBarrier();
  absl::MutexLock lock(&b.mu);
  --b.holders;
}

}  // namespace

SqliteWriteHold::SqliteWriteHold() : counted_(AcquireWriteHold(/*yield_to_snapshots=*/true)) {}

SqliteWriteHold::SqliteWriteHold(InStore /*in_store*/)
    : counted_(AcquireWriteHold(/*yield_to_snapshots=*/false)) {}

SqliteWriteHold::~SqliteWriteHold() {
  if (counted_) ReleaseWriteHoldCount();
}

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context) {
  const std::string message =
      absl::StrCat(context, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(message);
    default:
      return absl::InternalError(message);
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      owner_(other.owner_),
      holds_barrier_(std::exchange(other.holds_barrier_, false)) {}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) {
    if (owner_ != nullptr) {
      owner_->GiveBack(stmt_);
    } else {
      sqlite3_finalize(stmt_);
    }
  }
  // After the reset or finalize above, which ends an unfinished write.
  ReleaseWriteHold();
}

void SqliteStatement::ReleaseWriteHold() {
  if (!holds_barrier_) return;
  holds_barrier_ = false;
  ReleaseWriteHoldCount();
}

void SqliteStatement::BindText(int i, absl::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::BindTextNoCopy(int i, absl::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void SqliteStatement::BindBlob(int i, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}
void SqliteStatement::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void SqliteStatement::BindDouble(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
void SqliteStatement::BindNull(int i) { sqlite3_bind_null(stmt_, i); }
void SqliteStatement::BindOptionalDouble(int i, bool present, double v) {
  if (present) {
    BindDouble(i, v);
  } else {
    BindNull(i);
  }
}

absl::StatusOr<bool> SqliteStatement::Step() {
  // A write outside a transaction commits on its own (autocommit): it needs
  // the barrier as a transaction would, until it has run.
  if (!holds_barrier_ && stmt_ != nullptr && sqlite3_get_autocommit(db_) != 0 &&
      sqlite3_stmt_readonly(stmt_) == 0) {
    holds_barrier_ = AcquireWriteHold(/*yield_to_snapshots=*/false);
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  ReleaseWriteHold();
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "sqlite step");
}

absl::Status SqliteStatement::ForEachRow(
    absl::FunctionRef<absl::Status(const SqliteStatement&)> row) {
  while (true) {
    absl::StatusOr<bool> more = Step();
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (absl::Status s = row(*this); !s.ok()) return s;
  }
}

absl::StatusOr<int64_t> SqliteStatement::SingleInt() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("a query that always gives a row gave none");
  return ColumnInt(0);
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  ReleaseWriteHold();
}

std::string SqliteStatement::ColumnText(int i) const {
  // sqlite3_column_blob returns the bytes as stored, for text and blobs alike.
  const void* text = sqlite3_column_blob(stmt_, i);
  if (text == nullptr) return "";
  return std::string(static_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}
absl::string_view SqliteStatement::ColumnView(int i) const {
  const void* text = sqlite3_column_blob(stmt_, i);
  if (text == nullptr) return {};
  return absl::string_view(static_cast<const char*>(text),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

int64_t SqliteStatement::ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
double SqliteStatement::ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
bool SqliteStatement::ColumnIsNull(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}
std::optional<double> SqliteStatement::ColumnOptionalDouble(int i) const {
  if (ColumnIsNull(i)) return std::nullopt;
  return ColumnDouble(i);
}

namespace {

// chmod 0600 if the file exists and is ours (best effort: a file we cannot
// change is left for the operator, not a reason to refuse to start).
void RestrictToOwner(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if ((st.st_mode & 0077) != 0) chmod(path.c_str(), 0600);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(raw, rc, absl::StrCat("cannot open database ", path));
    sqlite3_close(raw);
    return status;
  }
  auto db = std::unique_ptr<SqliteDb>(new SqliteDb(raw));
  sqlite3_busy_timeout(raw, 5000);
  // Owner only, whatever the umask or an older version made: SQLite gives
  // the -wal and -shm files it creates the database file's mode.
  const bool file = path != ":memory:" && !absl::StartsWith(path, "file:") && !path.empty();
  if (file) RestrictToOwner(path);
  absl::Status pragmas =
      db->Exec(path == ":memory:" ? "PRAGMA foreign_keys=ON;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                    "PRAGMA foreign_keys=ON;");
  if (!pragmas.ok()) return pragmas;
  if (file) {
    for (const char* suffix : {"-wal", "-shm", "-journal"}) RestrictToOwner(path + suffix);
  }
  return db;
}

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat("no database file ", path));
  }
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(raw, rc, absl::StrCat("cannot open database ", path));
    sqlite3_close(raw);
    return status;
  }
  sqlite3_busy_timeout(raw, 5000);
  return std::unique_ptr<SqliteDb>(new SqliteDb(raw));
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : kept_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteDb::Exec(absl::string_view sql) {
  // Exec runs schema changes, pragmas and transaction control as well as
  // writes; holding the barrier for all of them costs nothing once a
  // transaction holds it, and is cheap otherwise.
  SqliteWriteHold hold(SqliteWriteHold::InStore{});
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db_, rc, "sqlite exec");
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

void SqliteDb::GiveBack(sqlite3_stmt* stmt) {
  // Reset ends the statement's read, so a kept statement never holds a
  // snapshot open; unbinding drops pointers bound without copying.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (kept_.size() >= kMaxKept) {
    sqlite3_finalize(stmt);
    return;
  }
  kept_.emplace(sqlite3_sql(stmt), stmt);
}

absl::StatusOr<SqliteStatement> SqliteDb::Prepare(absl::string_view sql) {
  if (auto it = kept_.find(std::string(sql)); it != kept_.end()) {
    sqlite3_stmt* kept = it->second;
    kept_.erase(it);
    return SqliteStatement(db_, kept, this);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("sqlite prepare ", sql));
  if (stmt == nullptr) return SqliteStatement(db_, stmt);  // Only a comment or spaces.
  return SqliteStatement(db_, stmt, this);
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

absl::StatusOr<int> SqliteDb::UserVersion() {
  absl::StatusOr<SqliteStatement> stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt->ColumnInt(0));
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : hold_(SqliteWriteHold::InStore{}), db_(db) {
  begin_status_ = db_.Exec("BEGIN IMMEDIATE");
  done_ = !begin_status_.ok();
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) db_.Exec("ROLLBACK").IgnoreError();
}

absl::Status SqliteTransaction::Commit() {
  absl::Status status = db_.Exec("COMMIT");
  if (status.ok()) done_ = true;
  return status;
}

namespace {

// One source and its copy while a snapshot is taken: raw connections, since
// these never go through the barrier the snapshot holds.
struct SnapshotPart {
  const SqliteSnapshotFile* file = nullptr;
  sqlite3* source = nullptr;
  sqlite3* copy = nullptr;
  bool copy_created = false;
  ~SnapshotPart() {
    if (copy != nullptr) sqlite3_close(copy);
    // Closing ends the read transaction.
    if (source != nullptr) sqlite3_close(source);
  }
};

absl::Status RunRaw(sqlite3* db, const char* sql, absl::string_view context) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, context);
  return absl::OkStatus();
}

// BEGIN, then a read: in WAL mode the read transaction (the moment the
// source is copied at) starts at the first read, not at BEGIN.
absl::Status StartRead(SnapshotPart& part) {
  const std::string context = absl::StrCat("snapshot of ", part.file->source);
  absl::Status begun = RunRaw(part.source, "BEGIN", context);
  if (!begun.ok()) return begun;
  return RunRaw(part.source, "SELECT count(*) FROM sqlite_schema", context);
}

absl::Status CopyFromRead(SnapshotPart& part) {
  const std::string context = absl::StrCat("snapshot of ", part.file->source);
  sqlite3_backup* backup = sqlite3_backup_init(part.copy, "main", part.source, "main");
  if (backup == nullptr) return SqliteError(part.copy, sqlite3_errcode(part.copy), context);
  // All pages in one step: the source's open read transaction is what is
  // copied, whatever is committed meanwhile.
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE) return SqliteError(nullptr, stepped, context);
  if (finished != SQLITE_OK) return SqliteError(part.copy, finished, context);
  // The copy took the source's WAL flag with its first page; a backup is
  // one file, with no -wal beside it.
  return RunRaw(part.copy, "PRAGMA journal_mode=DELETE", context);
}

}  // namespace

absl::Status SnapshotSqliteDatabases(const std::vector<SqliteSnapshotFile>& files) {
  if (t_write_holds > 0) {
    return absl::FailedPreconditionError(
        "a snapshot cannot be taken while this thread holds a write: it would wait for itself");
  }
  std::vector<SnapshotPart> parts(files.size());
  const auto fail = [&parts](absl::Status status) {
    for (SnapshotPart& part : parts) {
      if (part.copy != nullptr) sqlite3_close(part.copy);
      part.copy = nullptr;
      std::error_code ignored;
      if (part.copy_created) std::filesystem::remove(part.file->copy, ignored);
    }
    return status;
  };
  for (size_t i = 0; i < files.size(); ++i) {
    SnapshotPart& part = parts[i];
    part.file = &files[i];
    std::error_code ec;
    if (!std::filesystem::is_regular_file(part.file->source, ec)) {
      return fail(absl::NotFoundError(absl::StrCat("no database file ", part.file->source)));
    }
    if (std::filesystem::exists(part.file->copy, ec)) {
      return fail(absl::AlreadyExistsError(
          absl::StrCat("the snapshot's copy ", part.file->copy, " already exists")));
    }
    // Read-write (never created): a read-only connection to a WAL database
    // may be refused when the -shm file is missing.
    int rc = sqlite3_open_v2(part.file->source.c_str(), &part.source,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      return fail(SqliteError(part.source, rc, absl::StrCat("cannot open ", part.file->source)));
    }
    sqlite3_busy_timeout(part.source, 5000);
    rc = sqlite3_open_v2(part.file->copy.c_str(), &part.copy,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    part.copy_created = true;
    if (rc != SQLITE_OK) {
      return fail(SqliteError(part.copy, rc, absl::StrCat("cannot create ", part.file->copy)));
    }
  }
  {
    // The moment: no write is in progress in this process, and none starts
    // until every source has its read transaction open.
    Barrier& b = WriteBarrier();
    {
      absl::MutexLock lock(&b.mu);
      ++b.snapshots_waiting;
      b.mu.Await(absl::Condition(&b, &Barrier::Quiet));
      --b.snapshots_waiting;
      b.opening_reads = true;
    }
    t_snapshotting = true;
    absl::Status started = absl::OkStatus();
    for (SnapshotPart& part : parts) {
      started = StartRead(part);
      if (!started.ok()) break;
    }
    t_snapshotting = false;
    {
      absl::MutexLock lock(&b.mu);
      b.opening_reads = false;
    }
    if (!started.ok()) return fail(started);
  }
  for (SnapshotPart& part : parts) {
    absl::Status copied = CopyFromRead(part);
    if (!copied.ok()) return fail(copied);
    const int rc = sqlite3_close(part.copy);
    part.copy = nullptr;
    if (rc != SQLITE_OK) {
      return fail(SqliteError(nullptr, rc, absl::StrCat("cannot close ", part.file->copy)));
    }
    RestrictToOwner(part.file->copy);
  }
  return absl::OkStatus();
}

absl::Status MigrateSchema(SqliteDb& db, absl::string_view store,
                           const std::vector<absl::string_view>& migrations) {
  absl::StatusOr<int> version = db.UserVersion();
  if (!version.ok()) return version.status();
  const int known = static_cast<int>(migrations.size());
  if (*version > known) {
    return absl::FailedPreconditionError(
        absl::StrCat("the ", store, " database has schema version ", *version,
                     "; this build knows up to ", known, ": upgrade carescore"));
  }
  for (int v = *version; v < known; ++v) {
    SqliteTransaction tx(db);
    if (!tx.status().ok()) return tx.status();
    absl::Status applied = db.Exec(migrations[static_cast<size_t>(v)]);
    if (!applied.ok()) return applied;
    absl::Status committed = tx.Commit();
    if (!committed.ok()) return committed;
  }
  return absl::OkStatus();
}

}  // namespace carescore
