#include "services/benchmarks/pg_benchmark_store.h"

#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carescore::benchmarks {
namespace {

// The SQLite schema column for column, so a data folder copies across
// table by table. Text columns that lists are ordered by use the "C"
// collation: SQLite compares bytes, and the database's default collation
// (en_US.UTF-8 on many servers) would order codes differently.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE neighbours(
  model TEXT COLLATE "C" NOT NULL, la_code TEXT COLLATE "C" NOT NULL,
  neighbour_la_code TEXT NOT NULL, rank BIGINT NOT NULL, closeness TEXT NOT NULL,
  PRIMARY KEY(model, la_code, rank));
CREATE TABLE published_comparators(
  la_code TEXT COLLATE "C" NOT NULL, indicator_code TEXT COLLATE "C" NOT NULL,
  financial_year TEXT COLLATE "C" NOT NULL,
  sn_average DOUBLE PRECISION, best_sn DOUBLE PRECISION, national_average DOUBLE PRECISION,
  top_quartile_threshold DOUBLE PRECISION,
  PRIMARY KEY(la_code, indicator_code, financial_year));
CREATE TABLE store_version(id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
INSERT INTO store_version VALUES (1, 0);
)sql";

// Staging tables for COPY, one per connection, emptied at every commit or
// rollback. Columns are named wherever they are used, so a session's table
// made before a later migration still fits.
constexpr absl::string_view kIncomingNeighbours =
    "CREATE TEMP TABLE IF NOT EXISTS incoming_neighbours (LIKE neighbours) "
    "ON COMMIT DELETE ROWS";
constexpr absl::string_view kIncomingComparators =
    "CREATE TEMP TABLE IF NOT EXISTS incoming_comparators (LIKE published_comparators) "
    "ON COMMIT DELETE ROWS";

std::optional<std::string> OptionalDoubleText(bool present, double v) {
  if (!present) return std::nullopt;
  return PgDoubleText(v);
}

// Runs `body` in one transaction that first raises the version. The UPDATE
// locks the store_version row until commit, so writers on every replica
// take turns, as they do behind SqliteBenchmarkStore's mutex: two imports
// of the same LA's neighbours cannot interleave their DELETE and INSERT.
template <typename Body>
absl::Status WriteTransaction(PgPool& pool, Body body) {
  absl::StatusOr<PgLease> conn = pool.Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::Status bumped = (*conn)->Run("UPDATE store_version SET version = version + 1 WHERE id = 1");
  if (!bumped.ok()) return bumped;
  absl::Status written = body(**conn);
  if (!written.ok()) return written;
  return tx.Commit();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgBenchmarkStore>> PgBenchmarkStore::Open(const std::string& url,
                                                                         int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "benchmarks", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "benchmarks", {kPgSchemaV1});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgBenchmarkStore>(new PgBenchmarkStore(*std::move(pool)));
}

absl::Status PgBenchmarkStore::ReplaceNeighbours(absl::string_view model,
                                                 const std::vector<v1::Neighbour>& neighbours) {
  return WriteTransaction(*pool_, [&](PgConn& conn) -> absl::Status {
    if (neighbours.empty()) return absl::OkStatus();
    absl::Status staged = conn.Run(kIncomingNeighbours);
    if (!staged.ok()) return staged;
    std::string data;
    for (const v1::Neighbour& n : neighbours) {
      PgCopyRow(&data, {std::string(model), n.la_code(), n.neighbour_la_code(),
                        absl::StrCat(n.rank()), n.closeness()});
    }
    absl::Status copied = conn.CopyIn(
        "COPY incoming_neighbours(model, la_code, neighbour_la_code, rank, closeness) FROM STDIN",
        data);
    if (!copied.ok()) return copied;
    absl::StatusOr<PgResult> removed = conn.Exec(
        "DELETE FROM neighbours WHERE model = $1 AND la_code IN "
        "(SELECT la_code FROM incoming_neighbours)",
        {PgParam::Text(model)});
    if (!removed.ok()) return removed.status();
    return conn.Run(
        "INSERT INTO neighbours(model, la_code, neighbour_la_code, rank, closeness) "
        "SELECT model, la_code, neighbour_la_code, rank, closeness FROM incoming_neighbours");
  });
}

absl::StatusOr<std::vector<v1::Neighbour>> PgBenchmarkStore::ListNeighbours(
    absl::string_view model, absl::string_view la_code) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      "SELECT la_code, neighbour_la_code, rank, closeness FROM neighbours "
      "WHERE model = $1 AND la_code = $2 ORDER BY rank",
      {PgParam::Text(model), PgParam::Text(la_code)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Neighbour> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int r = 0; r < rows->rows(); ++r) {
    v1::Neighbour& n = out.emplace_back();
    n.set_la_code(std::string(rows->Text(r, 0)));
    n.set_neighbour_la_code(std::string(rows->Text(r, 1)));
    n.set_rank(static_cast<int32_t>(rows->Int(r, 2)));
    n.set_closeness(std::string(rows->Text(r, 3)));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> PgBenchmarkStore::ListModels() {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Exec("SELECT DISTINCT model FROM neighbours ORDER BY model DESC");
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int r = 0; r < rows->rows(); ++r) out.emplace_back(rows->Text(r, 0));
  return out;
}

