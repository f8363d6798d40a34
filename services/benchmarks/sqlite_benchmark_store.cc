#include "services/benchmarks/sqlite_benchmark_store.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carescore::benchmarks {
namespace {

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE neighbours(
  model TEXT NOT NULL, la_code TEXT NOT NULL, neighbour_la_code TEXT NOT NULL,
  rank INTEGER NOT NULL, closeness TEXT NOT NULL,
  PRIMARY KEY(model, la_code, rank));
CREATE TABLE published_comparators(
  la_code TEXT NOT NULL, indicator_code TEXT NOT NULL, financial_year TEXT NOT NULL,
  sn_average REAL, best_sn REAL, national_average REAL, top_quartile_threshold REAL,
  PRIMARY KEY(la_code, indicator_code, financial_year));
CREATE TABLE store_version(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO store_version VALUES (1, 0);
PRAGMA user_version = 1;
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteBenchmarkStore>> SqliteBenchmarkStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  auto store = std::unique_ptr<SqliteBenchmarkStore>(new SqliteBenchmarkStore(*std::move(db)));
  absl::MutexLock lock(&store->mu_);
  absl::Status migrated = store->Migrate();
  if (!migrated.ok()) return migrated;
  return store;
}

absl::Status SqliteBenchmarkStore::Migrate() {
  return MigrateSchema(*db_, "benchmarks", {kSchemaV1});
}

absl::Status SqliteBenchmarkStore::BumpVersion() {
  return db_->Exec("UPDATE store_version SET version = version + 1 WHERE id = 1");
}

absl::Status SqliteBenchmarkStore::ReplaceNeighbours(absl::string_view model,
                                                     const std::vector<v1::Neighbour>& neighbours) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  std::set<std::string> las;
  for (const v1::Neighbour& n : neighbours) las.insert(n.la_code());
  absl::StatusOr<SqliteStatement> del =
      db_->Prepare("DELETE FROM neighbours WHERE model = ?1 AND la_code = ?2");
  if (!del.ok()) return del.status();
  for (const std::string& la : las) {
    del->BindText(1, model);
    del->BindText(2, la);
    absl::Status s = del->Run();
    if (!s.ok()) return s;
    del->Reset();
  }
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO neighbours(model, la_code, neighbour_la_code, rank, closeness) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.status();
  for (const v1::Neighbour& n : neighbours) {
    insert->BindText(1, model);
    insert->BindText(2, n.la_code());
    insert->BindText(3, n.neighbour_la_code());
    insert->BindInt(4, n.rank());
    insert->BindText(5, n.closeness());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  absl::Status bumped = BumpVersion();
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

absl::StatusOr<std::vector<v1::Neighbour>> SqliteBenchmarkStore::ListNeighbours(
    absl::string_view model, absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT la_code, neighbour_la_code, rank, closeness FROM neighbours "
      "WHERE model = ?1 AND la_code = ?2 ORDER BY rank");
  if (!q.ok()) return q.status();
  q->BindText(1, model);
  q->BindText(2, la_code);
  return q->Collect<v1::Neighbour>([](const SqliteStatement& row) {
    v1::Neighbour n;
    n.set_la_code(row.ColumnText(0));
    n.set_neighbour_la_code(row.ColumnText(1));
    n.set_rank(static_cast<int32_t>(row.ColumnInt(2)));
    n.set_closeness(row.ColumnText(3));
    return n;
  });
}

absl::StatusOr<std::vector<std::string>> SqliteBenchmarkStore::ListModels() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q =
      db_->Prepare("SELECT DISTINCT model FROM neighbours ORDER BY model DESC");
  if (!q.ok()) return q.status();
  return q->Collect<std::string>([](const SqliteStatement& row) { return row.ColumnText(0); });
}

absl::Status SqliteBenchmarkStore::UpsertPublished(
    const std::vector<v1::PublishedComparator>& comparators) {
  absl::MutexLock lock(&mu_);
  SqliteTransaction tx(*db_);
  if (!tx.status().ok()) return tx.status();
  absl::StatusOr<SqliteStatement> insert = db_->Prepare(
      "INSERT OR REPLACE INTO published_comparators(la_code, indicator_code, financial_year, "
      "sn_average, best_sn, national_average, top_quartile_threshold) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.status();
  for (const v1::PublishedComparator& c : comparators) {
    insert->BindText(1, c.la_code());
    insert->BindText(2, c.indicator_code());
    insert->BindText(3, c.financial_year());
    insert->BindOptionalDouble(4, c.has_sn_average(), c.sn_average());
    insert->BindOptionalDouble(5, c.has_best_sn(), c.best_sn());
    insert->BindOptionalDouble(6, c.has_national_average(), c.national_average());
    insert->BindOptionalDouble(7, c.has_top_quartile_threshold(), c.top_quartile_threshold());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    insert->Reset();
  }
  absl::Status bumped = BumpVersion();
  if (!bumped.ok()) return bumped;
  return tx.Commit();
}

absl::StatusOr<std::vector<v1::PublishedComparator>> SqliteBenchmarkStore::QueryPublished(
    absl::string_view la_code, absl::string_view indicator_code, absl::string_view financial_year) {
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT la_code, indicator_code, financial_year, sn_average, best_sn, national_average, "
      "top_quartile_threshold FROM published_comparators WHERE la_code = ?1 AND "
      "(?2 = '' OR indicator_code = ?2) AND (?3 = '' OR financial_year = ?3) "
      "ORDER BY indicator_code, financial_year");
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  q->BindText(2, indicator_code);
  q->BindText(3, financial_year);
  return q->Collect<v1::PublishedComparator>([](const SqliteStatement& row) {
    v1::PublishedComparator c;
    c.set_la_code(row.ColumnText(0));
    c.set_indicator_code(row.ColumnText(1));
    c.set_financial_year(row.ColumnText(2));
    if (auto v = row.ColumnOptionalDouble(3)) c.set_sn_average(*v);
    if (auto v = row.ColumnOptionalDouble(4)) c.set_best_sn(*v);
    if (auto v = row.ColumnOptionalDouble(5)) c.set_national_average(*v);
    if (auto v = row.ColumnOptionalDouble(6)) c.set_top_quartile_threshold(*v);
    return c;
  });
}

absl::StatusOr<std::optional<v1::PublishedComparator>> SqliteBenchmarkStore::FindPublished(
    absl::string_view la_code, absl::string_view indicator_code, absl::string_view financial_year) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::vector<v1::PublishedComparator>> found =
      QueryPublished(la_code, indicator_code, financial_year);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<v1::PublishedComparator>();
  return std::optional<v1::PublishedComparator>(std::move(found->front()));
}

absl::StatusOr<std::vector<v1::PublishedComparator>> SqliteBenchmarkStore::ListPublished(
    absl::string_view la_code) {
  absl::MutexLock lock(&mu_);
  return QueryPublished(la_code, "", "");
}

absl::StatusOr<int64_t> SqliteBenchmarkStore::Version() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare("SELECT version FROM store_version");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return *row ? q->ColumnInt(0) : 0;
}

}  // namespace carescore::benchmarks
