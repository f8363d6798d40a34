#include "services/admin/tar_archive.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace carescore::admin {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kPiece = size_t{1} << 20;

// ustar header fields: offset and width.
struct Field {
  size_t at;
  size_t width;
};
constexpr Field kName{0, 100};
constexpr Field kMode{100, 8};
constexpr Field kUid{108, 8};
constexpr Field kGid{116, 8};
constexpr Field kSize{124, 12};
constexpr Field kMtime{136, 12};
constexpr Field kChecksum{148, 8};
constexpr size_t kTypeFlag = 156;
constexpr Field kMagic{257, 6};
constexpr Field kVersion{263, 2};
constexpr Field kDevMajor{329, 8};
constexpr Field kDevMinor{337, 8};

using Block = std::array<char, kBlock>;

std::string ErrnoText() { return std::strerror(errno); }

// Zero-padded octal filling `field` but its last byte, which stays NUL.
void PutOctal(Block& block, Field field, uint64_t value) {
  for (size_t i = field.width - 1; i-- > 0;) {
    block[field.at + i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

// The header's checksum: its bytes summed as unsigned, the checksum field
// counted as spaces.
uint64_t ChecksumOf(const Block& block) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    const bool in_field = i >= kChecksum.at && i < kChecksum.at + kChecksum.width;
    sum += in_field ? uint64_t{' '} : static_cast<unsigned char>(block[i]);
  }
  return sum;
}

// Octal digits, optionally led by spaces and ended by NUL or spaces.
std::optional<uint64_t> ParseOctal(const Block& block, Field field) {
  size_t i = field.at;
  const size_t end = field.at + field.width;
  while (i < end && block[i] == ' ') ++i;
  uint64_t value = 0;
  size_t digits = 0;
  for (; i < end && block[i] >= '0' && block[i] <= '7'; ++i, ++digits) {
    if (value > (uint64_t{1} << 60)) return std::nullopt;
    value = value * 8 + static_cast<uint64_t>(block[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  for (; i < end; ++i) {
    if (block[i] != '\0' && block[i] != ' ') return std::nullopt;
  }
  return value;
}

bool IsZero(const char* bytes, size_t n) {
  return std::all_of(bytes, bytes + n, [](char c) { return c == '\0'; });
}

// A plain file name: what the writer takes and the reader accepts.
bool IsPlainName(absl::string_view name) {
  if (name.empty() || name.size() > kName.width || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c > ' ' && c < 0x7f && c != '/' && c != '\\'; });
}

size_t PaddingOf(int64_t size) {
  const size_t rest = static_cast<size_t>(size) % kBlock;
  return rest == 0 ? 0 : kBlock - rest;
}

// Reads exactly `n` bytes into `out`; false (with `got` set) if the file
// ends first.
absl::StatusOr<bool> ReadFull(int fd, char* out, size_t n, size_t& got) {
  got = 0;
  while (got < n) {
    const ssize_t r = read(fd, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      return absl::UnavailableError(absl::StrCat("cannot read the archive: ", ErrnoText()));
    }
    if (r == 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

// After the first zero block: the second, then nothing but zeros.
absl::Status CheckEnd(int fd) {
  Block block{};
  size_t got = 0;
  absl::StatusOr<bool> full = ReadFull(fd, block.data(), kBlock, got);
  if (!full.ok()) return full.status();
  if (!*full || !IsZero(block.data(), kBlock)) {
    return absl::DataLossError(*full ? "the archive is corrupt: its end-of-archive marker is not "
                                       "two blocks of zeros"
                                     : "the archive is truncated: it ends inside its "
                                       "end-of-archive marker");
  }
  // Only zeros may follow (tar programs pad to a record size).
  while (true) {
    absl::StatusOr<bool> more = ReadFull(fd, block.data(), kBlock, got);
    if (!more.ok()) return more.status();
    if (!IsZero(block.data(), got)) {
      return absl::DataLossError(
          "the archive is corrupt: something other than zeros follows its end-of-archive marker");
    }
    if (!*more) return absl::OkStatus();
  }
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(absl::string_view bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

std::string Sha256::HexDigest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx_, digest.data(), &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

absl::StatusOr<FileDigest> DigestFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
  Sha256 sha;
  FileDigest out;
  std::vector<char> buffer(kPiece);
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error =
          absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
      close(fd);
      return error;
    }
    if (n == 0) break;
    sha.Update(absl::string_view(buffer.data(), static_cast<size_t>(n)));
    out.bytes += n;
  }
  close(fd);
  out.sha256 = sha.HexDigest();
  return out;
}

absl::StatusOr<std::unique_ptr<TarWriter>> TarWriter::Create(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(path, " already exists"));
    return absl::UnavailableError(absl::StrCat("cannot create ", path, ": ", ErrnoText()));
  }
  return std::unique_ptr<TarWriter>(new TarWriter(fd, path));
}

TarWriter::~TarWriter() {
  if (fd_ >= 0) close(fd_);
}

absl::Status TarWriter::Write(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return absl::UnavailableError(absl::StrCat("cannot write ", path_, ": ", ErrnoText()));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status TarWriter::Pad(int64_t size) {
  static constexpr Block kZeros{};
  return Write(absl::string_view(kZeros.data(), PaddingOf(size)));
}

absl::Status TarWriter::Header(absl::string_view name, int64_t size, absl::Time mtime) {
  if (!IsPlainName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\" is not a plain file name of at most 100 bytes"));
  }
  if (size < 0 || size > kMaxTarFileBytes) {
    return absl::OutOfRangeError(absl::StrCat(name, " is larger than a tar entry can hold"));
  }
  Block block{};
  std::memcpy(block.data() + kName.at, name.data(), name.size());
  PutOctal(block, kMode, 0600);
  PutOctal(block, kUid, 0);
  PutOctal(block, kGid, 0);
  PutOctal(block, kSize, static_cast<uint64_t>(size));
  PutOctal(block, kMtime, static_cast<uint64_t>(std::max<int64_t>(0, absl::ToUnixSeconds(mtime))));
  block[kTypeFlag] = '0';
  std::memcpy(block.data() + kMagic.at, "ustar", 6);  // With its NUL.
  std::memcpy(block.data() + kVersion.at, "00", 2);
  PutOctal(block, kDevMajor, 0);
  PutOctal(block, kDevMinor, 0);
  // Six digits, NUL, space: what POSIX tar writes.
  const uint64_t sum = ChecksumOf(block);
  PutOctal(block, Field{kChecksum.at, 7}, sum);
  block[kChecksum.at + 7] = ' ';
  return Write(absl::string_view(block.data(), block.size()));
}

absl::Status TarWriter::AddBytes(absl::string_view name, absl::string_view bytes,
                                 absl::Time mtime) {
  absl::Status header = Header(name, static_cast<int64_t>(bytes.size()), mtime);
  if (!header.ok()) return header;
  absl::Status written = Write(bytes);
  if (!written.ok()) return written;
  return Pad(static_cast<int64_t>(bytes.size()));
}

absl::Status TarWriter::AddFile(absl::string_view name, const std::string& path, absl::Time mtime) {
  const int in = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
  struct stat st {};
  absl::Status status = absl::OkStatus();
  if (fstat(in, &st) != 0) {
    status = absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
  } else {
    status = Header(name, st.st_size, mtime);
  }
  int64_t copied = 0;
  std::vector<char> buffer(kPiece);
  while (status.ok()) {
    const ssize_t n = read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
      break;
    }
    if (n == 0) break;
    copied += n;
    // The header promised st_size bytes: a file that grows would spill
    // into the next header.
    if (copied > st.st_size) break;
    status = Write(absl::string_view(buffer.data(), static_cast<size_t>(n)));
  }
  close(in);
  if (!status.ok()) return status;
  if (copied != st.st_size) {
    return absl::UnavailableError(absl::StrCat(path, " changed size while it was archived"));
  }
  return Pad(copied);
}

absl::Status TarWriter::Finish() {
  static constexpr std::array<char, 2 * kBlock> kEnd{};
  absl::Status written = Write(absl::string_view(kEnd.data(), kEnd.size()));
  if (!written.ok()) return written;
  if (fsync(fd_) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot flush ", path_, ": ", ErrnoText()));
  }
  const int fd = std::exchange(fd_, -1);
  if (close(fd) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot close ", path_, ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<TarReader>> TarReader::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no file ", path));
    return absl::UnavailableError(absl::StrCat("cannot read ", path, ": ", ErrnoText()));
  }
  return std::unique_ptr<TarReader>(new TarReader(fd));
}

