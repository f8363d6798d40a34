#include "services/indicators/sqlite_indicator_store.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/error_info.h"
#include "common/proto_time.h"

namespace carescore::indicators {
namespace {

// Every load is kept: `observations` is append-only and a value's revisions
// are its rows, numbered by load. WITHOUT ROWID clusters a value's revisions
// together, which both the latest-revision and the history reads walk.
constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE local_authorities(
  la_code TEXT PRIMARY KEY, ons_code TEXT NOT NULL, name TEXT NOT NULL,
  region TEXT NOT NULL, status INTEGER NOT NULL);
CREATE TABLE indicators(
  code TEXT PRIMARY KEY, position INTEGER NOT NULL, section TEXT NOT NULL,
  title TEXT NOT NULL, body BLOB NOT NULL);
CREATE TABLE targets(
  indicator_code TEXT NOT NULL, financial_year TEXT NOT NULL, la_code TEXT NOT NULL,
  kind INTEGER NOT NULL, red_threshold REAL, green_threshold REAL,
  range_low REAL, range_high REAL, range_tolerance_pct REAL,
  PRIMARY KEY(indicator_code, financial_year, la_code));
CREATE TABLE milestones(
  indicator_code TEXT NOT NULL, la_code TEXT NOT NULL, month TEXT NOT NULL,
  target_value REAL NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY(indicator_code, la_code, month));
CREATE TABLE loads(
  load_id INTEGER PRIMARY KEY, recorded_at_us INTEGER NOT NULL,
  source TEXT NOT NULL, row_count INTEGER NOT NULL);
CREATE TABLE observations(
  la_code TEXT NOT NULL, indicator_code TEXT NOT NULL, kind INTEGER NOT NULL,
  period TEXT NOT NULL, load_id INTEGER NOT NULL,
  value REAL, numerator REAL, denominator REAL,
  PRIMARY KEY(la_code, indicator_code, kind, period, load_id)) WITHOUT ROWID;
CREATE INDEX observations_by_indicator
  ON observations(indicator_code, kind, period, la_code, load_id);
CREATE TABLE data_versions(la_code TEXT PRIMARY KEY, version INTEGER NOT NULL);
PRAGMA user_version = 1;
)sql";

// Scorecards depend on the catalogue, targets and milestones as well as on
// values, so writes to those raise every LA's data version.
constexpr absl::string_view kSchemaV2 = R"sql(
CREATE TABLE catalogue_version(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO catalogue_version VALUES (1, 0);
PRAGMA user_version = 2;
)sql";

constexpr absl::string_view kBumpCatalogue =
    "UPDATE catalogue_version SET version = version + 1 WHERE id = 1";

v1::PeriodKind KindOf(const v1::ValueInput& in) {
  return in.period_case() == v1::ValueInput::kFinancialYear ? v1::PERIOD_KIND_FINANCIAL_YEAR
                                                            : v1::PERIOD_KIND_MONTH;
}

absl::string_view PeriodOf(const v1::ValueInput& in) {
  return in.period_case() == v1::ValueInput::kFinancialYear ? in.financial_year() : in.month();
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

// Columns: la_code, indicator_code, kind, period, load_id, value, numerator,
// denominator, recorded_at_us, source, revision.
constexpr absl::string_view kValueColumns =
    "o.la_code, o.indicator_code, o.kind, o.period, o.load_id, o.value, o.numerator, "
    "o.denominator, l.recorded_at_us, l.source, "
    "(SELECT count(*) FROM observations r WHERE r.la_code = o.la_code AND "
    "r.indicator_code = o.indicator_code AND r.kind = o.kind AND r.period = o.period AND "
    "r.load_id <= o.load_id)";

v1::Value ReadValue(const SqliteStatement& s) {
  v1::Value v;
  v.set_la_code(s.ColumnText(0));
  v.set_indicator_code(s.ColumnText(1));
  if (s.ColumnInt(2) == v1::PERIOD_KIND_FINANCIAL_YEAR) {
    v.set_financial_year(s.ColumnText(3));
  } else {
    v.set_month(s.ColumnText(3));
  }
  v.set_load_id(s.ColumnInt(4));
  if (!s.ColumnIsNull(5)) v.set_value(s.ColumnDouble(5));
  if (!s.ColumnIsNull(6)) v.set_numerator(s.ColumnDouble(6));
  if (!s.ColumnIsNull(7)) v.set_denominator(s.ColumnDouble(7));
  const int64_t us = s.ColumnInt(8);
  *v.mutable_recorded_at() = ProtoFromMicros(us);
  v.set_source(s.ColumnText(9));
  v.set_revision(static_cast<int32_t>(s.ColumnInt(10)));
  return v;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> SqliteIndicatorStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  auto store = std::unique_ptr<SqliteIndicatorStore>(new SqliteIndicatorStore(*std::move(db)));
  absl::MutexLock lock(&store->mu_);
  absl::Status migrated = store->Migrate();
  if (!migrated.ok()) return migrated;
  return store;
}

absl::Status SqliteIndicatorStore::Migrate() {
  absl::Status migrated = MigrateSchema(*db_, "indicator", {kSchemaV1, kSchemaV2});
  if (!migrated.ok()) return migrated;
  absl::StatusOr<SqliteStatement> last =
      db_->Prepare("SELECT coalesce(max(recorded_at_us), 0) FROM loads");
  if (!last.ok()) return last.status();
  absl::StatusOr<int64_t> last_us = last->SingleInt();
  if (!last_us.ok()) return last_us.status();
  last_recorded_us_ = *last_us;
  return absl::OkStatus();
}

absl::Status SqliteIndicatorStore::UpsertLocalAuthorities(
    const std::vector<v1::LocalAuthority>& las) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT OR REPLACE INTO local_authorities(la_code, ons_code, name, region, status) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.status();
  for (const v1::LocalAuthority& la : las) {
    insert->BindText(1, la.la_code());
    insert->BindText(2, la.ons_code());
    insert->BindText(3, la.name());
    insert->BindText(4, la.region());
    insert->BindInt(5, la.status());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  absl::Status bumped = db_->Exec(kBumpCatalogue);
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

namespace {

constexpr absl::string_view kLaColumns =
    "SELECT la_code, ons_code, name, region, status FROM local_authorities";

v1::LocalAuthority ReadLa(const SqliteStatement& s) {
  v1::LocalAuthority la;
  la.set_la_code(s.ColumnText(0));
  la.set_ons_code(s.ColumnText(1));
  la.set_name(s.ColumnText(2));
  la.set_region(s.ColumnText(3));
  la.set_status(static_cast<v1::LaStatus>(s.ColumnInt(4)));
  return la;
}

}  // namespace

absl::StatusOr<std::vector<v1::LocalAuthority>> SqliteIndicatorStore::ListLocalAuthorities() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(absl::StrCat(kLaColumns, " ORDER BY la_code"));
  if (!q.ok()) return q.status();
  return q->Collect<v1::LocalAuthority>(ReadLa);
}

absl::StatusOr<v1::LocalAuthority> SqliteIndicatorStore::GetLocalAuthority(
    absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(absl::StrCat(kLaColumns, " WHERE la_code = ?1"));
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  absl::StatusOr<std::vector<v1::LocalAuthority>> found = q->Collect<v1::LocalAuthority>(ReadLa);
  if (!found.ok()) return found.status();
  if (found->empty()) return LaNotFound(la_code);
  return std::move(found->front());
}

absl::Status SqliteIndicatorStore::UpsertIndicators(const std::vector<v1::Indicator>& indicators) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  // A replaced entry keeps its place; a new one goes to the end.
  absl::StatusOr<SqliteStatement> upsert = db_->Prepare(
      "INSERT INTO indicators(code, position, section, title, body) VALUES "
      "(?1, (SELECT coalesce(max(position), 0) + 1 FROM indicators), ?2, ?3, ?4) "
      "ON CONFLICT(code) DO UPDATE SET section = excluded.section, title = excluded.title, "
      "body = excluded.body");
  if (!upsert.ok()) return upsert.status();
  for (const v1::Indicator& indicator : indicators) {
    const std::string body = indicator.SerializeAsString();
    upsert->BindText(1, indicator.code());
    upsert->BindText(2, indicator.section());
    upsert->BindText(3, indicator.title());
    upsert->BindBlob(4, body);
    absl::Status s = upsert->Run();
    if (!s.ok()) return s;
    upsert->Reset();
  }
  absl::Status bumped = db_->Exec(kBumpCatalogue);
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

absl::StatusOr<std::vector<v1::Indicator>> SqliteIndicatorStore::ListIndicators() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare("SELECT body FROM indicators ORDER BY position");
  if (!q.ok()) return q.status();
  return q->CollectMessages<v1::Indicator>(0, "indicator record");
}

absl::Status SqliteIndicatorStore::UpsertTargets(const std::vector<v1::Target>& targets) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT OR REPLACE INTO targets(indicator_code, financial_year, la_code, kind, "
      "red_threshold, green_threshold, range_low, range_high, range_tolerance_pct) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert.ok()) return insert.status();
  for (const v1::Target& t : targets) {
    insert->BindText(1, t.indicator_code());
    insert->BindText(2, t.financial_year());
    insert->BindText(3, t.la_code());
    insert->BindInt(4, t.kind());
    insert->BindOptionalDouble(5, t.has_red_threshold(), t.red_threshold());
    insert->BindOptionalDouble(6, t.has_green_threshold(), t.green_threshold());
    insert->BindOptionalDouble(7, t.has_range_low(), t.range_low());
    insert->BindOptionalDouble(8, t.has_range_high(), t.range_high());
    insert->BindOptionalDouble(9, t.has_range_tolerance_pct(), t.range_tolerance_pct());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  absl::Status bumped = db_->Exec(kBumpCatalogue);
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

absl::StatusOr<std::vector<v1::Target>> SqliteIndicatorStore::ListTargets(
    const TargetFilter& filter) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT indicator_code, financial_year, la_code, kind, red_threshold, green_threshold, "
      "range_low, range_high, range_tolerance_pct FROM targets "
      "WHERE (?1 = '' OR indicator_code = ?1) AND (?2 = '' OR financial_year = ?2) "
      "AND (?3 = '' OR la_code = ?3) ORDER BY indicator_code, financial_year, la_code");
  if (!q.ok()) return q.status();
  q->BindText(1, filter.indicator_code);
  q->BindText(2, filter.financial_year);
  q->BindText(3, filter.la_code);
  return q->Collect<v1::Target>([](const SqliteStatement& s) {
    v1::Target t;
    t.set_indicator_code(s.ColumnText(0));
    t.set_financial_year(s.ColumnText(1));
    t.set_la_code(s.ColumnText(2));
    t.set_kind(static_cast<v1::TargetKind>(s.ColumnInt(3)));
    if (auto v = s.ColumnOptionalDouble(4)) t.set_red_threshold(*v);
    if (auto v = s.ColumnOptionalDouble(5)) t.set_green_threshold(*v);
    if (auto v = s.ColumnOptionalDouble(6)) t.set_range_low(*v);
    if (auto v = s.ColumnOptionalDouble(7)) t.set_range_high(*v);
    if (auto v = s.ColumnOptionalDouble(8)) t.set_range_tolerance_pct(*v);
    return t;
  });
}

absl::Status SqliteIndicatorStore::ReplaceMilestones(absl::string_view indicator_code,
                                                     absl::string_view la_code,
                                                     const std::vector<v1::Milestone>& milestones) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> del =
      db_->Prepare("DELETE FROM milestones WHERE indicator_code = ?1 AND la_code = ?2");
  if (!del.ok()) return del.status();
  del->BindText(1, indicator_code);
  del->BindText(2, la_code);
  absl::Status deleted = del->Run();
  if (!deleted.ok()) return deleted;
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO milestones(indicator_code, la_code, month, target_value, note) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.status();
  for (const v1::Milestone& m : milestones) {
    insert->BindText(1, indicator_code);
    insert->BindText(2, la_code);
    insert->BindText(3, m.month());
    insert->BindDouble(4, m.target_value());
    insert->BindText(5, m.note());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  absl::Status bumped = db_->Exec(kBumpCatalogue);
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

absl::StatusOr<std::vector<v1::Milestone>> SqliteIndicatorStore::ListMilestones(
    absl::string_view indicator_code, absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT indicator_code, la_code, month, target_value, note FROM milestones "
      "WHERE (?1 = '' OR indicator_code = ?1) AND la_code = ?2 ORDER BY indicator_code, month");
  if (!q.ok()) return q.status();
  q->BindText(1, indicator_code);
  q->BindText(2, la_code);
  return q->Collect<v1::Milestone>([](const SqliteStatement& s) {
    v1::Milestone m;
    m.set_indicator_code(s.ColumnText(0));
    m.set_la_code(s.ColumnText(1));
    m.set_month(s.ColumnText(2));
    m.set_target_value(s.ColumnDouble(3));
    m.set_note(s.ColumnText(4));
    return m;
  });
}

absl::StatusOr<LoadReceipt> SqliteIndicatorStore::AppendValues(
    absl::string_view source, const std::vector<v1::ValueInput>& values) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  // Strictly increasing stamps keep "as of" unambiguous even when the clock
  // is coarse or steps back.
  const int64_t recorded_us = std::max(NowMicros(), last_recorded_us_ + 1);
  absl::StatusOr<SqliteStatement> load =
      db_->Prepare("INSERT INTO loads(recorded_at_us, source, row_count) VALUES (?1, ?2, ?3)");
  if (!load.ok()) return load.status();
  load->BindInt(1, recorded_us);
  load->BindText(2, source);
  load->BindInt(3, static_cast<int64_t>(values.size()));
  absl::Status loaded = load->Run();
  if (!loaded.ok()) return loaded;
  const int64_t load_id = db_->LastInsertRowId();

  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO observations(la_code, indicator_code, kind, period, load_id, value, "
      "numerator, denominator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return insert.status();
  std::set<absl::string_view> las;
  for (const v1::ValueInput& v : values) {
    insert->BindTextNoCopy(1, v.la_code());
    insert->BindTextNoCopy(2, v.indicator_code());
    insert->BindInt(3, KindOf(v));
    insert->BindTextNoCopy(4, PeriodOf(v));
    insert->BindInt(5, load_id);
    insert->BindOptionalDouble(6, v.has_value(), v.value());
    insert->BindOptionalDouble(7, v.has_numerator(), v.numerator());
    insert->BindOptionalDouble(8, v.has_denominator(), v.denominator());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
    las.insert(v.la_code());
  }
  absl::StatusOr<SqliteStatement> bump = db_->Prepare(
      "INSERT INTO data_versions(la_code, version) VALUES (?1, 1) "
      "ON CONFLICT(la_code) DO UPDATE SET version = version + 1");
  if (!bump.ok()) return bump.status();
  for (absl::string_view la : las) {
    bump->BindText(1, la);
    absl::Status s = bump->Run();
    if (!s.ok()) return s;
    bump->Reset();
  }
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  last_recorded_us_ = recorded_us;
  return LoadReceipt{load_id, absl::FromUnixMicros(recorded_us),
                     static_cast<int64_t>(values.size())};
}

// ListValues binds its list of indicator codes from here on.
constexpr size_t kFirstCodeParameter = 11;

absl::StatusOr<std::vector<v1::Value>> SqliteIndicatorStore::ListValues(const ValueQuery& query) {
  absl::MutexLock lock(&mu_);
  int64_t max_load = std::numeric_limits<int64_t>::max();
  if (query.as_of.has_value()) {
    absl::StatusOr<SqliteStatement> q =
        db_->Prepare("SELECT coalesce(max(load_id), 0) FROM loads WHERE recorded_at_us <= ?1");
    if (!q.ok()) return q.status();
    q->BindInt(1, absl::ToUnixMicros(*query.as_of));
    absl::StatusOr<int64_t> load = q->SingleInt();
    if (!load.ok()) return load.status();
    max_load = *load;
  }
  // Every revision up to `max_load` of each matching value, in key order
  // and oldest first within a key (the primary key's order, so no sort):
  // the last row of each key is its latest revision, and its place in the
  // key is its revision number. Cheaper than asking SQLite for the latest
  // per key, which costs two correlated lookups a row. Only the filters in
  // use go into the SQL, so the planner can pick the index that fits (one
  // LA, or indicators across every LA).
  // For one LA the kind is tested as an expression ("+o.kind"): as an
  // index term, SQLite sorts the LA's rows again rather than read them in
  // key order.
  // The figures alone need no join with the loads.
  std::string sql = absl::StrCat(
      "SELECT o.la_code, o.indicator_code, o.period, o.load_id, o.value, o.numerator, "
      "o.denominator",
      query.figures_only ? " FROM observations o WHERE "
                         : ", l.recorded_at_us, l.source FROM observations o "
                           "JOIN loads l ON l.load_id = o.load_id WHERE ",
      query.la_code.empty() ? "o.kind" : "+o.kind", " = ?1 AND o.load_id <= ?2");
  if (!query.la_code.empty()) absl::StrAppend(&sql, " AND o.la_code = ?3");
  if (!query.indicator_code.empty()) absl::StrAppend(&sql, " AND o.indicator_code = ?4");
  if (!query.indicator_codes.empty()) {
    absl::StrAppend(&sql, " AND o.indicator_code IN (");
    for (size_t i = 0; i < query.indicator_codes.size(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "" : ", ", "?", kFirstCodeParameter + i);
    }
    absl::StrAppend(&sql, ")");
  }
  if (!query.from_period.empty()) absl::StrAppend(&sql, " AND o.period >= ?5");
  if (!query.to_period.empty()) absl::StrAppend(&sql, " AND o.period <= ?6");
  if (query.after.has_value()) {
    absl::StrAppend(&sql, " AND (o.la_code, o.indicator_code, o.period) > (?7, ?8, ?9)");
  }
  absl::StrAppend(&sql, " ORDER BY o.la_code, o.indicator_code, o.kind, o.period, o.load_id");
  absl::StatusOr<SqliteStatement> q = db_->Prepare(sql);
  if (!q.ok()) return q.status();
  q->BindInt(1, query.kind);
  q->BindInt(2, max_load);
  if (!query.la_code.empty()) q->BindText(3, query.la_code);
  if (!query.indicator_code.empty()) q->BindText(4, query.indicator_code);
  if (!query.from_period.empty()) q->BindText(5, query.from_period);
  if (!query.to_period.empty()) q->BindText(6, query.to_period);
  if (query.after.has_value()) {
    q->BindText(7, query.after->la_code);
    q->BindText(8, query.after->indicator_code);
    q->BindText(9, query.after->period);
  }
  for (size_t i = 0; i < query.indicator_codes.size(); ++i) {
    q->BindText(static_cast<int>(kFirstCodeParameter + i), query.indicator_codes[i]);
  }

  std::vector<v1::Value> out;
  // The key being read, and its latest row so far.
  std::string la;
  std::string code;
  std::string period;
  v1::Value latest;
  int revisions = 0;
  auto finish_key = [&]() {
    if (revisions == 0) return;
    latest.set_revision(revisions);
    if (query.include_missing || latest.has_value()) out.push_back(std::move(latest));
    latest.Clear();
    revisions = 0;
  };
  while (static_cast<int>(out.size()) < query.limit) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const absl::string_view row_la = q->ColumnView(0);
    const absl::string_view row_code = q->ColumnView(1);
    const absl::string_view row_period = q->ColumnView(2);
    if (revisions == 0 || row_la != la || row_code != code || row_period != period) {
      finish_key();
      la.assign(row_la.data(), row_la.size());
      code.assign(row_code.data(), row_code.size());
      period.assign(row_period.data(), row_period.size());
      // The key once per key; later revisions change only the rest.
      latest.set_la_code(la);
      latest.set_indicator_code(code);
      if (query.kind == v1::PERIOD_KIND_FINANCIAL_YEAR) {
        latest.set_financial_year(period);
      } else {
        latest.set_month(period);
      }
    }
    ++revisions;
    latest.clear_value();
    latest.clear_numerator();
    latest.clear_denominator();
    if (!q->ColumnIsNull(4)) latest.set_value(q->ColumnDouble(4));
    if (!q->ColumnIsNull(5)) latest.set_numerator(q->ColumnDouble(5));
    if (!q->ColumnIsNull(6)) latest.set_denominator(q->ColumnDouble(6));
    if (!query.figures_only) {
      latest.set_load_id(q->ColumnInt(3));
      const int64_t us = q->ColumnInt(7);
      *latest.mutable_recorded_at() = ProtoFromMicros(us);
      latest.set_source(std::string(q->ColumnView(8)));
    }
  }
  if (static_cast<int>(out.size()) < query.limit) finish_key();
  return out;
}

