#include "common/idempotency/pg_request_log.h"

#include <utility>

namespace carescore {
namespace {

// SQLite's table column for column.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE requests(
  method TEXT COLLATE "C" NOT NULL, request_id TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT NOT NULL, claimed_at_us BIGINT NOT NULL, response BYTEA,
  PRIMARY KEY(method, request_id));
CREATE INDEX requests_by_time ON requests(claimed_at_us);
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<PgRequestLog>> PgRequestLog::Open(const std::string& url,
                                                                 int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "requests", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "requests", {kPgSchemaV1});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgRequestLog>(new PgRequestLog(*std::move(pool)));
}

absl::StatusOr<RequestClaim> PgRequestLog::Claim(absl::string_view method,
                                                 absl::string_view request_id,
                                                 absl::string_view fingerprint, absl::Time now,
                                                 absl::Time stale_before) {
  RequestClaim claim;
  absl::Status done = pool_->InTransaction([&](PgConn& conn) -> absl::Status {
    // One statement claims a new id or takes over a stale claim; the row
    // lock it takes makes replicas racing for one id queue behind each
    // other, and exactly one of them sees a row come back.
    absl::StatusOr<PgResult> claimed = conn.Exec(
        "INSERT INTO requests(method, request_id, fingerprint, claimed_at_us, response) "
        "VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (method, request_id) DO UPDATE SET "
        "fingerprint = EXCLUDED.fingerprint, claimed_at_us = EXCLUDED.claimed_at_us "
        "WHERE requests.response IS NULL AND requests.claimed_at_us < $5 RETURNING 1",
        {PgParam::Text(method), PgParam::Text(request_id), PgParam::Text(fingerprint),
         PgParam::Int(absl::ToUnixMicros(now)), PgParam::Int(absl::ToUnixMicros(stale_before))});
    if (!claimed.ok()) return claimed.status();
    if (claimed->rows() == 1) {
      claim.state = RequestClaim::State::kClaimed;
      return absl::OkStatus();
    }
    absl::StatusOr<PgResult> held = conn.Exec(
        "SELECT fingerprint, response IS NOT NULL, response FROM requests "
        "WHERE method = $1 AND request_id = $2",
        {PgParam::Text(method), PgParam::Text(request_id)});
    if (!held.ok()) return held.status();
    if (held->rows() != 1) {
      return absl::AbortedError("the request log changed under the claim: try again");
    }
    claim.fingerprint = std::string(held->Text(0, 0));
    if (held->Text(0, 1) == "t") {
      claim.state = RequestClaim::State::kDone;
      claim.response = held->Bytes(0, 2);
    } else {
      claim.state = RequestClaim::State::kInProgress;
    }
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return claim;
}

absl::Status PgRequestLog::Complete(absl::string_view method, absl::string_view request_id,
                                    absl::string_view response) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec("UPDATE requests SET response = $3 WHERE method = $1 AND request_id = $2",
             {PgParam::Text(method), PgParam::Text(request_id), PgParam::Bytes(response)})
      .status();
}

absl::Status PgRequestLog::Release(absl::string_view method, absl::string_view request_id) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Exec("DELETE FROM requests WHERE method = $1 AND request_id = $2 AND response IS NULL",
             {PgParam::Text(method), PgParam::Text(request_id)})
      .status();
}

absl::StatusOr<int64_t> PgRequestLog::Expire(absl::Time before) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> gone =
      (*conn)->Exec("DELETE FROM requests WHERE claimed_at_us < $1 RETURNING 1",
                    {PgParam::Int(absl::ToUnixMicros(before))});
  if (!gone.ok()) return gone.status();
  return static_cast<int64_t>(gone->rows());
}

}  // namespace carescore
