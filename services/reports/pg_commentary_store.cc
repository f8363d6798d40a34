#include "services/reports/pg_commentary_store.h"

#include <utility>

#include "common/proto_time.h"

namespace carescore::reports {
namespace {

// SQLite's table column for column. Sections are listed in SQLite's byte
// order whatever the database's default collation is.
constexpr absl::string_view kPgSchemaV1 = R"sql(
CREATE TABLE commentary(
  la_code TEXT NOT NULL, month TEXT NOT NULL, section TEXT COLLATE "C" NOT NULL,
  text TEXT NOT NULL, author TEXT NOT NULL, updated_at_us BIGINT NOT NULL,
  PRIMARY KEY(la_code, month, section));
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<PgCommentaryStore>> PgCommentaryStore::Open(const std::string& url,
                                                                           int pool_size) {
  absl::StatusOr<std::unique_ptr<PgPool>> pool = PgPool::Open(url, "reports", pool_size);
  if (!pool.ok()) return pool.status();
  absl::Status migrated = MigratePgSchema(**pool, "reports", {kPgSchemaV1});
  if (!migrated.ok()) return migrated;
  return std::unique_ptr<PgCommentaryStore>(new PgCommentaryStore(*std::move(pool)));
}

absl::Status PgCommentaryStore::Put(const v1::Commentary& c) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // One statement, so its own transaction; ON CONFLICT is SQLite's INSERT OR
  // REPLACE and stays atomic when replicas write the same section at once.
  absl::StatusOr<PgResult> put = (*conn)->Exec(
      "INSERT INTO commentary(la_code, month, section, text, author, updated_at_us) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (la_code, month, section) DO UPDATE SET "
      "text = EXCLUDED.text, author = EXCLUDED.author, updated_at_us = EXCLUDED.updated_at_us",
      {PgParam::Text(c.la_code()), PgParam::Text(c.month()), PgParam::Text(c.section()),
       PgParam::Text(c.text()), PgParam::Text(c.author()),
       PgParam::Int(MicrosFromProto(c.updated_at()))});
  return put.status();
}

absl::StatusOr<std::vector<v1::Commentary>> PgCommentaryStore::List(absl::string_view la_code,
                                                                    absl::string_view month) {
  absl::StatusOr<PgLease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Exec(
      "SELECT section, text, author, updated_at_us FROM commentary WHERE la_code = $1 AND "
      "month = $2 ORDER BY section",
      {PgParam::Text(la_code), PgParam::Text(month)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::Commentary> out;
  out.reserve(static_cast<size_t>(rows->rows()));
  for (int r = 0; r < rows->rows(); ++r) {
    v1::Commentary& c = out.emplace_back();
    c.set_la_code(std::string(la_code));
    c.set_month(std::string(month));
    c.set_section(std::string(rows->Text(r, 0)));
    c.set_text(std::string(rows->Text(r, 1)));
    c.set_author(std::string(rows->Text(r, 2)));
    *c.mutable_updated_at() = ProtoFromMicros(rows->Int(r, 3));
  }
  return out;
}

}  // namespace carescore::reports