absl::StatusOr<std::vector<v1::Value>> SqliteIndicatorStore::ValueHistory(const ValueKey& key) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(absl::StrCat(
      "SELECT ", kValueColumns,
      " FROM observations o JOIN loads l ON l.load_id = o.load_id WHERE o.la_code = ?1 AND "
      "o.indicator_code = ?2 AND o.kind = ?3 AND o.period = ?4 ORDER BY o.load_id"));
  if (!q.ok()) return q.status();
  q->BindText(1, key.la_code);
  q->BindText(2, key.indicator_code);
  q->BindInt(3, key.kind);
  q->BindText(4, key.period);
  return q->Collect<v1::Value>(ReadValue);
}

absl::StatusOr<int64_t> SqliteIndicatorStore::DataVersion(absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT EXISTS(SELECT 1 FROM local_authorities WHERE la_code = ?1), "
      "coalesce((SELECT version FROM data_versions WHERE la_code = ?1), 0) + "
      "(SELECT version FROM catalogue_version WHERE id = 1)");
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (q->ColumnInt(0) == 0) return LaNotFound(la_code);
  return q->ColumnInt(1);
}

absl::StatusOr<int64_t> SqliteIndicatorStore::CatalogueVersion() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q =
      db_->Prepare("SELECT version FROM catalogue_version WHERE id = 1");
  if (!q.ok()) return q.status();
  return q->SingleInt();
}

absl::StatusOr<int> SqliteIndicatorStore::LasWithValues() {
  absl::MutexLock lock(&mu_);
  // An LA has a row once a load has touched it.
  absl::StatusOr<SqliteStatement> q = db_->Prepare("SELECT count(*) FROM data_versions");
  if (!q.ok()) return q.status();
  absl::StatusOr<int64_t> count = q->SingleInt();
  if (!count.ok()) return count.status();
  return static_cast<int>(*count);
}

absl::StatusOr<int64_t> SqliteIndicatorStore::AllDataVersion() {
  absl::MutexLock lock(&mu_);
  // Every write adds one to one LA's row or to the catalogue's, so the sum
  // rises with each.
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT coalesce((SELECT sum(version) FROM data_versions), 0) + "
      "(SELECT version FROM catalogue_version WHERE id = 1)");
  if (!q.ok()) return q.status();
  return q->SingleInt();
}

}  // namespace carescore::indicators
