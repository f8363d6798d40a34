#include "services/indicators/pg_indicator_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/error_info.h"
#include "common/proto_time.h"
#include "spdlog/spdlog.h"

namespace carescore::indicators {
namespace {

// The SQLite schema column for column (see sqlite_indicator_store.cc), so
// a data folder copies across table by table. Codes and periods collate
// "C": byte order, as SQLite compares them, whatever the database's
// default collation, so both stores list and page in the same order.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE local_authorities(
  la_code TEXT COLLATE "C" PRIMARY KEY, ons_code TEXT NOT NULL, name TEXT NOT NULL,
  region TEXT NOT NULL, status BIGINT NOT NULL);
CREATE TABLE indicators(
  code TEXT COLLATE "C" PRIMARY KEY, position BIGINT NOT NULL, section TEXT NOT NULL,
  title TEXT NOT NULL, body BYTEA NOT NULL);
CREATE TABLE targets(
  indicator_code TEXT COLLATE "C" NOT NULL, financial_year TEXT COLLATE "C" NOT NULL,
  la_code TEXT COLLATE "C" NOT NULL,
  kind BIGINT NOT NULL, red_threshold DOUBLE PRECISION, green_threshold DOUBLE PRECISION,
  range_low DOUBLE PRECISION, range_high DOUBLE PRECISION, range_tolerance_pct DOUBLE PRECISION,
  PRIMARY KEY(indicator_code, financial_year, la_code));
CREATE TABLE milestones(
  indicator_code TEXT COLLATE "C" NOT NULL, la_code TEXT COLLATE "C" NOT NULL,
  month TEXT COLLATE "C" NOT NULL, target_value DOUBLE PRECISION NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY(indicator_code, la_code, month));
CREATE TABLE loads(
  load_id BIGINT PRIMARY KEY, recorded_at_us BIGINT NOT NULL,
  source TEXT NOT NULL, row_count BIGINT NOT NULL);
CREATE TABLE observations(
  la_code TEXT COLLATE "C" NOT NULL, indicator_code TEXT COLLATE "C" NOT NULL,
  kind BIGINT NOT NULL, period TEXT COLLATE "C" NOT NULL, load_id BIGINT NOT NULL,
  value DOUBLE PRECISION, numerator DOUBLE PRECISION, denominator DOUBLE PRECISION,
  PRIMARY KEY(la_code, indicator_code, kind, period, load_id));
CREATE INDEX observations_by_indicator
  ON observations(indicator_code, kind, period, la_code, load_id);
CREATE TABLE data_versions(la_code TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL);
)sql";

constexpr absl::string_view kPgSchemaV2 = R"sql(
CREATE TABLE catalogue_version(id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
INSERT INTO catalogue_version VALUES (1, 0);
)sql";

// Taken first by every catalogue write: the row lock it takes orders those
// writes across replicas, so a new indicator's place (max + 1) is never
// given twice.
constexpr absl::string_view kBumpCatalogue =
    "UPDATE catalogue_version SET version = version + 1 WHERE id = 1";

// Every AppendValues holds this (per database) while it numbers, stamps
// and commits its load. Released at commit, after the load is visible, so
// the next holder reads it.
constexpr absl::string_view kLockLoads = "SELECT pg_advisory_xact_lock(7405734301)";

v1::PeriodKind KindOf(const v1::ValueInput& in) {
  return in.period_case() == v1::ValueInput::kFinancialYear ? v1::PERIOD_KIND_FINANCIAL_YEAR
                                                            : v1::PERIOD_KIND_MONTH;
}

absl::string_view PeriodOf(const v1::ValueInput& in) {
  return in.period_case() == v1::ValueInput::kFinancialYear ? in.financial_year() : in.month();
}

std::optional<std::string> OptionalDoubleText(bool present, double v) {
  if (!present) return std::nullopt;
  return PgDoubleText(v);
}

// A text[] literal ('{"a","b"}'), for "= ANY($n::text[])".
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const std::string& item : items) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('"');
    for (const char c : item) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

