#include "common/sqlite_db.h"

#include <sys/stat.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace carescore {

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
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), owner_(other.owner_) {}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  if (owner_ != nullptr) {
    owner_->GiveBack(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
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
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
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

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : kept_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteDb::Exec(absl::string_view sql) {
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

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
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
