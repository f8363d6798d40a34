#include "services/reports/commentary_store.h"

#include "common/proto_time.h"

namespace carescore::reports {
namespace {

constexpr absl::string_view kSchemaV1 = R"sql(
CREATE TABLE commentary(
  la_code TEXT NOT NULL, month TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL,
  author TEXT NOT NULL, updated_at_us INTEGER NOT NULL,
  PRIMARY KEY(la_code, month, section));
PRAGMA user_version = 1;
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteCommentaryStore>> SqliteCommentaryStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  auto store = std::unique_ptr<SqliteCommentaryStore>(new SqliteCommentaryStore(*std::move(db)));
  absl::MutexLock lock(&store->mu_);
  absl::Status migrated = MigrateSchema(*store->db_, "reports", {kSchemaV1});
  if (!migrated.ok()) return migrated;
  return store;
}

absl::Status SqliteCommentaryStore::Put(const v1::Commentary& c) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "INSERT OR REPLACE INTO commentary(la_code, month, section, text, author, updated_at_us) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q.ok()) return q.status();
  q->BindText(1, c.la_code());
  q->BindText(2, c.month());
  q->BindText(3, c.section());
  q->BindText(4, c.text());
  q->BindText(5, c.author());
  q->BindInt(6, MicrosFromProto(c.updated_at()));
  return q->Run();
}

absl::StatusOr<std::vector<v1::Commentary>> SqliteCommentaryStore::List(absl::string_view la_code,
                                                                        absl::string_view month) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStatement> q = db_->Prepare(
      "SELECT section, text, author, updated_at_us FROM commentary WHERE la_code = ?1 AND "
      "month = ?2 ORDER BY section");
  if (!q.ok()) return q.status();
  q->BindText(1, la_code);
  q->BindText(2, month);
  return q->Collect<v1::Commentary>([&](const SqliteStatement& row) {
    v1::Commentary c;
    c.set_la_code(std::string(la_code));
    c.set_month(std::string(month));
    c.set_section(row.ColumnText(0));
    c.set_text(row.ColumnText(1));
    c.set_author(row.ColumnText(2));
    *c.mutable_updated_at() = ProtoFromMicros(row.ColumnInt(3));
    return c;
  });
}

}  // namespace carescore::reports
