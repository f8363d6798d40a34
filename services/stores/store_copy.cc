#include "services/stores/store_copy.h"

#include <filesystem>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth/pg_audit_log.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/pg_db.h"
#include "common/sqlite_db.h"
#include "services/benchmarks/pg_benchmark_store.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/escalations/pg_escalation_store.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/indicators/pg_indicator_store.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/commentary_store.h"
#include "services/reports/pg_commentary_store.h"

namespace carescore::stores {
namespace {

struct Part {
  const char* file;
  const char* schema;
};
// The audit log of carescored; the split services' audit-<service>.db files
// are not carescored's and are left alone.
constexpr Part kParts[] = {{"indicators.db", "indicators"},
                           {"benchmarks.db", "benchmarks"},
                           {"escalations.db", "escalations"},
                           {"reports.db", "reports"},
                           {"audit.db", "audit"}};

std::string Quoted(PgConn& conn, absl::string_view name) {
  char* q = PQescapeIdentifier(conn.raw(), name.data(), name.size());
  std::string out = q != nullptr ? q : "";
  if (q != nullptr) PQfreemem(q);
  return out;
}

// Brings each store's schema up to date on both sides (the stores' own
// migrations), so the tables line up before any row moves.
template <typename Sqlite, typename Pg>
absl::Status PrepareBoth(const std::string& path, const std::string& url, bool sqlite_exists) {
  if (sqlite_exists) {
    auto s = Sqlite::Open(path);
    if (!s.ok()) return s.status();
  }
  auto p = Pg::Open(url);
  if (!p.ok()) return p.status();
  return absl::OkStatus();
}

// One SQLite value as COPY text for a PostgreSQL column of `pg_type`.
std::optional<std::string> CopyField(sqlite3_stmt* row, int col, const std::string& pg_type) {
  const int type = sqlite3_column_type(row, col);
  if (type == SQLITE_NULL) return std::nullopt;
  if (pg_type == "bytea") {
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(row, col));
    const int n = sqlite3_column_bytes(row, col);
    // bytea's hex input form; PgCopyRow doubles the backslash for COPY.
    return absl::StrCat("\\x",
                        absl::BytesToHexString(absl::string_view(bytes, static_cast<size_t>(n))));
  }
  if (type == SQLITE_FLOAT) return PgDoubleText(sqlite3_column_double(row, col));
  if (type == SQLITE_INTEGER) return absl::StrCat(sqlite3_column_int64(row, col));
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(row, col));
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(row, col)));
}

absl::StatusOr<int64_t> CopyTable(SqliteDb& from, PgConn& to, const std::string& schema,
                                  const std::string& table) {
  // The target's columns, in order, with their types.
  absl::StatusOr<PgResult> pg_columns = to.Exec(
      "SELECT column_name, data_type FROM information_schema.columns "
      "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
      {PgParam::Text(schema), PgParam::Text(table)});
  if (!pg_columns.ok()) return pg_columns.status();
  if (pg_columns->rows() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("table ", table, " of ", schema, " has no counterpart in PostgreSQL"));
  }
  std::map<std::string, std::string> pg_type;
  for (int r = 0; r < pg_columns->rows(); ++r) {
    pg_type[std::string(pg_columns->Text(r, 0))] = std::string(pg_columns->Text(r, 1));
  }
  absl::StatusOr<SqliteStatement> info =
      from.Prepare(absl::StrCat("PRAGMA table_info(", table, ")"));
  if (!info.ok()) return info.status();
  std::vector<std::string> columns;
  absl::Status listed = info->ForEachRow([&](const SqliteStatement& s) {
    columns.push_back(s.ColumnText(1));
    return absl::OkStatus();
  });
  if (!listed.ok()) return listed;
  std::vector<std::string> quoted;
  for (const std::string& c : columns) {
    if (pg_type.count(c) == 0) {
      return absl::FailedPreconditionError(absl::StrCat("column ", c, " of ", schema, ".", table,
                                                        " has no counterpart in PostgreSQL"));
    }
    quoted.push_back(Quoted(to, c));
  }
  const std::string target = absl::StrCat(Quoted(to, schema), ".", Quoted(to, table));
  // Rows the target's migrations seeded (single-row counters) give way to
  // the source's.
  absl::Status cleared = to.Run(absl::StrCat("DELETE FROM ", target));
  if (!cleared.ok()) return cleared;

  std::string select = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::StrAppend(&select, i > 0 ? ", " : "", "\"", columns[i], "\"");
  }
  absl::StrAppend(&select, " FROM \"", table, "\"");
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(from.raw(), select.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(from.raw(), rc, absl::StrCat("reading ", table));
  std::string data;
  int64_t rows = 0;
  const std::string copy =
      absl::StrCat("COPY ", target, "(", absl::StrJoin(quoted, ", "), ") FROM STDIN");
  std::vector<std::optional<std::string>> fields(columns.size());
  absl::Status out = absl::OkStatus();
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (size_t i = 0; i < columns.size(); ++i) {
      fields[i] = CopyField(stmt, static_cast<int>(i), pg_type[columns[i]]);
    }
    PgCopyRow(&data, fields);
    ++rows;
    // Sent in batches so a large history does not sit in memory whole.
    if (data.size() > (16u << 20)) {
      out = to.CopyIn(copy, data);
      if (!out.ok()) break;
      data.clear();
    }
  }
  if (out.ok() && rc != SQLITE_DONE)
    out = SqliteError(from.raw(), rc, absl::StrCat("reading ", table));
  sqlite3_finalize(stmt);
  if (!out.ok()) return out;
  if (!data.empty()) {
    absl::Status sent = to.CopyIn(copy, data);
    if (!sent.ok()) return sent;
  }
  return rows;
}

