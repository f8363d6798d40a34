#include "services/escalations/pg_escalation_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {
namespace {

// sqlite_escalation_store.cc's schema, column for column, so a SQLite
// folder copies across table by table. COLLATE "C": ids, dates and the
// paging key order bytewise, as SQLite's BINARY collation does, whatever
// the database's locale.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE escalations(
  seq BIGINT PRIMARY KEY, id TEXT COLLATE "C" NOT NULL UNIQUE, la_code TEXT COLLATE "C" NOT NULL,
  status BIGINT NOT NULL, stage BIGINT NOT NULL, team TEXT COLLATE "C" NOT NULL,
  iro_id TEXT COLLATE "C" NOT NULL, themes TEXT COLLATE "C" NOT NULL,
  raised_at_us BIGINT NOT NULL, transitions BIGINT NOT NULL, body BYTEA NOT NULL);
CREATE INDEX escalations_by_la ON escalations(la_code, raised_at_us);
CREATE TABLE audits(
  seq BIGINT PRIMARY KEY, id TEXT COLLATE "C" NOT NULL UNIQUE, la_code TEXT COLLATE "C" NOT NULL,
  review_date TEXT COLLATE "C" NOT NULL, body BYTEA NOT NULL);
CREATE INDEX audits_by_la ON audits(la_code, review_date);
CREATE TABLE closures(
  la_code TEXT COLLATE "C" NOT NULL, day TEXT COLLATE "C" NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY(la_code, day));
CREATE TABLE access_log(
  seq BIGINT PRIMARY KEY, at_us BIGINT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, subject TEXT NOT NULL);
)sql";

std::string ThemesColumn(const v1::Escalation& e) {
  return absl::StrCat("|", absl::StrJoin(e.themes(), "|"), "|");
}

// $1..$10 of the INSERT and UPDATE below.
std::vector<PgParam> EscalationParams(const v1::Escalation& e) {
  return {PgParam::Text(e.id()),
          PgParam::Text(e.la_code()),
          PgParam::Int(e.status()),
          PgParam::Int(e.stage()),
          PgParam::Text(e.team()),
          PgParam::Text(e.iro_id()),
          PgParam::Text(ThemesColumn(e)),
          PgParam::Int(MicrosFromProto(e.raised_at())),
          PgParam::Int(e.transitions_size()),
          PgParam::Bytes(e.SerializeAsString())};
}

// The next seq of `table` (max + 1, as SQLite numbers it). The advisory
// lock, keyed by the table's oid, holds every other replica's numbering of
// the same table until this transaction ends; the SELECT after it is a new
// statement, so under READ COMMITTED it sees the previous holder's row.
absl::StatusOr<int64_t> NextSeq(PgConn& conn, absl::string_view table) {
  absl::Status locked = conn.Run(
      absl::StrCat("SELECT pg_advisory_xact_lock('", table, "'::regclass::oid::integer, 0)"));
  if (!locked.ok()) return locked;
  absl::StatusOr<PgResult> next =
      conn.Exec(absl::StrCat("SELECT coalesce(max(seq), 0) + 1 FROM ", table));
  if (!next.ok()) return next.status();
  return next->Int(0, 0);
}