TarReader::~TarReader() { close(fd_); }

absl::Status TarReader::ReadContent(absl::FunctionRef<absl::Status(absl::string_view)> sink) {
  if (!current_.has_value() || content_read_) {
    return absl::FailedPreconditionError("no entry to read: call Next() first");
  }
  content_read_ = true;
  std::vector<char> buffer(std::min<size_t>(kPiece, static_cast<size_t>(left_) + kBlock));
  while (left_ > 0) {
    const size_t want = std::min(buffer.size(), static_cast<size_t>(left_));
    size_t got = 0;
    absl::StatusOr<bool> full = ReadFull(fd_, buffer.data(), want, got);
    if (!full.ok()) return full.status();
    if (!*full) {
      return absl::DataLossError(absl::StrCat(
          "the archive is truncated: it ends inside ", current_->name, " (",
          current_->size - left_ + static_cast<int64_t>(got), " of ", current_->size, " bytes)"));
    }
    left_ -= static_cast<int64_t>(got);
    absl::Status taken = sink(absl::string_view(buffer.data(), got));
    if (!taken.ok()) return taken;
  }
  Block padding{};
  const size_t pad = PaddingOf(current_->size);
  size_t got = 0;
  absl::StatusOr<bool> full = ReadFull(fd_, padding.data(), pad, got);
  if (!full.ok()) return full.status();
  if (!*full) {
    return absl::DataLossError(
        absl::StrCat("the archive is truncated: it ends in the padding after ", current_->name));
  }
  if (!IsZero(padding.data(), pad)) {
    return absl::DataLossError(absl::StrCat("the archive is corrupt: the padding after ",
                                            current_->name, " is not zeros"));
  }
  return absl::OkStatus();
}

