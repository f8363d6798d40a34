#include "services/admin/restore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite_db.h"
#include "services/admin/tar_archive.h"

namespace carescore::admin {
namespace {

namespace fs = std::filesystem;

// A manifest is a few kilobytes; anything near this is not one of ours.
constexpr int64_t kMaxManifestBytes = 1 << 20;

std::string ErrnoText() { return std::strerror(errno); }

bool IsDatabaseFile(const std::string& name) {
  constexpr std::array<absl::string_view, 4> kSuffixes = {".db", ".db-wal", ".db-shm",
                                                          ".db-journal"};
  return std::ranges::any_of(kSuffixes,
                             [&name](absl::string_view s) { return absl::EndsWith(name, s); });
}

// FailedPrecondition naming a database file already in `dir`.
absl::Status CheckHoldsNoDatabase(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return absl::OkStatus();
  if (!fs::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(dir.string(), " is not a folder"));
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (IsDatabaseFile(name)) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir.string(), " already holds ", name,
                       ": a backup is restored only into an empty folder (or one with no "
                       "databases), never over a server's data"));
    }
  }
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot list ", dir.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

// One part unpacked into the temporary folder.
struct Unpacked {
  int64_t bytes = 0;
  std::string sha256;
};

// Writes the current entry to `path` (a new file, 0600, flushed to disk).
absl::StatusOr<Unpacked> Unpack(TarReader& reader, const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot create ", path, ": ", ErrnoText()));
  }
  Sha256 sha;
  Unpacked out;
  absl::Status read = reader.ReadContent([&](absl::string_view bytes) {
    sha.Update(bytes);
    out.bytes += static_cast<int64_t>(bytes.size());
    while (!bytes.empty()) {
      const ssize_t n = write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", ErrnoText()));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  });
  if (read.ok() && fsync(fd) != 0) {
    read = absl::UnavailableError(absl::StrCat("cannot flush ", path, ": ", ErrnoText()));
  }
  close(fd);
  if (!read.ok()) return read;
  out.sha256 = sha.HexDigest();
  return out;
}

absl::StatusOr<std::string> ReadManifestText(TarReader& reader, int64_t size) {
  if (size > kMaxManifestBytes) {
    return absl::DataLossError(
        absl::StrCat("the archive's manifest.json is ", size, " bytes: not a carescore manifest"));
  }
  std::string text;
  absl::Status read = reader.ReadContent([&text](absl::string_view bytes) {
    text.append(bytes.data(), bytes.size());
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return text;
}

// "ok", or the first problem SQLite's integrity check finds.
absl::Status CheckIntegrity(const std::string& path, absl::string_view name) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::OpenReadOnly(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<SqliteStatement> check = (*db)->Prepare("PRAGMA integrity_check");
  absl::StatusOr<bool> row = check.ok() ? check->Step() : absl::StatusOr<bool>(check.status());
  if (!row.ok()) {
    return absl::DataLossError(
        absl::StrCat(name, " is not a database SQLite can read: ", row.status().message()));
  }
  const std::string verdict = *row ? check->ColumnText(0) : "no answer";
  if (verdict != "ok") {
    return absl::DataLossError(absl::StrCat(name, " fails SQLite's integrity check: ", verdict));
  }
  return absl::OkStatus();
}

// The unpacked parts against the manifest, then each part against itself.
absl::Status CheckParts(const Manifest& manifest, const std::map<std::string, Unpacked>& unpacked,
                        const fs::path& folder) {
  std::set<std::string> listed;
  for (const PartInfo& part : manifest.parts) {
    if (!listed.insert(part.name).second) {
      return absl::DataLossError(
          absl::StrCat("the manifest lists ", part.name, " twice: the archive is corrupt"));
    }
    auto found = unpacked.find(part.name);
    if (found == unpacked.end()) {
      return absl::DataLossError(absl::StrCat("the archive has no ", part.name,
                                              ", which its manifest lists: it is incomplete"));
    }
    if (found->second.bytes != part.bytes) {
      return absl::DataLossError(absl::StrCat(part.name, " is ", found->second.bytes,
                                              " bytes; the manifest says ", part.bytes,
                                              ": the archive is corrupt"));
    }
    if (found->second.sha256 != part.sha256) {
      return absl::DataLossError(absl::StrCat(
          part.name, " does not match the SHA-256 in the manifest: the archive is corrupt"));
    }
  }
  for (absl::string_view name : kBackupParts) {
    if (!listed.contains(std::string(name))) {
      return absl::DataLossError(absl::StrCat("the manifest does not list ", name,
                                              ": the archive is incomplete or not a backup"));
    }
  }
  for (const auto& [name, part] : unpacked) {
    if (!listed.contains(name)) {
      return absl::DataLossError(
          absl::StrCat("the archive holds ", name, ", which its manifest does not list"));
    }
  }
  for (const PartInfo& part : manifest.parts) {
    const std::string path = (folder / part.name).string();
    absl::Status intact = CheckIntegrity(path, part.name);
    if (!intact.ok()) return intact;
    absl::StatusOr<PartInfo> seen = DescribeDatabase(path, part.name);
    if (!seen.ok()) return seen.status();
    if (seen->schema_version != part.schema_version || seen->table_rows != part.table_rows) {
      return absl::DataLossError(
          absl::StrCat(part.name,
                       " does not hold the schema version and rows its manifest "
                       "lists: the archive is corrupt"));
    }
  }
  return absl::OkStatus();
}

// Reads and checks the whole archive into `folder`; its manifest.
absl::StatusOr<Manifest> UnpackAndCheck(const std::string& archive, const fs::path& folder) {
  absl::StatusOr<std::unique_ptr<TarReader>> reader = TarReader::Open(archive);
  if (!reader.ok()) return reader.status();
  std::optional<std::string> manifest_text;
  std::map<std::string, Unpacked> unpacked;
  const std::set<std::string> parts(kBackupParts.begin(), kBackupParts.end());
  while (true) {
    absl::StatusOr<std::optional<TarEntry>> entry = (*reader)->Next();
    if (!entry.ok()) return entry.status();
    if (!entry->has_value()) break;
    const TarEntry& e = **entry;
    const bool seen =
        e.name == kManifestName ? manifest_text.has_value() : unpacked.contains(e.name);
    if (seen) {
      return absl::DataLossError(absl::StrCat("the archive holds ", e.name, " twice"));
    }
    if (e.name == kManifestName) {
      absl::StatusOr<std::string> text = ReadManifestText(**reader, e.size);
      if (!text.ok()) return text.status();
      manifest_text = *std::move(text);
    } else if (parts.contains(e.name)) {
      absl::StatusOr<Unpacked> part = Unpack(**reader, (folder / e.name).string());
      if (!part.ok()) return part.status();
      unpacked[e.name] = *std::move(part);
    } else {
      return absl::DataLossError(
          absl::StrCat("the archive holds ", e.name, ", which no carescore backup holds"));
    }
  }
  if (!manifest_text.has_value()) {
    return absl::DataLossError("the archive has no manifest.json: not a carescore backup");
  }
  absl::StatusOr<Manifest> manifest = ParseManifest(*manifest_text);
  if (!manifest.ok()) return manifest.status();
  absl::Status checked = CheckParts(*manifest, unpacked, folder);
  if (!checked.ok()) return checked;
  return manifest;
}

absl::Status SyncFolder(const fs::path& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot open ", dir.string()));
  const int rc = fsync(fd);
  close(fd);
  if (rc != 0) return absl::UnavailableError(absl::StrCat("cannot flush ", dir.string()));
  return absl::OkStatus();
}

// Moves every part from `folder` into `dir`, all or none.
absl::Status MoveIn(const Manifest& manifest, const fs::path& folder, const fs::path& dir) {
  std::vector<std::string> moved;
  absl::Status status = absl::OkStatus();
  for (const PartInfo& part : manifest.parts) {
    // Checked again: a server may have been started on the folder meanwhile.
    std::error_code ec;
    if (fs::exists(dir / part.name, ec)) {
      status = absl::FailedPreconditionError(absl::StrCat(
          (dir / part.name).string(), " appeared while the archive was checked: restore refused"));
      break;
    }
    fs::rename(folder / part.name, dir / part.name, ec);
    if (ec) {
      status = absl::UnavailableError(
          absl::StrCat("cannot move ", part.name, " into ", dir.string(), ": ", ec.message()));
      break;
    }
    moved.push_back(part.name);
  }
  if (!status.ok()) {
    for (const std::string& name : moved) {
      std::error_code ignored;
      fs::rename(dir / name, folder / name, ignored);
    }
    return status;
  }
  return SyncFolder(dir);
}

}  // namespace

absl::StatusOr<Manifest> RestoreBackup(const std::string& archive, const std::string& data_dir) {
  const fs::path dir(data_dir);
  absl::Status empty = CheckHoldsNoDatabase(dir);
  if (!empty.ok()) return empty;
  std::error_code ec;
  if (!fs::is_regular_file(archive, ec)) {
    return absl::NotFoundError(absl::StrCat("no archive file ", archive));
  }
  const bool made_dir = !fs::exists(dir, ec);
  if (made_dir) {
    fs::create_directories(dir, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat("cannot create ", data_dir, ": ", ec.message()));
    }
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  absl::StatusOr<Manifest> manifest = absl::UnknownError("not restored");
  absl::StatusOr<std::string> folder = MakeTempFolder(data_dir, ".restore-");
  if (folder.ok()) {
    manifest = UnpackAndCheck(archive, *folder);
    if (manifest.ok()) {
      absl::Status moved = MoveIn(*manifest, *folder, dir);
      if (!moved.ok()) manifest = moved;
    }
    fs::remove_all(*folder, ec);
  } else {
    manifest = folder.status();
  }
  if (!manifest.ok() && made_dir) fs::remove(dir, ec);  // Only if still empty.
  return manifest;
}

int RunRestore(const std::string& archive, const std::string& data_dir, const std::string& database,
               std::ostream& out, std::ostream& err) {
  if (!database.empty()) {
    err << "carescored --restore restores the embedded SQLite stores into --data-dir; with "
           "--database (PostgreSQL) restore with pg_restore (deploy/README.md)\n";
    return 2;
  }
  // Data about children: the folder and files are the owner's alone.
  umask(077);
  absl::StatusOr<Manifest> manifest = RestoreBackup(archive, data_dir);
  if (!manifest.ok()) {
    err << "carescored: " << archive << " not restored: " << manifest.status().message() << "\n"
        << "carescored: " << data_dir << " is as it was\n";
    return 1;
  }
  int64_t rows = 0;
  for (const PartInfo& part : manifest->parts) rows += part.rows;
  out << "restored " << archive << " into " << data_dir << ": " << manifest->parts.size()
      << " databases, " << rows << " rows, taken "
      << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", manifest->created_at, absl::UTCTimeZone())
      << " by carescore " << manifest->carescore_version << "\n";
  for (const PartInfo& part : manifest->parts) {
    out << "  " << part.name << ": schema " << part.schema_version << ", " << part.rows << " rows, "
        << part.bytes << " bytes, sha256 " << part.sha256 << "\n";
  }
  for (const Omission& o : manifest->not_included) {
    out << "  not in the backup: " << o.name << " (" << o.why << ")\n";
  }
  out << "start carescored with --data-dir " << data_dir << " to serve it\n";
  return 0;
}

}  // namespace carescore::admin
