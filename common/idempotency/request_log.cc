#include "common/idempotency/request_log.h"

#include <sqlite3.h>

#include <utility>

namespace carescore {
namespace {

// `response` is NULL while the request is in progress.
constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE requests(
  method TEXT NOT NULL, request_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
  claimed_at_us INTEGER NOT NULL, response BLOB,
  PRIMARY KEY(method, request_id));
CREATE INDEX requests_by_time ON requests(claimed_at_us);
PRAGMA user_version = 1;
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteRequestLog>> SqliteRequestLog::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  auto log = std::unique_ptr<SqliteRequestLog>(new SqliteRequestLog(*std::move(db)));
  absl::MutexLock lock(&log->mu_);
  absl::Status migrated = MigrateSchema(*log->db_, "requests", {kSchemaV1});
  if (!migrated.ok()) return migrated;
  return log;
}

absl::StatusOr<RequestClaim> SqliteRequestLog::Claim(absl::string_view method,
                                                     absl::string_view request_id,
                                                     absl::string_view fingerprint, absl::Time now,
                                                     absl::Time stale_before) {
  absl::MutexLock lock(&mu_);
  // BEGIN IMMEDIATE: the look and the claim are one step for every process
  // on the file.
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> find = db_->Prepare(
      "SELECT fingerprint, claimed_at_us, response IS NOT NULL, response FROM requests "
      "WHERE method = ?1 AND request_id = ?2");
  if (!find.ok()) return find.status();
  find->BindText(1, method);
  find->BindText(2, request_id);
  absl::StatusOr<bool> row = find->Step();
  if (!row.ok()) return row.status();
  RequestClaim claim;
  if (*row) {
    const bool done = find->ColumnInt(2) != 0;
    const bool stale = !done && find->ColumnInt(1) < absl::ToUnixMicros(stale_before);
    if (!stale) {
      claim.state = done ? RequestClaim::State::kDone : RequestClaim::State::kInProgress;
      claim.fingerprint = find->ColumnText(0);
      if (done) claim.response = std::string(find->ColumnView(3));
      return claim;
    }
  }
  find->Reset();
  absl::StatusOr<SqliteStatement> put = db_->Prepare(
      "INSERT OR REPLACE INTO requests(method, request_id, fingerprint, claimed_at_us, response) "
      "VALUES (?1, ?2, ?3, ?4, NULL)");
  if (!put.ok()) return put.status();
  put->BindText(1, method);
  put->BindText(2, request_id);
  put->BindText(3, fingerprint);
  put->BindInt(4, absl::ToUnixMicros(now));
  if (absl::Status s = put->Run(); !s.ok()) return s;
  if (absl::Status s = tx.Commit(); !s.ok()) return s;
  return claim;
}

absl::Status SqliteRequestLog::Complete(absl::string_view method, absl::string_view request_id,
                                        absl::string_view response) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q =
      db_->Prepare("UPDATE requests SET response = ?3 WHERE method = ?1 AND request_id = ?2");
  if (!q.ok()) return q.status();
  q->BindText(1, method);
  q->BindText(2, request_id);
  q->BindBlob(3, response);
  return q->Run();
}

absl::Status SqliteRequestLog::Release(absl::string_view method, absl::string_view request_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "DELETE FROM requests WHERE method = ?1 AND request_id = ?2 AND response IS NULL");
  if (!q.ok()) return q.status();
  q->BindText(1, method);
  q->BindText(2, request_id);
  return q->Run();
}

absl::StatusOr<int64_t> SqliteRequestLog::Expire(absl::Time before) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare("DELETE FROM requests WHERE claimed_at_us < ?1");
  if (!q.ok()) return q.status();
  q->BindInt(1, absl::ToUnixMicros(before));
  if (absl::Status s = q->Run(); !s.ok()) return s;
  return static_cast<int64_t>(sqlite3_changes(db_->raw()));
}

}  // namespace carescore