// Adds the COPY rows in `data` (the columns `columns` of `table`, then each
// row's place in the call) to `table`, replacing rows with the same `key`.
// Of several rows with one key the last wins, as it does when SQLite runs
// INSERT OR REPLACE row by row (ON CONFLICT refuses to touch a row twice).
absl::Status UpsertByCopy(PgConn& conn, absl::string_view table, absl::string_view columns,
                          absl::string_view key, absl::string_view updates,
                          absl::string_view data) {
  const std::string incoming = absl::StrCat("incoming_", table);
  absl::Status made = conn.Run(absl::StrCat("CREATE TEMP TABLE ", incoming, " (LIKE ", table,
                                            ", ord BIGINT NOT NULL) ON COMMIT DROP"));
  if (!made.ok()) return made;
  absl::Status copied =
      conn.CopyIn(absl::StrCat("COPY ", incoming, "(", columns, ", ord) FROM STDIN"), data);
  if (!copied.ok()) return copied;
  return conn.Run(absl::StrCat("INSERT INTO ", table, "(", columns, ") SELECT DISTINCT ON (", key,
                               ") ", columns, " FROM ", incoming, " ORDER BY ", key,
                               ", ord DESC ON CONFLICT (", key, ") DO UPDATE SET ", updates));
}

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

// After a load that grows `observations` by more than a fifth of what the
// planner last counted (or by this many rows into a table never counted),
// its estimates are refreshed at once rather than at autovacuum's next
// pass, a minute or more later: with stale ones ListValues sorts every
// revision instead of streaming the primary key into its LIMIT (hundreds
// of milliseconds instead of a few, measured on 270k rows).
constexpr int64_t kAnalyzeAfterRows = 1000;

// Refreshes the planner's statistics on `observations` if a load of
// `loaded` rows has outgrown them. Only the key columns are measured, from
// a small sample (the plans ListValues needs depend on row counts and key
// spread, not on the figures), so this costs tens of milliseconds.
absl::Status RefreshStatistics(PgConn& conn, size_t loaded) {
  absl::StatusOr<PgResult> counted =
      conn.Exec("SELECT reltuples::bigint FROM pg_class WHERE oid = 'observations'::regclass");
  if (!counted.ok()) return counted.status();
  const int64_t known = counted->rows() == 1 ? std::max<int64_t>(counted->Int(0, 0), 0) : 0;
  if (static_cast<int64_t>(loaded) < std::max(kAnalyzeAfterRows, known / 5)) {
    return absl::OkStatus();
  }
  PgTransaction tx(conn);
  if (!tx.status().ok()) return tx.status();
  absl::Status analyzed = conn.Run(
      "SET LOCAL default_statistics_target = 10; "
      "ANALYZE observations(la_code, indicator_code, kind, period, load_id)");
  if (!analyzed.ok()) return analyzed;
  return tx.Commit();
}

void SetPeriod(v1::Value& v, int64_t kind, absl::string_view period) {
  if (kind == v1::PERIOD_KIND_FINANCIAL_YEAR) {
    v.set_financial_year(std::string(period));
  } else {
    v.set_month(std::string(period));
  }
}

constexpr absl::string_view kLaColumns =
    "SELECT la_code, ons_code, name, region, status FROM local_authorities";

std::vector<v1::LocalAuthority> ReadLas(const PgResult& r) {
  std::vector<v1::LocalAuthority> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    v1::LocalAuthority& la = out.emplace_back();
    la.set_la_code(std::string(r.Text(i, 0)));
    la.set_ons_code(std::string(r.Text(i, 1)));
    la.set_name(std::string(r.Text(i, 2)));
    la.set_region(std::string(r.Text(i, 3)));
    la.set_status(static_cast<v1::LaStatus>(r.Int(i, 4)));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgIndicatorStore>> PgIndicatorStore::Open(const std::string& url,
                                                                         int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "indicators", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "indicator", {kPgSchemaV1, kPgSchemaV2});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgIndicatorStore>(new PgIndicatorStore(*std::move(pool)));
}

