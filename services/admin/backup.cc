#include "services/admin/backup.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/sqlite_db.h"
#include "nlohmann/json.hpp"
#include "services/admin/tar_archive.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/sqlite_indicator_store.h"

namespace carescore::admin {
namespace {

constexpr absl::string_view kArchiveName = "carescore-backup.tar";

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

// Removes a folder of ours on every path out, unless released.
class FolderGuard {
 public:
  explicit FolderGuard(std::string folder) : folder_(std::move(folder)) {}
  ~FolderGuard() {
    if (folder_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  FolderGuard(const FolderGuard&) = delete;
  FolderGuard& operator=(const FolderGuard&) = delete;
  std::string Release() { return std::exchange(folder_, ""); }

 private:
  std::string folder_;
};

std::string QuotedName(absl::string_view name) {
  return absl::StrCat("\"", absl::StrReplaceAll(name, {{"\"", "\"\""}}), "\"");
}

// Opening a copy through a store sets WAL mode on it; a backup's files are
// self-contained rollback-journal databases.
absl::Status BackToRollbackJournal(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  return (*db)->Exec("PRAGMA journal_mode=DELETE");
}

// The data versions, asked of the stores themselves over their copies, so
// they are those of the snapshot.
absl::Status RecordVersions(const std::string& folder, Manifest& manifest) {
  const std::string indicators = (std::filesystem::path(folder) / "indicators.db").string();
  const std::string benchmarks = (std::filesystem::path(folder) / "benchmarks.db").string();
  {
    absl::StatusOr<std::unique_ptr<indicators::SqliteIndicatorStore>> store =
        indicators::SqliteIndicatorStore::Open(indicators);
    if (!store.ok()) return store.status();
    absl::StatusOr<int64_t> all = (*store)->AllDataVersion();
    if (!all.ok()) return all.status();
    absl::StatusOr<int64_t> catalogue = (*store)->CatalogueVersion();
    if (!catalogue.ok()) return catalogue.status();
    manifest.all_data_version = *all;
    manifest.catalogue_version = *catalogue;
  }
  {
    absl::StatusOr<std::unique_ptr<benchmarks::SqliteBenchmarkStore>> store =
        benchmarks::SqliteBenchmarkStore::Open(benchmarks);
    if (!store.ok()) return store.status();
    absl::StatusOr<int64_t> version = (*store)->Version();
    if (!version.ok()) return version.status();
    manifest.comparators_version = *version;
  }
  for (const std::string& path : {indicators, benchmarks}) {
    absl::Status back = BackToRollbackJournal(path);
    if (!back.ok()) return back;
  }
  return absl::OkStatus();
}

// Reading manifest.json without exceptions: each field checked for its type.
class JsonReader {
 public:
  explicit JsonReader(std::string where) : where_(std::move(where)) {}
  const absl::Status& status() const { return status_; }

  const nlohmann::json* Field(const nlohmann::json& object, const char* key,
                              nlohmann::json::value_t type) {
    if (!status_.ok()) return nullptr;
    if (!object.is_object() || !object.contains(key)) {
      Fail(absl::StrCat("has no \"", key, "\""));
      return nullptr;
    }
    const nlohmann::json& value = object[key];
    const bool number = type == nlohmann::json::value_t::number_integer;
    if (number ? !value.is_number_integer() : value.type() != type) {
      Fail(absl::StrCat("has a \"", key, "\" of the wrong type"));
      return nullptr;
    }
    return &value;
  }
  int64_t Int(const nlohmann::json& object, const char* key) {
    const nlohmann::json* v = Field(object, key, nlohmann::json::value_t::number_integer);
    return v == nullptr ? 0 : v->get<int64_t>();
  }
  std::string String(const nlohmann::json& object, const char* key) {
    const nlohmann::json* v = Field(object, key, nlohmann::json::value_t::string);
    return v == nullptr ? "" : v->get<std::string>();
  }
  void Fail(absl::string_view what) {
    if (status_.ok()) status_ = absl::DataLossError(absl::StrCat(where_, " ", what));
  }

 private:
  std::string where_;
  absl::Status status_;
};

}  // namespace

absl::string_view CarescoreVersion() { return CARESCORE_VERSION; }

absl::StatusOr<std::string> MakeTempFolder(const std::string& parent, absl::string_view prefix) {
  std::string pattern = (std::filesystem::path(parent) / absl::StrCat(prefix, "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot create a temporary folder in ", parent, ": ", std::strerror(errno)));
  }
  return pattern;
}

std::string ManifestJson(const Manifest& m) {
  nlohmann::ordered_json parts = nlohmann::ordered_json::array();
  for (const PartInfo& p : m.parts) {
    nlohmann::ordered_json tables = nlohmann::ordered_json::object();
    for (const auto& [table, rows] : p.table_rows) tables[table] = rows;
    parts.push_back({{"name", p.name},
                     {"schema_version", p.schema_version},
                     {"tables", tables},
                     {"rows", p.rows},
                     {"bytes", p.bytes},
                     {"sha256", p.sha256}});
  }
  nlohmann::ordered_json omitted = nlohmann::ordered_json::array();
  for (const Omission& o : m.not_included) omitted.push_back({{"name", o.name}, {"why", o.why}});
  nlohmann::ordered_json doc = {{"format", kManifestFormat},
                                {"format_version", m.format_version},
                                {"carescore_version", m.carescore_version},
                                {"created_at", Rfc3339(m.created_at)},
                                {"parts", parts},
                                {"data_versions",
                                 {{"all_data_version", m.all_data_version},
                                  {"catalogue_version", m.catalogue_version},
                                  {"comparators_version", m.comparators_version}}},
                                {"not_included", omitted}};
  return doc.dump(2) + "\n";
}

absl::StatusOr<Manifest> ParseManifest(absl::string_view text) {
  const nlohmann::json doc =
      nlohmann::json::parse(text.begin(), text.end(), /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::DataLossError("the manifest (manifest.json) is not a JSON object");
  }
  using Type = nlohmann::json::value_t;
  JsonReader read("the manifest (manifest.json)");
  Manifest m;
  if (read.String(doc, "format") != kManifestFormat) read.Fail("is not a carescore backup's");
  m.format_version = static_cast<int>(read.Int(doc, "format_version"));
  if (!read.status().ok()) return read.status();
  if (m.format_version > kBackupFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("the archive has format version ", m.format_version, "; this carescore (",
                     CarescoreVersion(), ") restores up to ", kBackupFormatVersion,
                     ": restore with a newer carescore"));
  }
  if (m.format_version < 1) read.Fail("has an impossible format_version");
  m.carescore_version = read.String(doc, "carescore_version");
  const std::string created = read.String(doc, "created_at");
  std::string error;
  if (read.status().ok() && !absl::ParseTime(absl::RFC3339_full, created, &m.created_at, &error)) {
    read.Fail("has a created_at that is not an RFC 3339 time");
  }
  if (const nlohmann::json* parts = read.Field(doc, "parts", Type::array)) {
    for (const nlohmann::json& part : *parts) {
      PartInfo p;
      p.name = read.String(part, "name");
      p.schema_version = static_cast<int>(read.Int(part, "schema_version"));
      p.rows = read.Int(part, "rows");
      p.bytes = read.Int(part, "bytes");
      p.sha256 = read.String(part, "sha256");
      if (const nlohmann::json* tables = read.Field(part, "tables", Type::object)) {
        for (const auto& [table, rows] : tables->items()) {
          if (rows.is_number_integer()) {
            p.table_rows[table] = rows.get<int64_t>();
          } else {
            read.Fail(absl::StrCat("has a row count for ", table, " that is not a number"));
          }
        }
      }
      m.parts.push_back(std::move(p));
    }
  }
  if (const nlohmann::json* versions = read.Field(doc, "data_versions", Type::object)) {
    m.all_data_version = read.Int(*versions, "all_data_version");
    m.catalogue_version = read.Int(*versions, "catalogue_version");
    m.comparators_version = read.Int(*versions, "comparators_version");
  }
  if (const nlohmann::json* omitted = read.Field(doc, "not_included", Type::array)) {
    for (const nlohmann::json& o : *omitted) {
      m.not_included.push_back({read.String(o, "name"), read.String(o, "why")});
    }
  }
  if (!read.status().ok()) return read.status();
  return m;
}

absl::StatusOr<PartInfo> DescribeDatabase(const std::string& path, absl::string_view name) {
  PartInfo part;
  part.name = std::string(name);
  {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(path);
    if (!db.ok()) return db.status();
    const auto not_a_database = [&name](const absl::Status& s) {
      return absl::DataLossError(
          absl::StrCat(name, " is not a database SQLite can read (", s.message(), ")"));
    };
    absl::StatusOr<int> version = (*db)->UserVersion();
    if (!version.ok()) return not_a_database(version.status());
    part.schema_version = *version;
    absl::StatusOr<SqliteStatement> tables = (*db)->Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name");
    if (!tables.ok()) return not_a_database(tables.status());
    absl::StatusOr<std::vector<std::string>> names =
        tables->Collect<std::string>([](const SqliteStatement& s) { return s.ColumnText(0); });
    if (!names.ok()) return not_a_database(names.status());
    for (const std::string& table : *names) {
      absl::StatusOr<SqliteStatement> count =
          (*db)->Prepare(absl::StrCat("SELECT count(*) FROM ", QuotedName(table)));
      if (!count.ok()) return not_a_database(count.status());
      absl::StatusOr<int64_t> rows = count->SingleInt();
      if (!rows.ok()) return not_a_database(rows.status());
      part.table_rows[table] = *rows;
      part.rows += *rows;
    }
  }
  absl::StatusOr<FileDigest> digest = DigestFile(path);
  if (!digest.ok()) return digest.status();
  part.bytes = digest->bytes;
  part.sha256 = digest->sha256;
  return part;
}

BackupArchive::~BackupArchive() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

absl::StatusOr<std::unique_ptr<BackupArchive>> BackupService::Take() {
  if (!sources_.database.empty()) {
    return absl::FailedPreconditionError(
        "this server keeps its state in PostgreSQL (--database): back it up with pg_dump and "
        "restore with pg_restore (deploy/README.md); carescore's backup is for the embedded "
        "SQLite stores");
  }
  const std::filesystem::path dir(sources_.data_dir);
  absl::StatusOr<std::string> folder = MakeTempFolder(sources_.data_dir, ".backup-");
  if (!folder.ok()) return folder.status();
  FolderGuard guard(*folder);
  const std::filesystem::path into(*folder);

  std::vector<SqliteSnapshotFile> files;
  for (absl::string_view name : kBackupParts) {
    const bool audit = name == "audit.db" && !sources_.audit_log.empty();
    files.push_back({audit ? sources_.audit_log : (dir / std::string(name)).string(),
                     (into / std::string(name)).string()});
  }
  Manifest manifest;
  manifest.created_at = now_();
  absl::Status snapped = SnapshotSqliteDatabases(files);
  if (!snapped.ok()) return snapped;
  manifest.carescore_version = std::string(CarescoreVersion());
  absl::Status versions = RecordVersions(*folder, manifest);
  if (!versions.ok()) return versions;
  for (size_t i = 0; i < files.size(); ++i) {
    absl::StatusOr<PartInfo> part = DescribeDatabase(files[i].copy, kBackupParts[i]);
    if (!part.ok()) return part.status();
    manifest.parts.push_back(*std::move(part));
  }
  manifest.not_included = {
      {"auth-key.pem, auth-key.pub.pem",
       "the development key pair signs tokens: a secret, never copied; the restored server "
       "makes its own (or trusts --auth-public-key)"},
      {"cache.key",
       "the scorecard cache's signing key: a secret; the restored server makes its "
       "own, and the cache refills"}};

  const std::string archive = (into / std::string(kArchiveName)).string();
  absl::StatusOr<std::unique_ptr<TarWriter>> tar = TarWriter::Create(archive);
  if (!tar.ok()) return tar.status();
  absl::Status written =
      (*tar)->AddBytes(kManifestName, ManifestJson(manifest), manifest.created_at);
  for (size_t i = 0; i < files.size() && written.ok(); ++i) {
    written = (*tar)->AddFile(kBackupParts[i], files[i].copy, manifest.created_at);
  }
  if (written.ok()) written = (*tar)->Finish();
  if (!written.ok()) return written;
  for (const SqliteSnapshotFile& f : files) {
    std::error_code ignored;
    std::filesystem::remove(f.copy, ignored);
  }
  absl::StatusOr<FileDigest> digest = DigestFile(archive);
  if (!digest.ok()) return digest.status();
  return std::make_unique<BackupArchive>(guard.Release(), archive, std::move(manifest),
                                         digest->bytes, digest->sha256);
}

}  // namespace carescore::admin
