#include "services/escalations/sqlite_escalation_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/proto_time.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {
namespace {

// Escalations are kept whole (the proto, with their history) beside the
// columns that filters use. `themes` is "|a|b|" so one theme matches with LIKE.
constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE escalations(
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, la_code TEXT NOT NULL,
  status INTEGER NOT NULL, stage INTEGER NOT NULL, team TEXT NOT NULL, iro_id TEXT NOT NULL,
  themes TEXT NOT NULL, raised_at_us INTEGER NOT NULL, transitions INTEGER NOT NULL,
  body BLOB NOT NULL);
CREATE INDEX escalations_by_la ON escalations(la_code, raised_at_us);
CREATE TABLE audits(
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, la_code TEXT NOT NULL,
  review_date TEXT NOT NULL, body BLOB NOT NULL);
CREATE INDEX audits_by_la ON audits(la_code, review_date);
CREATE TABLE closures(
  la_code TEXT NOT NULL, day TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(la_code, day));
CREATE TABLE access_log(
  seq INTEGER PRIMARY KEY, at_us INTEGER NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, subject TEXT NOT NULL);
PRAGMA user_version = 1;
)sql";

std::string ThemesColumn(const v1::Escalation& e) {
  return absl::StrCat("|", absl::StrJoin(e.themes(), "|"), "|");
}

void BindColumns(SqliteStatement& s, const v1::Escalation& e, const std::string& body) {
  s.BindText(1, e.id());
  s.BindText(2, e.la_code());
  s.BindInt(3, e.status());
  s.BindInt(4, e.stage());
  s.BindText(5, e.team());
  s.BindText(6, e.iro_id());
  s.BindText(7, ThemesColumn(e));
  s.BindInt(8, MicrosFromProto(e.raised_at()));
  s.BindInt(9, e.transitions_size());
  s.BindBlob(10, body);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteEscalationStore>> SqliteEscalationStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  auto store = std::unique_ptr<SqliteEscalationStore>(new SqliteEscalationStore(*std::move(db)));
  absl::MutexLock lock(&store->mu_);
  absl::Status migrated = MigrateSchema(*store->db_, "escalations", {kSchemaV1});
  if (!migrated.ok()) return migrated;
  return store;
}

absl::StatusOr<v1::Escalation> SqliteEscalationStore::InsertLocked(v1::Escalation e) {
  absl::StatusOr<SqliteStatement> next =
      db_->Prepare("SELECT coalesce(max(seq), 0) + 1 FROM escalations");
  if (!next.ok()) return next.status();
  absl::StatusOr<int64_t> seq = next->SingleInt();
  if (!seq.ok()) return seq.status();
  e.set_id(absl::StrFormat("ESC-%06d", *seq));
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO escalations(id, la_code, status, stage, team, iro_id, themes, raised_at_us, "
      "transitions, body, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!insert.ok()) return insert.status();
  BindColumns(*insert, e, e.SerializeAsString());
  insert->BindInt(11, *seq);
  absl::Status s = insert->Run();
  if (!s.ok()) return s;
  return e;
}

absl::StatusOr<v1::Escalation> SqliteEscalationStore::Insert(v1::Escalation escalation) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<v1::Escalation> inserted = InsertLocked(std::move(escalation));
  if (!inserted.ok()) return inserted.status();
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  return inserted;
}

absl::Status SqliteEscalationStore::Update(const v1::Escalation& e, int expected_transitions) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> update = db_->Prepare(
      "UPDATE escalations SET la_code = ?2, status = ?3, stage = ?4, team = ?5, iro_id = ?6, "
      "themes = ?7, raised_at_us = ?8, transitions = ?9, body = ?10 "
      "WHERE id = ?1 AND transitions = ?11");
  if (!update.ok()) return update.status();
  BindColumns(*update, e, e.SerializeAsString());
  update->BindInt(11, expected_transitions);
  absl::Status s = update->Run();
  if (!s.ok()) return s;
  if (sqlite3_changes(db_->raw()) == 0) {
    return absl::AbortedError(
        absl::StrCat("escalation ", e.id(), " was changed by someone else meanwhile: try again"));
  }
  return tx.Commit();
}

absl::StatusOr<std::optional<v1::Escalation>> SqliteEscalationStore::Find(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare("SELECT body FROM escalations WHERE id = ?1");
  if (!q.ok()) return q.status();
  q->BindText(1, id);
  absl::StatusOr<std::vector<v1::Escalation>> found =
      q->CollectMessages<v1::Escalation>(0, "escalation");
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<v1::Escalation>();
  return std::optional<v1::Escalation>(std::move(found->front()));
}

