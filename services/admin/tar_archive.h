#ifndef CARESCORE_SERVICES_ADMIN_TAR_ARCHIVE_H_
#define CARESCORE_SERVICES_ADMIN_TAR_ARCHIVE_H_

// The backup archive's container: a POSIX tar (ustar) file of regular files
// with plain names (no folders), which `tar -tvf` lists and `tar -xf`
// unpacks, written and read here without a library or a shell, and SHA-256
// to check each part with. Not thread-safe: one writer or reader per thread.
//
// The reader is strict, because a restore must refuse a damaged archive
// rather than restore part of it: every header's checksum and magic, the
// entry types and names, that the padding after each file and everything
// after the end-of-archive marker is zeros, and that the marker is there
// at all (an archive cut short ends without it). So any one byte changed
// anywhere is caught, here or by the manifest's SHA-256 of the file it
// falls in.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct evp_md_ctx_st;

namespace carescore::admin {

// Lower-case hex SHA-256 of bytes fed in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(absl::string_view bytes);
  // The digest of everything fed so far; call once, after the last Update.
  std::string HexDigest();

 private:
  evp_md_ctx_st* ctx_;
};

// The SHA-256 and size of a file; Unavailable if it cannot be read.
struct FileDigest {
  std::string sha256;
  int64_t bytes = 0;
};
absl::StatusOr<FileDigest> DigestFile(const std::string& path);

// The largest file a ustar header can hold (11 octal digits).
inline constexpr int64_t kMaxTarFileBytes = (int64_t{1} << 33) - 1;

// Writes a new archive file entry by entry. Each entry is a regular file,
// mode 0600, owned by uid/gid 0, stamped `mtime`; names are at most 100
// bytes with no '/'.
class TarWriter {
 public:
  // Creates `path` (mode 0600). AlreadyExists if it exists; Unavailable if
  // it cannot be created.
  static absl::StatusOr<std::unique_ptr<TarWriter>> Create(const std::string& path);
  // Closes the file; an archive not Finish()ed is incomplete (no end
  // marker) and the caller removes it.
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // InvalidArgument for a name the format or the reader refuses.
  [[nodiscard]] absl::Status AddBytes(absl::string_view name, absl::string_view bytes,
                                      absl::Time mtime);
  // The file at `path`, streamed. Unavailable if it cannot be read, or
  // changes size while being read; OutOfRange over kMaxTarFileBytes.
  [[nodiscard]] absl::Status AddFile(absl::string_view name, const std::string& path,
                                     absl::Time mtime);
  // Writes the end-of-archive marker, flushes the file to disk and closes
  // it. Unavailable if the disk refuses.
  [[nodiscard]] absl::Status Finish();

 private:
  TarWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  [[nodiscard]] absl::Status Header(absl::string_view name, int64_t size, absl::Time mtime);
  [[nodiscard]] absl::Status Write(absl::string_view bytes);
  [[nodiscard]] absl::Status Pad(int64_t size);

  int fd_;
  std::string path_;
};

// One entry's header.
struct TarEntry {
  std::string name;
  int64_t size = 0;
  absl::Time mtime;
};

// Reads an archive in order, checking it as described at the top. Every
// error for a damaged archive is DataLoss with a message that says what is
// wrong and where ("the archive is truncated: it ends inside
// indicators.db"); Unavailable if the file cannot be read.
class TarReader {
 public:
  // NotFound if there is no file at `path`.
  static absl::StatusOr<std::unique_ptr<TarReader>> Open(const std::string& path);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  // The next entry, skipping what is left of the one before; nullopt at
  // the end-of-archive marker, once everything after it is checked.
  absl::StatusOr<std::optional<TarEntry>> Next();
  // The current entry's bytes, in pieces of at most 1 MiB, to `sink`; the
  // first error from `sink` ends the read and is returned. At most once per
  // entry.
  [[nodiscard]] absl::Status ReadContent(absl::FunctionRef<absl::Status(absl::string_view)> sink);

 private:
  explicit TarReader(int fd) : fd_(fd) {}
  [[nodiscard]] absl::Status SkipRest();

  int fd_;
  std::optional<TarEntry> current_;
  int64_t left_ = 0;  // Bytes of the current entry not yet read.
  bool content_read_ = false;
  bool ended_ = false;
};

}  // namespace carescore::admin

#endif  // CARESCORE_SERVICES_ADMIN_TAR_ARCHIVE_H_