absl::Status TarReader::SkipRest() {
  if (!current_.has_value() || content_read_) return absl::OkStatus();
  return ReadContent([](absl::string_view) { return absl::OkStatus(); });
}

absl::StatusOr<std::optional<TarEntry>> TarReader::Next() {
  if (ended_) return std::optional<TarEntry>();
  absl::Status skipped = SkipRest();
  if (!skipped.ok()) return skipped;
  const std::string after =
      current_.has_value() ? absl::StrCat(" after ", current_->name) : " at its start";
  current_.reset();
  Block block{};
  size_t got = 0;
  absl::StatusOr<bool> full = ReadFull(fd_, block.data(), kBlock, got);
  if (!full.ok()) return full.status();
  if (!*full) {
    if (got == 0) {
      return absl::DataLossError(absl::StrCat("the archive is truncated: it ends", after,
                                              " with no end-of-archive marker"));
    }
    return absl::DataLossError(absl::StrCat(
        "the archive is truncated: it ends inside ",
        IsZero(block.data(), got) ? "its end-of-archive marker" : "the header", after));
  }
  if (IsZero(block.data(), kBlock)) {
    absl::Status end = CheckEnd(fd_);
    if (!end.ok()) return end;
    ended_ = true;
    return std::optional<TarEntry>();
  }
  // Exactly as the writer puts it (six digits, NUL, space): the checksum
  // does not cover its own field, so a looser parse would let a changed
  // byte there pass.
  const std::optional<uint64_t> checksum = ParseOctal(block, Field{kChecksum.at, 7});
  if (!checksum.has_value() || block[kChecksum.at + 6] != '\0' || block[kChecksum.at + 7] != ' ' ||
      block[kChecksum.at] == ' ' || *checksum != ChecksumOf(block)) {
    return absl::DataLossError(
        absl::StrCat("the archive is corrupt: the header", after, " does not match its checksum"));
  }
  if (std::memcmp(block.data() + kMagic.at, "ustar", 5) != 0) {
    return absl::DataLossError(
        absl::StrCat("the archive is corrupt: the header", after, " is not a ustar header"));
  }
  TarEntry entry;
  const char* name = block.data() + kName.at;
  entry.name.assign(name, strnlen(name, kName.width));
  if (!IsPlainName(entry.name) || block[345] != '\0') {
    return absl::DataLossError(
        absl::StrCat("the archive holds an entry", after, " whose name no backup writes"));
  }
  if (block[kTypeFlag] != '0' && block[kTypeFlag] != '\0') {
    return absl::DataLossError(
        absl::StrCat("the archive's entry ", entry.name, " is not a regular file"));
  }
  const std::optional<uint64_t> size = ParseOctal(block, kSize);
  const std::optional<uint64_t> mtime = ParseOctal(block, kMtime);
  if (!size.has_value() || !mtime.has_value() || *size > static_cast<uint64_t>(kMaxTarFileBytes)) {
    return absl::DataLossError(
        absl::StrCat("the archive is corrupt: the header of ", entry.name, " is unreadable"));
  }
  entry.size = static_cast<int64_t>(*size);
  entry.mtime = absl::FromUnixSeconds(static_cast<int64_t>(*mtime));
  current_ = entry;
  left_ = entry.size;
  content_read_ = false;
  return std::optional<TarEntry>(std::move(entry));
}

}  // namespace carescore::admin