absl::Status PgBenchmarkStore::UpsertPublished(
    const std::vector<v1::PublishedComparator>& comparators) {
  // SQLite's INSERT OR REPLACE lets the last of several rows with one key
  // win; PostgreSQL's ON CONFLICT refuses to touch a row twice in one
  // statement, so only the last of each key is sent.
  std::vector<const v1::PublishedComparator*> last;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (auto it = comparators.rbegin(); it != comparators.rend(); ++it) {
    if (seen.emplace(it->la_code(), it->indicator_code(), it->financial_year()).second) {
      last.push_back(&*it);
    }
  }
  return WriteTransaction(*pool_, [&](PgConn& conn) -> absl::Status {
    if (last.empty()) return absl::OkStatus();
    absl::Status staged = conn.Run(kIncomingComparators);
    if (!staged.ok()) return staged;
    std::string data;
    for (auto it = last.rbegin(); it != last.rend(); ++it) {
      const v1::PublishedComparator& c = **it;
      PgCopyRow(&data,
                {c.la_code(), c.indicator_code(), c.financial_year(),
                 OptionalDoubleText(c.has_sn_average(), c.sn_average()),
                 OptionalDoubleText(c.has_best_sn(), c.best_sn()),
                 OptionalDoubleText(c.has_national_average(), c.national_average()),
                 OptionalDoubleText(c.has_top_quartile_threshold(), c.top_quartile_threshold())});
    }
    absl::Status copied = conn.CopyIn(
        "COPY incoming_comparators(la_code, indicator_code, financial_year, sn_average, best_sn, "
        "national_average, top_quartile_threshold) FROM STDIN",
        data);
    if (!copied.ok()) return copied;
    return conn.Run(
        "INSERT INTO published_comparators(la_code, indicator_code, financial_year, sn_average, "
        "best_sn, national_average, top_quartile_threshold) "
        "SELECT la_code, indicator_code, financial_year, sn_average, best_sn, national_average, "
        "top_quartile_threshold FROM incoming_comparators "
        "ON CONFLICT (la_code, indicator_code, financial_year) DO UPDATE SET "
        "sn_average = EXCLUDED.sn_average, best_sn = EXCLUDED.best_sn, "
        "national_average = EXCLUDED.national_average, "
        "top_quartile_threshold = EXCLUDED.top_quartile_threshold");
  });
}

absl::StatusOr<std::vector<v1::PublishedComparator>> PgBenchmarkStore::QueryPublished(
    absl::string_view la_code, absl::string_view indicator_code, absl::string_view financial_year) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      "SELECT la_code, indicator_code, financial_year, sn_average, best_sn, national_average, "
      "top_quartile_threshold FROM published_comparators WHERE la_code = $1 AND "
      "($2::text = '' OR indicator_code = $2) AND ($3::text = '' OR financial_year = $3) "
      "ORDER BY indicator_code, financial_year",
      {PgParam::Text(la_code), PgParam::Text(indicator_code), PgParam::Text(financial_year)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::PublishedComparator> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int r = 0; r < rows->rows(); ++r) {
    v1::PublishedComparator& c = out.emplace_back();
    c.set_la_code(std::string(rows->Text(r, 0)));
    c.set_indicator_code(std::string(rows->Text(r, 1)));
    c.set_financial_year(std::string(rows->Text(r, 2)));
    if (auto v = rows->OptionalDouble(r, 3)) c.set_sn_average(*v);
    if (auto v = rows->OptionalDouble(r, 4)) c.set_best_sn(*v);
    if (auto v = rows->OptionalDouble(r, 5)) c.set_national_average(*v);
    if (auto v = rows->OptionalDouble(r, 6)) c.set_top_quartile_threshold(*v);
  }
  return out;
}

absl::StatusOr<std::optional<v1::PublishedComparator>> PgBenchmarkStore::FindPublished(
    absl::string_view la_code, absl::string_view indicator_code, absl::string_view financial_year) {
  absl::StatusOr<std::vector<v1::PublishedComparator>> found =
      QueryPublished(la_code, indicator_code, financial_year);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<v1::PublishedComparator>();
  return std::optional<v1::PublishedComparator>(std::move(found->front()));
}

absl::StatusOr<std::vector<v1::PublishedComparator>> PgBenchmarkStore::ListPublished(
    absl::string_view la_code) {
  return QueryPublished(la_code, "", "");
}

absl::StatusOr<int64_t> PgBenchmarkStore::Version() {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> row = (*conn)->Exec("SELECT version FROM store_version WHERE id = 1");
  if (!row.ok()) return row.status();
  return row->rows() > 0 ? row->Int(0, 0) : 0;
}

}  // namespace carescore::benchmarks
