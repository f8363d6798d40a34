#include "common/auth/pg_audit_log.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carescore::auth {
namespace {

// SQLite's table and index, column for column.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE audit_log(
  seq BIGINT PRIMARY KEY, at_us BIGINT NOT NULL, subject TEXT NOT NULL, roles TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL, method TEXT NOT NULL, la_codes TEXT NOT NULL,
  resource TEXT NOT NULL, result TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_subject ON audit_log(subject, seq);
)sql";

// The advisory lock that makes appends from every replica take turns. It is
// per database, like the chain's table, and differs from MigratePgSchema's
// lock so a migration elsewhere does not hold up the log.
constexpr int64_t kChainLock = 7405734302;

// Verify reads this many entries per statement, so a long log is never
// held in memory whole.
constexpr int kVerifyPage = 10000;

constexpr absl::string_view kColumns =
    "SELECT seq, at_us, subject, roles, on_behalf_of, method, la_codes, resource, result, "
    "prev_hash, hash FROM audit_log";

AuditEntry ReadEntry(const PgResult& rows, int r) {
  AuditEntry e;
  e.seq = rows.Int(r, 0);
  e.at = absl::FromUnixMicros(rows.Int(r, 1));
  e.subject = std::string(rows.Text(r, 2));
  e.roles = std::string(rows.Text(r, 3));
  e.on_behalf_of = std::string(rows.Text(r, 4));
  e.method = std::string(rows.Text(r, 5));
  e.la_codes = std::string(rows.Text(r, 6));
  e.resource = std::string(rows.Text(r, 7));
  e.result = std::string(rows.Text(r, 8));
  e.prev_hash = std::string(rows.Text(r, 9));
  e.hash = std::string(rows.Text(r, 10));
  return e;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgAuditLog>> PgAuditLog::Open(const std::string& url,
                                                             int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "audit", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "audit", {kPgSchemaV1});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgAuditLog>(new PgAuditLog(*std::move(pool)));
}

absl::Status PgAuditLog::Append(AuditEntry entry) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  // Its own statement: under READ COMMITTED the next statement's snapshot is
  // taken after the lock is held, so it sees the previous holder's entry.
  absl::StatusOr<PgResult> locked =
      (*conn)->Exec("SELECT pg_advisory_xact_lock($1)", {PgParam::Int(kChainLock)});
  if (!locked.ok()) return locked.status();
  absl::StatusOr<PgResult> last =
      (*conn)->Exec("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!last.ok()) return last.status();
  entry.seq = last->rows() > 0 ? last->Int(0, 0) + 1 : 1;
  entry.prev_hash = last->rows() > 0 ? std::string(last->Text(0, 1)) : "";
  entry.hash = AuditHash(entry, entry.prev_hash);
  absl::StatusOr<PgResult> inserted = (*conn)->Exec(
      "INSERT INTO audit_log(seq, at_us, subject, roles, on_behalf_of, method, la_codes, "
      "resource, result, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {PgParam::Int(entry.seq), PgParam::Int(absl::ToUnixMicros(entry.at)),
       PgParam::Text(entry.subject), PgParam::Text(entry.roles), PgParam::Text(entry.on_behalf_of),
       PgParam::Text(entry.method), PgParam::Text(entry.la_codes), PgParam::Text(entry.resource),
       PgParam::Text(entry.result), PgParam::Text(entry.prev_hash), PgParam::Text(entry.hash)});
  if (!inserted.ok()) return inserted.status();
  return tx.Commit();
}

absl::StatusOr<std::vector<AuditEntry>> PgAuditLog::List(const AuditFilter& f) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      absl::StrCat(kColumns,
                   " WHERE seq > $1 AND ($2::text = '' OR subject = $2) AND "
                   "($3::text = '' OR method = $3) AND ($4::text = '' OR "
                   "strpos(',' || la_codes || ',', ',' || $4::text || ',') > 0) AND "
                   "at_us >= $5 AND at_us <= $6 ORDER BY seq LIMIT $7"),
      {PgParam::Int(f.after_seq), PgParam::Text(f.subject), PgParam::Text(f.method),
       PgParam::Text(f.la_code),
       PgParam::Int(f.from == absl::InfinitePast() ? INT64_MIN : absl::ToUnixMicros(f.from)),
       PgParam::Int(f.to == absl::InfiniteFuture() ? INT64_MAX : absl::ToUnixMicros(f.to)),
       // SQLite reads a negative LIMIT as none; PostgreSQL refuses one and
       // reads NULL as none.
       f.limit < 0 ? PgParam::Null() : PgParam::Int(f.limit)});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int r = 0; r < rows->rows(); ++r) out.push_back(ReadEntry(*rows, r));
  return out;
}

absl::StatusOr<AuditVerification> PgAuditLog::Verify() {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::Status snapshot =
      (*conn)->Run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  if (!snapshot.ok()) return snapshot;
  AuditChainCheck chain;
  int64_t after = 0;
  while (chain.intact()) {
    absl::StatusOr<PgResult> rows =
        (*conn)->Exec(absl::StrCat(kColumns, " WHERE seq > $1 ORDER BY seq LIMIT $2"),
                      {PgParam::Int(after), PgParam::Int(kVerifyPage)});
    if (!rows.ok()) return rows.status();
    for (int r = 0; r < rows->rows() && chain.intact(); ++r) {
      const AuditEntry e = ReadEntry(*rows, r);
      chain.Next(e);
      after = e.seq;
    }
    if (rows->rows() < kVerifyPage) break;
  }
  // Read only: committing just ends the snapshot.
  absl::Status ended = tx.Commit();
  if (!ended.ok()) return ended;
  return chain.result();
}

}  // namespace carescore::auth
