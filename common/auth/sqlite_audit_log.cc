#include "common/auth/sqlite_audit_log.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace carescore::auth {
namespace {

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, subject TEXT NOT NULL, roles TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL, method TEXT NOT NULL, la_codes TEXT NOT NULL,
  resource TEXT NOT NULL, result TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_subject ON audit_log(subject, seq);
PRAGMA user_version = 1;
)sql";

constexpr absl::string_view kColumns =
    "SELECT seq, at_us, subject, roles, on_behalf_of, method, la_codes, resource, result, "
    "prev_hash, hash FROM audit_log";

AuditEntry ReadEntry(const SqliteStatement& row) {
  AuditEntry e;
  e.seq = row.ColumnInt(0);
  e.at = absl::FromUnixMicros(row.ColumnInt(1));
  e.subject = row.ColumnText(2);
  e.roles = row.ColumnText(3);
  e.on_behalf_of = row.ColumnText(4);
  e.method = row.ColumnText(5);
  e.la_codes = row.ColumnText(6);
  e.resource = row.ColumnText(7);
  e.result = row.ColumnText(8);
  e.prev_hash = row.ColumnText(9);
  e.hash = row.ColumnText(10);
  return e;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteAuditLog> log(new SqliteAuditLog(*std::move(db)));
  absl::MutexLock lock(&log->mu_);
  absl::Status migrated = MigrateSchema(*log->db_, "audit", {kSchemaV1});
  if (!migrated.ok()) return migrated;
  absl::StatusOr<SqliteStatement> last =
      log->db_->Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last.ok()) return last.status();
  absl::Status read = last->ForEachRow([&log](const SqliteStatement& row) {
    log->last_seq_ = row.ColumnInt(0);
    log->last_hash_ = row.ColumnText(1);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return log;
}

absl::Status SqliteAuditLog::Append(AuditEntry entry) {
  absl::MutexLock lock(&mu_);
  entry.seq = last_seq_ + 1;
  entry.prev_hash = last_hash_;
  entry.hash = AuditHash(entry, last_hash_);
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO audit_log(seq, at_us, subject, roles, on_behalf_of, method, la_codes, "
      "resource, result, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!insert.ok()) return insert.status();
  insert->BindInt(1, entry.seq);
  insert->BindInt(2, absl::ToUnixMicros(entry.at));
  insert->BindText(3, entry.subject);
  insert->BindText(4, entry.roles);
  insert->BindText(5, entry.on_behalf_of);
  insert->BindText(6, entry.method);
  insert->BindText(7, entry.la_codes);
  insert->BindText(8, entry.resource);
  insert->BindText(9, entry.result);
  insert->BindText(10, entry.prev_hash);
  insert->BindText(11, entry.hash);
  absl::Status written = insert->Run();
  if (!written.ok()) return written;
  last_seq_ = entry.seq;
  last_hash_ = entry.hash;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditEntry>> SqliteAuditLog::List(const AuditFilter& f) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(absl::StrCat(
      kColumns,
      " WHERE seq > ?1 AND (?2 = '' OR subject = ?2) AND (?3 = '' OR method = ?3) AND "
      "(?4 = '' OR instr(',' || la_codes || ',', ',' || ?4 || ',') > 0) AND at_us >= ?5 AND "
      "at_us <= ?6 ORDER BY seq LIMIT ?7"));
  if (!q.ok()) return q.status();
  q->BindInt(1, f.after_seq);
  q->BindText(2, f.subject);
  q->BindText(3, f.method);
  q->BindText(4, f.la_code);
  q->BindInt(5, f.from == absl::InfinitePast() ? INT64_MIN : absl::ToUnixMicros(f.from));
  q->BindInt(6, f.to == absl::InfiniteFuture() ? INT64_MAX : absl::ToUnixMicros(f.to));
  q->BindInt(7, f.limit);
  return q->Collect<AuditEntry>(ReadEntry);
}

absl::StatusOr<AuditVerification> SqliteAuditLog::Verify() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(absl::StrCat(kColumns, " ORDER BY seq"));
  if (!q.ok()) return q.status();
  AuditChainCheck chain;
  absl::Status read = q->ForEachRow([&](const SqliteStatement& row) {
    if (chain.intact()) chain.Next(ReadEntry(row));
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return chain.result();
}

}  // namespace carescore::auth