// Sequences behind serial or identity columns continue after the copied
// rows, so the next id PostgreSQL gives is not one already taken.
absl::Status AdvanceSequences(PgConn& to, const std::string& schema) {
  absl::StatusOr<PgResult> serials = to.Exec(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 "
      "AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
      {PgParam::Text(schema)});
  if (!serials.ok()) return serials.status();
  for (int r = 0; r < serials->rows(); ++r) {
    const std::string table =
        absl::StrCat(Quoted(to, schema), ".", Quoted(to, serials->Text(r, 0)));
    const std::string column = Quoted(to, serials->Text(r, 1));
    absl::StatusOr<PgResult> set =
        to.Exec(absl::StrCat("SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(",
                             column, ") FROM ", table, "), 0) + 1, false)"),
                {PgParam::Text(table), PgParam::Text(serials->Text(r, 1))});
    if (!set.ok()) return set.status();
  }
  return absl::OkStatus();
}

absl::Status DropSchemas(const std::string& url) {
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(url, "");
  if (!conn.ok()) return conn.status();
  for (const Part& part : kParts) {
    absl::Status dropped =
        (*conn)->Run(absl::StrCat("DROP SCHEMA IF EXISTS ", part.schema, " CASCADE"));
    if (!dropped.ok()) return dropped;
  }
  return absl::OkStatus();
}