absl::StatusOr<int64_t> PgIndicatorStore::SingleInt(absl::string_view sql) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(sql);
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::InternalError(absl::StrCat("no row from: ", sql));
  return r->Int(0, 0);
}

absl::Status PgIndicatorStore::CatalogueWrite(absl::FunctionRef<absl::Status(PgConn&)> write) {
  return pool_->InTransaction([&](PgConn& conn) -> absl::Status {
    // First: the row lock orders catalogue writes across replicas.
    absl::Status bumped = conn.Run(kBumpCatalogue);
    if (!bumped.ok()) return bumped;
    return write(conn);
  });
}

absl::Status PgIndicatorStore::UpsertLocalAuthorities(const std::vector<v1::LocalAuthority>& las) {
  std::string data;
  int64_t ord = 0;
  for (const v1::LocalAuthority& la : las) {
    PgCopyRow(&data, {la.la_code(), la.ons_code(), la.name(), la.region(),
                      absl::StrCat(static_cast<int>(la.status())), absl::StrCat(ord++)});
  }
  return CatalogueWrite([&](PgConn& conn) -> absl::Status {
    absl::Status upserted = UpsertByCopy(
        conn, "local_authorities", "la_code, ons_code, name, region, status", "la_code",
        "ons_code = excluded.ons_code, name = excluded.name, region = excluded.region, "
        "status = excluded.status",
        data);
    return upserted;
  });
}

absl::StatusOr<std::vector<v1::LocalAuthority>> PgIndicatorStore::ListLocalAuthorities() {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(absl::StrCat(kLaColumns, " ORDER BY la_code"));
  if (!r.ok()) return r.status();
  return ReadLas(*r);
}

absl::StatusOr<v1::LocalAuthority> PgIndicatorStore::GetLocalAuthority(absl::string_view la_code) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r =
      (*conn)->Exec(absl::StrCat(kLaColumns, " WHERE la_code = $1"), {PgParam::Text(la_code)});
  if (!r.ok()) return r.status();
  std::vector<v1::LocalAuthority> found = ReadLas(*r);
  if (found.empty()) return LaNotFound(la_code);
  return std::move(found.front());
}