// Inside the caller's transaction.
absl::StatusOr<v1::Escalation> InsertEscalation(PgConn& conn, v1::Escalation e) {
  absl::StatusOr<int64_t> seq = NextSeq(conn, "escalations");
  if (!seq.ok()) return seq.status();
  e.set_id(absl::StrFormat("ESC-%06d", *seq));
  std::vector<PgParam> params = EscalationParams(e);
  params.push_back(PgParam::Int(*seq));
  absl::StatusOr<PgResult> inserted = conn.Exec(
      "INSERT INTO escalations(id, la_code, status, stage, team, iro_id, themes, raised_at_us, "
      "transitions, body, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      params);
  if (!inserted.ok()) return inserted.status();
  return e;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ParseBodies(const PgResult& rows, absl::string_view what) {
  std::vector<Message> out;
  out.reserve(static_cast<size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    Message m;
    if (!m.ParseFromString(rows.Bytes(row, 0))) {
      return absl::DataLossError(absl::StrCat("a stored ", what, " cannot be read"));
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgEscalationStore>> PgEscalationStore::Open(const std::string& url,
                                                                           int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "escalations", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "escalations", {kPgSchemaV1});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgEscalationStore>(new PgEscalationStore(*std::move(pool)));
}

absl::StatusOr<v1::Escalation> PgEscalationStore::Insert(v1::Escalation escalation) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<v1::Escalation> inserted = InsertEscalation(**conn, std::move(escalation));
  if (!inserted.ok()) return inserted.status();
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  return inserted;
}

absl::Status PgEscalationStore::Update(const v1::Escalation& e, int expected_transitions) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  std::vector<PgParam> params = EscalationParams(e);
  params.push_back(PgParam::Int(expected_transitions));
  // One statement, so its own transaction. A concurrent writer's UPDATE of
  // the row makes this one wait, then re-check the WHERE on the row it
  // committed: the second of two updates from the same count touches none.
  absl::StatusOr<PgResult> updated = (*conn)->Exec(
      "UPDATE escalations SET la_code = $2, status = $3, stage = $4, team = $5, iro_id = $6, "
      "themes = $7, raised_at_us = $8, transitions = $9, body = $10 "
      "WHERE id = $1 AND transitions = $11",
      params);
  if (!updated.ok()) return updated.status();
  if (updated->affected() == 0) {
    return absl::AbortedError(
        absl::StrCat("escalation ", e.id(), " was changed by someone else meanwhile: try again"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Escalation>> PgEscalationStore::Find(absl::string_view id) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Exec("SELECT body FROM escalations WHERE id = $1", {PgParam::Text(id)});
  if (!rows.ok()) return rows.status();
  absl::StatusOr<std::vector<v1::Escalation>> found =
      ParseBodies<v1::Escalation>(*rows, "escalation");
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<v1::Escalation>();
  return std::optional<v1::Escalation>(std::move(found->front()));
}

absl::StatusOr<std::vector<v1::Escalation>> PgEscalationStore::List(const EscalationFilter& f) {
  std::string sql = "SELECT body FROM escalations WHERE true";
  std::vector<PgParam> params;
  auto next = [&params](PgParam p) {
    params.push_back(std::move(p));
    return absl::StrCat("$", params.size());
  };
  if (!f.la_code.empty()) absl::StrAppend(&sql, " AND la_code = ", next(PgParam::Text(f.la_code)));
  if (f.status != v1::ESCALATION_STATUS_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND status = ", next(PgParam::Int(f.status)));
  }
  if (f.stage > 0) absl::StrAppend(&sql, " AND stage = ", next(PgParam::Int(f.stage)));
  if (!f.team.empty()) absl::StrAppend(&sql, " AND team = ", next(PgParam::Text(f.team)));
  // The whole "|theme|" as a substring: SQLite's LIKE would also let '_'
  // match any character and ignore ASCII case, which a theme name (checked
  // against the ladder by the service) never relies on.
  if (!f.theme.empty()) {
    absl::StrAppend(&sql, " AND strpos(themes, ",
                    next(PgParam::Text(absl::StrCat("|", f.theme, "|"))), ") > 0");
  }
  if (!f.iro_id.empty()) absl::StrAppend(&sql, " AND iro_id = ", next(PgParam::Text(f.iro_id)));
  if (f.raised_from) {
    absl::StrAppend(
        &sql, " AND raised_at_us >= ", next(PgParam::Int(absl::ToUnixMicros(*f.raised_from))));
  }
  if (f.raised_to) {
    absl::StrAppend(&sql, " AND raised_at_us < ",
                    next(PgParam::Int(absl::ToUnixMicros(*f.raised_to))));
  }
  if (f.after) {
    const std::string at = next(PgParam::Int(absl::ToUnixMicros(f.after->first)));
    absl::StrAppend(&sql, " AND (raised_at_us, id) > (", at, "::bigint, ",
                    next(PgParam::Text(f.after->second)), "::text)");
  }
  absl::StrAppend(&sql, " ORDER BY raised_at_us, id");
  if (f.limit > 0) absl::StrAppend(&sql, " LIMIT ", next(PgParam::Int(f.limit)));
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(sql, params);
  if (!rows.ok()) return rows.status();
  return ParseBodies<v1::Escalation>(*rows, "escalation");
}

absl::StatusOr<std::pair<v1::Audit, std::optional<v1::Escalation>>> PgEscalationStore::InsertAudit(
    v1::Audit audit, std::optional<v1::Escalation> escalation) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  // Audits' numbering lock, then escalations': Insert takes only the
  // second, so no two writers wait on each other in a cycle.
  absl::StatusOr<int64_t> seq = NextSeq(**conn, "audits");
  if (!seq.ok()) return seq.status();
  audit.set_id(absl::StrFormat("QAC-%06d", *seq));
  if (escalation.has_value()) {
    escalation->set_audit_id(audit.id());
    absl::StatusOr<v1::Escalation> inserted = InsertEscalation(**conn, *std::move(escalation));
    if (!inserted.ok()) return inserted.status();
    escalation = *std::move(inserted);
    audit.set_escalation_id(escalation->id());
  }
  absl::StatusOr<PgResult> inserted = (*conn)->Exec(
      "INSERT INTO audits(seq, id, la_code, review_date, body) VALUES ($1, $2, $3, $4, $5)",
      {PgParam::Int(*seq), PgParam::Text(audit.id()), PgParam::Text(audit.la_code()),
       PgParam::Text(audit.review_date()), PgParam::Bytes(audit.SerializeAsString())});
  if (!inserted.ok()) return inserted.status();
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  return std::make_pair(std::move(audit), std::move(escalation));
}

absl::StatusOr<std::vector<v1::Audit>> PgEscalationStore::ListAudits(absl::string_view la_code,
                                                                     absl::CivilDay from,
                                                                     absl::CivilDay to) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      "SELECT body FROM audits WHERE ($1 = '' OR la_code = $1) AND review_date >= $2 AND "
      "review_date <= $3 ORDER BY review_date, seq",
      {PgParam::Text(la_code), PgParam::Text(FormatDate(from)), PgParam::Text(FormatDate(to))});
  if (!rows.ok()) return rows.status();
  return ParseBodies<v1::Audit>(*rows, "audit");
}

absl::Status PgEscalationStore::AddClosures(absl::string_view la_code,
                                            const std::vector<absl::CivilDay>& days,
                                            absl::string_view reason) {
  if (days.empty()) return absl::OkStatus();
  // One statement over an array rather than COPY: a request holds at most
  // a year of days, and a day already closed takes the new reason (SQLite's
  // INSERT OR REPLACE), which COPY cannot do. DISTINCT: a day given twice
  // would otherwise be updated twice by the one statement, which
  // PostgreSQL refuses.
  std::vector<std::string> quoted;
  quoted.reserve(days.size());
  for (absl::CivilDay day : days) quoted.push_back(absl::StrCat("\"", FormatDate(day), "\""));
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> written = (*conn)->Exec(
      "INSERT INTO closures(la_code, day, reason) "
      "SELECT $1::text, day, $3::text FROM (SELECT DISTINCT unnest($2::text[]) AS day) AS days "
      "ON CONFLICT (la_code, day) DO UPDATE SET reason = EXCLUDED.reason",
      {PgParam::Text(la_code), PgParam::Text(absl::StrCat("{", absl::StrJoin(quoted, ","), "}")),
       PgParam::Text(reason)});
  return written.status();
}

absl::StatusOr<std::set<absl::CivilDay>> PgEscalationStore::Closures(absl::string_view la_code) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      "SELECT day FROM closures WHERE la_code = '' OR la_code = $1", {PgParam::Text(la_code)});
  if (!rows.ok()) return rows.status();
  std::set<absl::CivilDay> out;
  for (int row = 0; row < rows->rows(); ++row) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(rows->Text(row, 0), &day)) out.insert(day);
  }
  return out;
}