absl::StatusOr<std::vector<v1::Escalation>> SqliteEscalationStore::List(const EscalationFilter& f) {
  absl::MutexLock lock(&mu_);
  std::string sql = "SELECT body FROM escalations WHERE 1 = 1";
  if (!f.la_code.empty()) absl::StrAppend(&sql, " AND la_code = ?1");
  if (f.status != v1::ESCALATION_STATUS_UNSPECIFIED) absl::StrAppend(&sql, " AND status = ?2");
  if (f.stage > 0) absl::StrAppend(&sql, " AND stage = ?3");
  if (!f.team.empty()) absl::StrAppend(&sql, " AND team = ?4");
  if (!f.theme.empty()) absl::StrAppend(&sql, " AND themes LIKE ?5");
  if (!f.iro_id.empty()) absl::StrAppend(&sql, " AND iro_id = ?6");
  if (f.raised_from) absl::StrAppend(&sql, " AND raised_at_us >= ?7");
  if (f.raised_to) absl::StrAppend(&sql, " AND raised_at_us < ?8");
  if (f.after) absl::StrAppend(&sql, " AND (raised_at_us, id) > (?9, ?10)");
  absl::StrAppend(&sql, " ORDER BY raised_at_us, id");
  if (f.limit > 0) absl::StrAppend(&sql, " LIMIT ?11");
  absl::StatusOr<SqliteStatement> q = db_->Prepare(sql);
  if (!q.ok()) return q.status();
  if (!f.la_code.empty()) q->BindText(1, f.la_code);
  if (f.status != v1::ESCALATION_STATUS_UNSPECIFIED) q->BindInt(2, f.status);
  if (f.stage > 0) q->BindInt(3, f.stage);
  if (!f.team.empty()) q->BindText(4, f.team);
  if (!f.theme.empty()) q->BindText(5, absl::StrCat("%|", f.theme, "|%"));
  if (!f.iro_id.empty()) q->BindText(6, f.iro_id);
  if (f.raised_from) q->BindInt(7, absl::ToUnixMicros(*f.raised_from));
  if (f.raised_to) q->BindInt(8, absl::ToUnixMicros(*f.raised_to));
  if (f.after) {
    q->BindInt(9, absl::ToUnixMicros(f.after->first));
    q->BindText(10, f.after->second);
  }
  if (f.limit > 0) q->BindInt(11, f.limit);
  return q->CollectMessages<v1::Escalation>(0, "escalation");
}

absl::StatusOr<std::pair<v1::Audit, std::optional<v1::Escalation>>>
SqliteEscalationStore::InsertAudit(v1::Audit audit, std::optional<v1::Escalation> escalation) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> next =
      db_->Prepare("SELECT coalesce(max(seq), 0) + 1 FROM audits");
  if (!next.ok()) return next.status();
  absl::StatusOr<int64_t> seq = next->SingleInt();
  if (!seq.ok()) return seq.status();
  audit.set_id(absl::StrFormat("QAC-%06d", *seq));
  if (escalation.has_value()) {
    escalation->set_audit_id(audit.id());
    absl::StatusOr<v1::Escalation> inserted = InsertLocked(*std::move(escalation));
    if (!inserted.ok()) return inserted.status();
    escalation = *std::move(inserted);
    audit.set_escalation_id(escalation->id());
  }
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO audits(seq, id, la_code, review_date, body) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.status();
  insert->BindInt(1, *seq);
  insert->BindText(2, audit.id());
  insert->BindText(3, audit.la_code());
  insert->BindText(4, audit.review_date());
  insert->BindBlob(5, audit.SerializeAsString());
  absl::Status s = insert->Run();
  if (!s.ok()) return s;
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  return std::make_pair(std::move(audit), std::move(escalation));
}

absl::StatusOr<std::vector<v1::Audit>> SqliteEscalationStore::ListAudits(absl::string_view la_code,
                                                                         absl::CivilDay from,
                                                                         absl::CivilDay to) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT body FROM audits WHERE (?1 = '' OR la_code = ?1) AND review_date >= ?2 AND "
      "review_date <= ?3 ORDER BY review_date, seq");
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  q->BindText(2, FormatDate(from));
  q->BindText(3, FormatDate(to));
  return q->CollectMessages<v1::Audit>(0, "audit");
}

absl::Status SqliteEscalationStore::AddClosures(absl::string_view la_code,
                                                const std::vector<absl::CivilDay>& days,
                                                absl::string_view reason) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> insert =
      db_->Prepare("INSERT OR REPLACE INTO closures(la_code, day, reason) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  for (absl::CivilDay day : days) {
    insert->BindText(1, la_code);
    insert->BindText(2, FormatDate(day));
    insert->BindText(3, reason);
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  return tx.Commit();
}

absl::StatusOr<std::set<absl::CivilDay>> SqliteEscalationStore::Closures(
    absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q =
      db_->Prepare("SELECT day FROM closures WHERE la_code = '' OR la_code = ?1");
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  std::set<absl::CivilDay> out;
  absl::Status read = q->ForEachRow([&out](const SqliteStatement& row) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(row.ColumnText(0), &day)) out.insert(day);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return out;
}

absl::Status SqliteEscalationStore::LogAccess(absl::string_view actor, absl::string_view action,
                                              absl::string_view subject) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> insert =
      db_->Prepare("INSERT INTO access_log(at_us, actor, action, subject) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  insert->BindInt(1, absl::ToUnixMicros(absl::Now()));
  insert->BindText(2, actor);
  insert->BindText(3, action);
  insert->BindText(4, subject);
  return insert->Run();
}

absl::StatusOr<std::vector<std::string>> SqliteEscalationStore::AccessLog(int limit) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q =
      db_->Prepare("SELECT at_us, actor, action, subject FROM access_log ORDER BY seq LIMIT ?1");
  if (!q.ok()) return q.status();
  q->BindInt(1, limit);
  return q->Collect<std::string>([](const SqliteStatement& row) {
    return absl::StrCat(
        absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMicros(row.ColumnInt(0)),
                         absl::UTCTimeZone()),
        " ", row.ColumnText(1), " ", row.ColumnText(2), " ", row.ColumnText(3));
  });
}

}  // namespace carescore::escalations