absl::StatusOr<CopyReport> CopyAll(const std::string& data_dir, const std::string& url) {
  const std::filesystem::path dir(data_dir);
  // Each store's schema made (and each SQLite file brought up to date) by
  // the stores themselves.
  auto exists = [&](const char* f) { return std::filesystem::exists(dir / f); };
  absl::Status prepared =
      PrepareBoth<indicators::SqliteIndicatorStore, indicators::PgIndicatorStore>(
          (dir / "indicators.db").string(), url, true);
  if (prepared.ok()) {
    prepared = PrepareBoth<benchmarks::SqliteBenchmarkStore, benchmarks::PgBenchmarkStore>(
        (dir / "benchmarks.db").string(), url, exists("benchmarks.db"));
  }
  if (prepared.ok()) {
    prepared = PrepareBoth<escalations::SqliteEscalationStore, escalations::PgEscalationStore>(
        (dir / "escalations.db").string(), url, exists("escalations.db"));
  }
  if (prepared.ok()) {
    prepared = PrepareBoth<reports::SqliteCommentaryStore, reports::PgCommentaryStore>(
        (dir / "reports.db").string(), url, exists("reports.db"));
  }
  if (prepared.ok()) {
    prepared = PrepareBoth<auth::SqliteAuditLog, auth::PgAuditLog>((dir / "audit.db").string(), url,
                                                                   exists("audit.db"));
  }
  if (!prepared.ok()) return prepared;

  absl::StatusOr<std::unique_ptr<PgConn>> to = PgConn::Connect(url, "");
  if (!to.ok()) return to.status();
  CopyReport report;
  {
    PgTransaction tx(**to);
    if (!tx.status().ok()) return tx.status();
    for (const Part& part : kParts) {
      const std::filesystem::path file = dir / part.file;
      if (!std::filesystem::exists(file)) continue;
      absl::StatusOr<std::unique_ptr<SqliteDb>> from = SqliteDb::Open(file.string());
      if (!from.ok()) return from.status();
      absl::StatusOr<SqliteStatement> tables = (*from)->Prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
          "ORDER BY name");
      if (!tables.ok()) return tables.status();
      absl::StatusOr<std::vector<std::string>> names =
          tables->Collect<std::string>([](const SqliteStatement& s) { return s.ColumnText(0); });
      if (!names.ok()) return names.status();
      for (const std::string& table : *names) {
        absl::StatusOr<int64_t> rows = CopyTable(**from, **to, part.schema, table);
        if (!rows.ok()) {
          return absl::Status(rows.status().code(), absl::StrCat(part.file, ", table ", table, ": ",
                                                                 rows.status().message()));
        }
        // Every row arrived.
        absl::StatusOr<PgResult> count = (*to)->Exec(absl::StrCat(
            "SELECT count(*) FROM ", Quoted(**to, part.schema), ".", Quoted(**to, table)));
        if (!count.ok()) return count.status();
        if (count->Int(0, 0) != *rows) {
          return absl::DataLossError(absl::StrCat(part.schema, ".", table, " holds ",
                                                  count->Int(0, 0), " rows after copying ", *rows));
        }
        report.tables.push_back({part.schema, table, *rows});
      }
      absl::Status advanced = AdvanceSequences(**to, part.schema);
      if (!advanced.ok()) return advanced;
    }
    absl::Status committed = tx.Commit();
    if (!committed.ok()) return committed;
  }

  // What the services will read agrees with what they read before.
  auto sqlite_ind = indicators::SqliteIndicatorStore::Open((dir / "indicators.db").string());
  auto pg_ind = indicators::PgIndicatorStore::Open(url);
  if (!sqlite_ind.ok()) return sqlite_ind.status();
  if (!pg_ind.ok()) return pg_ind.status();
  absl::StatusOr<int64_t> before = (*sqlite_ind)->AllDataVersion();
  absl::StatusOr<int64_t> after = (*pg_ind)->AllDataVersion();
  if (!before.ok()) return before.status();
  if (!after.ok()) return after.status();
  if (*before != *after) {
    return absl::DataLossError(
        absl::StrCat("indicator data version ", *after, " after the copy, ", *before, " before"));
  }
  report.all_data_version = *after;
  if (exists("audit.db")) {
    auto audit = auth::PgAuditLog::Open(url);
    if (!audit.ok()) return audit.status();
    absl::StatusOr<auth::AuditVerification> verified = (*audit)->Verify();
    if (!verified.ok()) return verified.status();
    if (verified->first_bad_seq != 0) {
      return absl::DataLossError(absl::StrCat("the copied audit log does not verify at entry ",
                                              verified->first_bad_seq, ": ", verified->problem));
    }
    report.audit_entries = verified->entries;
  }
  return report;
}

}  // namespace

absl::StatusOr<CopyReport> CopySqliteToPostgres(const std::string& data_dir,
                                                const std::string& database_url) {
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "indicators.db")) {
    return absl::NotFoundError(
        absl::StrCat(data_dir, " holds no indicators.db: not a carescored data folder"));
  }
  absl::StatusOr<std::unique_ptr<PgConn>> conn = PgConn::Connect(database_url, "");
  if (!conn.ok()) return conn.status();
  std::vector<std::string> names;
  for (const Part& part : kParts) names.push_back(part.schema);
  absl::StatusOr<PgResult> present = (*conn)->Exec(
      "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY nspname",
      {PgParam::Text(absl::StrCat("{", absl::StrJoin(names, ","), "}"))});
  if (!present.ok()) return present.status();
  if (present->rows() > 0) {
    std::vector<std::string> found;
    for (int r = 0; r < present->rows(); ++r) found.emplace_back(present->Text(r, 0));
    return absl::FailedPreconditionError(
        absl::StrCat("the target database is not empty: it already holds carescore's ",
                     absl::StrJoin(found, ", "), " schema(s); copy into an empty database"));
  }
  conn->reset();
  absl::StatusOr<CopyReport> report = CopyAll(data_dir, database_url);
  if (!report.ok()) {
    // Nothing half-copied stays behind: the next attempt starts clean.
    (void)DropSchemas(database_url);
  }
  return report;
}

}  // namespace carescore::stores