absl::Status PgEscalationStore::LogAccess(absl::string_view actor, absl::string_view action,
                                          absl::string_view subject) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<int64_t> seq = NextSeq(**conn, "access_log");
  if (!seq.ok()) return seq.status();
  absl::StatusOr<PgResult> inserted = (*conn)->Exec(
      "INSERT INTO access_log(seq, at_us, actor, action, subject) VALUES ($1, $2, $3, $4, $5)",
      {PgParam::Int(*seq), PgParam::Int(absl::ToUnixMicros(absl::Now())), PgParam::Text(actor),
       PgParam::Text(action), PgParam::Text(subject)});
  if (!inserted.ok()) return inserted.status();
  return tx.Commit();
}

absl::StatusOr<std::vector<std::string>> PgEscalationStore::AccessLog(int limit) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // A negative limit means none, as SQLite's LIMIT reads it; PostgreSQL's
  // spelling of none is NULL.
  absl::StatusOr<PgResult> rows =
      (*conn)->Exec("SELECT at_us, actor, action, subject FROM access_log ORDER BY seq LIMIT $1",
                    {limit < 0 ? PgParam::Null() : PgParam::Int(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int row = 0; row < rows->rows(); ++row) {
    out.push_back(
        absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ",
                                      absl::FromUnixMicros(rows->Int(row, 0)), absl::UTCTimeZone()),
                     " ", rows->Text(row, 1), " ", rows->Text(row, 2), " ", rows->Text(row, 3)));
  }
  return out;
}

}  // namespace carescore::escalations