absl::Status PgIndicatorStore::UpsertIndicators(const std::vector<v1::Indicator>& indicators) {
  return CatalogueWrite([&](PgConn& conn) -> absl::Status {
    // Row by row, so new codes take their places in the order given; the
    // catalogue is a few hundred entries at most.
    for (const v1::Indicator& indicator : indicators) {
      absl::StatusOr<PgResult> r = conn.Exec(
          "INSERT INTO indicators(code, position, section, title, body) VALUES "
          "($1, (SELECT coalesce(max(position), 0) + 1 FROM indicators), $2, $3, $4) "
          "ON CONFLICT (code) DO UPDATE SET section = excluded.section, title = excluded.title, "
          "body = excluded.body",
          {PgParam::Text(indicator.code()), PgParam::Text(indicator.section()),
           PgParam::Text(indicator.title()), PgParam::Bytes(indicator.SerializeAsString())});
      if (!r.ok()) return r.status();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Indicator>> PgIndicatorStore::ListIndicators() {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec("SELECT body FROM indicators ORDER BY position");
  if (!r.ok()) return r.status();
  std::vector<v1::Indicator> out(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    if (!out[static_cast<size_t>(i)].ParseFromString(r->Bytes(i, 0))) {
      return absl::DataLossError("a stored indicator record cannot be read");
    }
  }
  return out;
}

absl::Status PgIndicatorStore::UpsertTargets(const std::vector<v1::Target>& targets) {
  std::string data;
  int64_t ord = 0;
  for (const v1::Target& t : targets) {
    PgCopyRow(&data, {t.indicator_code(), t.financial_year(), t.la_code(),
                      absl::StrCat(static_cast<int>(t.kind())),
                      OptionalDoubleText(t.has_red_threshold(), t.red_threshold()),
                      OptionalDoubleText(t.has_green_threshold(), t.green_threshold()),
                      OptionalDoubleText(t.has_range_low(), t.range_low()),
                      OptionalDoubleText(t.has_range_high(), t.range_high()),
                      OptionalDoubleText(t.has_range_tolerance_pct(), t.range_tolerance_pct()),
                      absl::StrCat(ord++)});
  }
  return CatalogueWrite([&](PgConn& conn) -> absl::Status {
    absl::Status upserted = UpsertByCopy(
        conn, "targets",
        "indicator_code, financial_year, la_code, kind, red_threshold, green_threshold, "
        "range_low, range_high, range_tolerance_pct",
        "indicator_code, financial_year, la_code",
        "kind = excluded.kind, red_threshold = excluded.red_threshold, "
        "green_threshold = excluded.green_threshold, range_low = excluded.range_low, "
        "range_high = excluded.range_high, range_tolerance_pct = excluded.range_tolerance_pct",
        data);
    return upserted;
  });
}

absl::StatusOr<std::vector<v1::Target>> PgIndicatorStore::ListTargets(const TargetFilter& filter) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(
      "SELECT indicator_code, financial_year, la_code, kind, red_threshold, green_threshold, "
      "range_low, range_high, range_tolerance_pct FROM targets "
      "WHERE ($1 = '' OR indicator_code = $1) AND ($2 = '' OR financial_year = $2) "
      "AND ($3 = '' OR la_code = $3) ORDER BY indicator_code, financial_year, la_code",
      {PgParam::Text(filter.indicator_code), PgParam::Text(filter.financial_year),
       PgParam::Text(filter.la_code)});
  if (!r.ok()) return r.status();
  std::vector<v1::Target> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    v1::Target& t = out.emplace_back();
    t.set_indicator_code(std::string(r->Text(i, 0)));
    t.set_financial_year(std::string(r->Text(i, 1)));
    t.set_la_code(std::string(r->Text(i, 2)));
    t.set_kind(static_cast<v1::TargetKind>(r->Int(i, 3)));
    if (auto v = r->OptionalDouble(i, 4)) t.set_red_threshold(*v);
    if (auto v = r->OptionalDouble(i, 5)) t.set_green_threshold(*v);
    if (auto v = r->OptionalDouble(i, 6)) t.set_range_low(*v);
    if (auto v = r->OptionalDouble(i, 7)) t.set_range_high(*v);
    if (auto v = r->OptionalDouble(i, 8)) t.set_range_tolerance_pct(*v);
  }
  return out;
}

absl::Status PgIndicatorStore::ReplaceMilestones(absl::string_view indicator_code,
                                                 absl::string_view la_code,
                                                 const std::vector<v1::Milestone>& milestones) {
  std::string data;
  for (const v1::Milestone& m : milestones) {
    PgCopyRow(&data, {std::string(indicator_code), std::string(la_code), m.month(),
                      PgDoubleText(m.target_value()), m.note()});
  }
  return CatalogueWrite([&](PgConn& conn) -> absl::Status {
    absl::StatusOr<PgResult> deleted =
        conn.Exec("DELETE FROM milestones WHERE indicator_code = $1 AND la_code = $2",
                  {PgParam::Text(indicator_code), PgParam::Text(la_code)});
    if (!deleted.ok()) return deleted.status();
    if (!data.empty()) {
      absl::Status copied = conn.CopyIn(
          "COPY milestones(indicator_code, la_code, month, target_value, note) FROM STDIN", data);
      if (!copied.ok()) return copied;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Milestone>> PgIndicatorStore::ListMilestones(
    absl::string_view indicator_code, absl::string_view la_code) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(
      "SELECT indicator_code, la_code, month, target_value, note FROM milestones "
      "WHERE ($1 = '' OR indicator_code = $1) AND la_code = $2 ORDER BY indicator_code, month",
      {PgParam::Text(indicator_code), PgParam::Text(la_code)});
  if (!r.ok()) return r.status();
  std::vector<v1::Milestone> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    v1::Milestone& m = out.emplace_back();
    m.set_indicator_code(std::string(r->Text(i, 0)));
    m.set_la_code(std::string(r->Text(i, 1)));
    m.set_month(std::string(r->Text(i, 2)));
    m.set_target_value(r->Double(i, 3));
    m.set_note(std::string(r->Text(i, 4)));
  }
  return out;
}

absl::StatusOr<LoadReceipt> PgIndicatorStore::AppendValues(
    absl::string_view source, const std::vector<v1::ValueInput>& values) {
  std::set<std::string> las;
  for (const v1::ValueInput& v : values) las.insert(v.la_code());
  const std::string touched = TextArray({las.begin(), las.end()});

  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::Status locked = (*conn)->Run(kLockLoads);
  if (!locked.ok()) return locked;
  // The newest load also has the latest stamp (each is stamped after the
  // one before), so the primary key finds both at once.
  absl::StatusOr<PgResult> last =
      (*conn)->Exec("SELECT load_id, recorded_at_us FROM loads ORDER BY load_id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  const int64_t load_id = last->rows() == 0 ? 1 : last->Int(0, 0) + 1;
  // Strictly increasing stamps keep "as of" unambiguous even when a
  // replica's clock is coarse, behind another's, or steps back.
  const int64_t recorded_us =
      std::max(NowMicros(), last->rows() == 0 ? int64_t{0} : last->Int(0, 1) + 1);
  absl::StatusOr<PgResult> load = (*conn)->Exec(
      "INSERT INTO loads(load_id, recorded_at_us, source, row_count) VALUES ($1, $2, $3, $4)",
      {PgParam::Int(load_id), PgParam::Int(recorded_us), PgParam::Text(source),
       PgParam::Int(static_cast<int64_t>(values.size()))});
  if (!load.ok()) return load.status();
  if (!values.empty()) {
    std::string data;
    data.reserve(values.size() * 48);
    const std::string id = absl::StrCat(load_id);
    for (const v1::ValueInput& v : values) {
      PgCopyRow(&data, {v.la_code(), v.indicator_code(), absl::StrCat(static_cast<int>(KindOf(v))),
                        std::string(PeriodOf(v)), id, OptionalDoubleText(v.has_value(), v.value()),
                        OptionalDoubleText(v.has_numerator(), v.numerator()),
                        OptionalDoubleText(v.has_denominator(), v.denominator())});
    }
    absl::Status copied = (*conn)->CopyIn(
        "COPY observations(la_code, indicator_code, kind, period, load_id, value, numerator, "
        "denominator) FROM STDIN",
        data);
    if (!copied.ok()) return copied;
    absl::StatusOr<PgResult> bumped = (*conn)->Exec(
        "INSERT INTO data_versions(la_code, version) SELECT la, 1 FROM unnest($1::text[]) AS la "
        "ON CONFLICT (la_code) DO UPDATE SET version = data_versions.version + 1",
        {PgParam::Text(touched)});
    if (!bumped.ok()) return bumped.status();
  }
  absl::Status committed = tx.Commit();
  if (!committed.ok()) return committed;
  absl::Status refreshed = RefreshStatistics(**conn, values.size());
  if (!refreshed.ok()) {
    // The load is stored: this only leaves reads slower until autovacuum
    // measures the table itself, so the caller is not told it failed.
    spdlog::warn("indicator store: refreshing statistics after load {} failed: {}", load_id,
                 refreshed.ToString());
  }
  return LoadReceipt{load_id, absl::FromUnixMicros(recorded_us),
                     static_cast<int64_t>(values.size())};
}

absl::StatusOr<std::vector<v1::Value>> PgIndicatorStore::ListValues(const ValueQuery& query) {
  std::vector<v1::Value> out;
  if (query.limit <= 0) return out;
  std::vector<PgParam> params;
  auto param = [&params](PgParam p) {
    params.push_back(std::move(p));
    return absl::StrCat("$", params.size());
  };
  const std::string kind = param(PgParam::Int(query.kind));
  std::string where = absl::StrCat("o.kind = ", kind);
  if (query.as_of.has_value()) {
    absl::StrAppend(&where,
                    " AND o.load_id <= (SELECT coalesce(max(load_id), 0) FROM loads "
                    "WHERE recorded_at_us <= ",
                    param(PgParam::Int(absl::ToUnixMicros(*query.as_of))), ")");
  }
  if (!query.la_code.empty()) {
    absl::StrAppend(&where, " AND o.la_code = ", param(PgParam::Text(query.la_code)));
  }
  if (!query.indicator_code.empty()) {
    absl::StrAppend(&where, " AND o.indicator_code = ", param(PgParam::Text(query.indicator_code)));
  }
  if (!query.indicator_codes.empty()) {
    absl::StrAppend(&where, " AND o.indicator_code = ANY(",
                    param(PgParam::Text(TextArray(query.indicator_codes))), "::text[])");
  }
  if (!query.from_period.empty()) {
    absl::StrAppend(&where, " AND o.period >= ", param(PgParam::Text(query.from_period)));
  }
  if (!query.to_period.empty()) {
    absl::StrAppend(&where, " AND o.period <= ", param(PgParam::Text(query.to_period)));
  }
  if (query.after.has_value()) {
    // With the kind in its place the row matches the primary key's prefix,
    // so the index scan starts at the page's first key.
    const std::string la = param(PgParam::Text(query.after->la_code));
    const std::string code = param(PgParam::Text(query.after->indicator_code));
    const std::string period = param(PgParam::Text(query.after->period));
    absl::StrAppend(&where, " AND (o.la_code, o.indicator_code, o.kind, o.period) > (", la, ", ",
                    code, ", ", kind, ", ", period, ")");
  }
  // Each key's revisions (up to as_of) in primary key order, oldest first,
  // numbered as they go; a key's last row is its latest revision, and its
  // number the key's count. Read in index order the rows stream through
  // the windows and the filter into the LIMIT, so a page reads little more
  // than it returns. Two details keep the planner on that plan:
  // - the order is the subquery's (the outer query only filters and
  //   limits), so the outer LIMIT reaches the subquery's planning and a
  //   plan that starts fast can win over one that sorts everything first;
  // - the latest row is found with ">=", not "=": the planner guesses a
  //   third of rows pass an inequality between two computed columns but
  //   one in 200 an equality, and then expects to need every row for the
  //   page, which favours reading everything and sorting.
  const std::string sql = absl::StrCat(
      "SELECT la_code, indicator_code, period, load_id, value, numerator, denominator, revision "
      "FROM (SELECT o.la_code, o.indicator_code, o.period, o.load_id, o.value, o.numerator, "
      "o.denominator, row_number() OVER w AS revision, "
      "count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS revisions "
      "FROM observations o WHERE ",
      where,
      " WINDOW w AS (PARTITION BY o.la_code, o.indicator_code, o.period ORDER BY o.load_id) "
      "ORDER BY o.la_code, o.indicator_code, o.period, o.load_id) r "
      "WHERE revision >= revisions",
      query.include_missing ? "" : " AND value IS NOT NULL", " LIMIT ",
      param(PgParam::Int(query.limit)));

  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(sql, params);
  if (!r.ok()) return r.status();
  out.reserve(static_cast<size_t>(r->rows()));
  std::set<int64_t> load_ids;
  for (int i = 0; i < r->rows(); ++i) {
    v1::Value& v = out.emplace_back();
    v.set_la_code(std::string(r->Text(i, 0)));
    v.set_indicator_code(std::string(r->Text(i, 1)));
    SetPeriod(v, query.kind, r->Text(i, 2));
    if (auto d = r->OptionalDouble(i, 4)) v.set_value(*d);
    if (auto d = r->OptionalDouble(i, 5)) v.set_numerator(*d);
    if (auto d = r->OptionalDouble(i, 6)) v.set_denominator(*d);
    v.set_revision(static_cast<int32_t>(r->Int(i, 7)));
    if (!query.figures_only) {
      v.set_load_id(r->Int(i, 3));
      load_ids.insert(v.load_id());
    }
  }
  if (load_ids.empty()) return out;
  // A page names few loads: their stamps and sources are read once each,
  // not joined to every row. Loads are never changed, so a second
  // statement sees the same ones.
  std::string ids = "{";
  for (const int64_t id : load_ids) absl::StrAppend(&ids, ids.size() > 1 ? "," : "", id);
  ids.push_back('}');
  absl::StatusOr<PgResult> loads = (*conn)->Exec(
      "SELECT load_id, recorded_at_us, source FROM loads WHERE load_id = ANY($1::bigint[])",
      {PgParam::Text(ids)});
  if (!loads.ok()) return loads.status();
  std::map<int64_t, std::pair<int64_t, std::string>> by_id;
  for (int i = 0; i < loads->rows(); ++i) {
    by_id[loads->Int(i, 0)] = {loads->Int(i, 1), std::string(loads->Text(i, 2))};
  }
  for (v1::Value& v : out) {
    auto it = by_id.find(v.load_id());
    if (it == by_id.end()) {
      return absl::InternalError(absl::StrCat("load ", v.load_id(), " is missing"));
    }
    *v.mutable_recorded_at() = ProtoFromMicros(it->second.first);
    v.set_source(it->second.second);
  }
  return out;
}

absl::StatusOr<std::vector<v1::Value>> PgIndicatorStore::ValueHistory(const ValueKey& key) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(
      "SELECT o.load_id, o.value, o.numerator, o.denominator, l.recorded_at_us, l.source "
      "FROM observations o JOIN loads l ON l.load_id = o.load_id WHERE o.la_code = $1 AND "
      "o.indicator_code = $2 AND o.kind = $3 AND o.period = $4 ORDER BY o.load_id",
      {PgParam::Text(key.la_code), PgParam::Text(key.indicator_code), PgParam::Int(key.kind),
       PgParam::Text(key.period)});
  if (!r.ok()) return r.status();
  std::vector<v1::Value> out;
  out.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    v1::Value& v = out.emplace_back();
    v.set_la_code(key.la_code);
    v.set_indicator_code(key.indicator_code);
    SetPeriod(v, key.kind, key.period);
    v.set_load_id(r->Int(i, 0));
    if (auto d = r->OptionalDouble(i, 1)) v.set_value(*d);
    if (auto d = r->OptionalDouble(i, 2)) v.set_numerator(*d);
    if (auto d = r->OptionalDouble(i, 3)) v.set_denominator(*d);
    *v.mutable_recorded_at() = ProtoFromMicros(r->Int(i, 4));
    v.set_source(std::string(r->Text(i, 5)));
    v.set_revision(i + 1);
  }
  return out;
}

absl::StatusOr<int64_t> PgIndicatorStore::DataVersion(absl::string_view la_code) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> r = (*conn)->Exec(
      "SELECT EXISTS(SELECT 1 FROM local_authorities WHERE la_code = $1), "
      "coalesce((SELECT version FROM data_versions WHERE la_code = $1), 0) + "
      "(SELECT version FROM catalogue_version WHERE id = 1)",
      {PgParam::Text(la_code)});
  if (!r.ok()) return r.status();
  if (r->Text(0, 0) != "t") return LaNotFound(la_code);
  return r->Int(0, 1);
}

absl::StatusOr<int64_t> PgIndicatorStore::CatalogueVersion() {
  return SingleInt("SELECT version FROM catalogue_version WHERE id = 1");
}

absl::StatusOr<int> PgIndicatorStore::LasWithValues() {
  // An LA has a row once a load has touched it.
  absl::StatusOr<int64_t> count = SingleInt("SELECT count(*) FROM data_versions");
  if (!count.ok()) return count.status();
  return static_cast<int>(*count);
}

absl::StatusOr<int64_t> PgIndicatorStore::AllDataVersion() {
  // Every write adds one to one LA's row or to the catalogue's, so the sum
  // rises with each.
  return SingleInt(
      "SELECT (coalesce((SELECT sum(version) FROM data_versions), 0) + "
      "(SELECT version FROM catalogue_version WHERE id = 1))::bigint");
}

}  // namespace carescore::indicators
