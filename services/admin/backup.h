#ifndef CARESCORE_SERVICES_ADMIN_BACKUP_H_
#define CARESCORE_SERVICES_ADMIN_BACKUP_H_

// Backups of carescored's embedded stores: every SQLite database of a data
// folder copied at one moment (SnapshotSqliteDatabases in common/sqlite_db.h:
// no write lands between the files' snapshots) into one archive, a ustar
// tar file (tar_archive.h) holding manifest.json first, then the files:
//
//   manifest.json   {"format": "carescore-backup", "format_version": 1,
//                    "carescore_version", "created_at" (RFC 3339, UTC),
//                    "parts": [{"name", "schema_version", "tables": {table:
//                    rows}, "rows", "bytes", "sha256"}, ...],
//                    "data_versions": {"all_data_version",
//                    "catalogue_version", "comparators_version"},
//                    "not_included": [{"name", "why"}, ...]}
//   indicators.db, benchmarks.db, escalations.db, reports.db, audit.db
//
// Each file is a self-contained rollback-journal database. Secrets are not
// in the archive (the development key pair, the cache key): the manifest
// says so, and a restored folder makes its own. Restoring is restore.h.
// With PostgreSQL (--database) pg_dump and pg_restore are the tools.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace carescore::admin {

// The database files of a data folder, in archive order.
inline constexpr std::array<absl::string_view, 5> kBackupParts = {
    "indicators.db", "benchmarks.db", "escalations.db", "reports.db", "audit.db"};
inline constexpr absl::string_view kManifestName = "manifest.json";
inline constexpr absl::string_view kManifestFormat = "carescore-backup";
// The archive layout this build writes and the newest it restores.
inline constexpr int kBackupFormatVersion = 1;
// The version of carescore this build is (the project's version).
absl::string_view CarescoreVersion();

// One database file as the manifest describes it.
struct PartInfo {
  std::string name;
  int schema_version = 0;                     // PRAGMA user_version.
  std::map<std::string, int64_t> table_rows;  // Every table but SQLite's own.
  int64_t rows = 0;                           // Summed over the tables.
  int64_t bytes = 0;
  std::string sha256;  // Lower-case hex.
};

// A file that is deliberately left out, and why.
struct Omission {
  std::string name;
  std::string why;
};

// manifest.json.
struct Manifest {
  int format_version = kBackupFormatVersion;
  std::string carescore_version;
  absl::Time created_at;
  std::vector<PartInfo> parts;
  // For the record (and to compare with the restored server's answers):
  // the indicator store's AllDataVersion and CatalogueVersion and the
  // benchmark store's comparators version, as of the snapshot.
  int64_t all_data_version = 0;
  int64_t catalogue_version = 0;
  int64_t comparators_version = 0;
  std::vector<Omission> not_included;
};

std::string ManifestJson(const Manifest& manifest);
// DataLoss naming what is missing or malformed; FailedPrecondition for a
// format_version newer than this build knows ("made by a newer carescore").
absl::StatusOr<Manifest> ParseManifest(absl::string_view text);

// The schema version and rows per table of the database file at `path`,
// read without changing it, and the file's size and SHA-256. `name` is
// what the part is called. DataLoss if the file is not a database SQLite
// can read; Unavailable if it cannot be opened.
absl::StatusOr<PartInfo> DescribeDatabase(const std::string& path, absl::string_view name);

// A new folder `<parent>/<prefix>XXXXXX` (mkdtemp: mode 0700).
// Unavailable if it cannot be made.
absl::StatusOr<std::string> MakeTempFolder(const std::string& parent, absl::string_view prefix);

// An archive written to a temporary folder of its own, removed (with the
// archive) when this is destroyed.
class BackupArchive {
 public:
  BackupArchive(std::string folder, std::string path, Manifest manifest, int64_t bytes,
                std::string sha256)
      : folder_(std::move(folder)),
        path_(std::move(path)),
        manifest_(std::move(manifest)),
        bytes_(bytes),
        sha256_(std::move(sha256)) {}
  ~BackupArchive();
  BackupArchive(const BackupArchive&) = delete;
  BackupArchive& operator=(const BackupArchive&) = delete;

  const std::string& path() const { return path_; }
  const Manifest& manifest() const { return manifest_; }
  int64_t bytes() const { return bytes_; }
  const std::string& sha256() const { return sha256_; }

 private:
  std::string folder_;
  std::string path_;
  Manifest manifest_;
  int64_t bytes_;
  std::string sha256_;
};

// Where the stores of a carescored are.
struct BackupSources {
  std::string database;   // --database: PostgreSQL URL, or empty for SQLite.
  std::string data_dir;   // --data-dir: the SQLite files.
  std::string audit_log;  // --audit-log: the audit database; empty: data_dir/audit.db.
};

// Takes backups of one carescored's embedded stores. Thread-safe: backups
// may run at once, each in a folder of its own.
class BackupService {
 public:
  explicit BackupService(
      BackupSources sources, std::function<absl::Time()> now = [] { return absl::Now(); })
      : sources_(std::move(sources)), now_(std::move(now)) {}

  // Snapshots every database at one moment into a new temporary folder in
  // the data folder (the same disk as the databases, so with room for
  // copies of them), describes each copy, records the data versions from
  // the copies, and writes the archive there; only the archive is kept.
  // Must not be called on a thread holding a SqliteWriteHold.
  // FailedPrecondition when the stores are in PostgreSQL (the message says
  // to use pg_dump); NotFound for a missing database file; Unavailable when
  // the data folder cannot be written.
  absl::StatusOr<std::unique_ptr<BackupArchive>> Take();

 private:
  BackupSources sources_;
  std::function<absl::Time()> now_;
};

}  // namespace carescore::admin

#endif  // CARESCORE_SERVICES_ADMIN_BACKUP_H_
