#include "clients/cli/admin_commands.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace carescore::cli {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// SHA-256 of what arrives, to check against the server's summary.
class Digest {
 public:
  Digest() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Digest() { EVP_MD_CTX_free(ctx_); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void Update(const std::string& bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }
  std::string Hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest.data(), &length);
    return absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(digest.data()), length));
  }

 private:
  EVP_MD_CTX* ctx_;
};

// The partial file, removed unless Keep() renamed it into place.
class PartialFile {
 public:
  PartialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PartialFile() {
    if (fd_ >= 0) close(fd_);
    if (!kept_) std::remove(path_.c_str());
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  absl::Status Write(const std::string& bytes) {
    absl::string_view rest(bytes);
    while (!rest.empty()) {
      const ssize_t n = write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return absl::UnavailableError(absl::StrCat("cannot write ", path_, ": ", ErrnoText()));
      }
      rest.remove_prefix(static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }
  // Flushes to disk and renames to `file`.
  absl::Status Keep(const std::string& file) {
    if (fsync(fd_) != 0) {
      return absl::UnavailableError(absl::StrCat("cannot flush ", path_, ": ", ErrnoText()));
    }
    const int rc = close(std::exchange(fd_, -1));
    if (rc != 0) {
      return absl::UnavailableError(absl::StrCat("cannot close ", path_, ": ", ErrnoText()));
    }
    if (std::rename(path_.c_str(), file.c_str()) != 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot rename ", path_, " to ", file, ": ", ErrnoText()));
    }
    kept_ = true;
    return absl::OkStatus();
  }

 private:
  std::string path_;
  int fd_;
  bool kept_ = false;
};

int64_t TotalRows(const v1::BackupSummary& summary) {
  int64_t rows = 0;
  for (const v1::BackupPart& part : summary.parts()) rows += part.rows();
  return rows;
}

}  // namespace

std::string PartialPath(const std::string& file) { return file + ".partial"; }

Table BackupTable(const v1::BackupSummary& summary) {
  Table table({"part", "schema_version", "rows", "bytes", "sha256"});
  for (const v1::BackupPart& part : summary.parts()) {
    table.AddRow({part.name(), part.schema_version(), part.rows(), part.bytes(), part.sha256()});
  }
  return table;
}

std::string BackupText(const std::string& file, const v1::BackupSummary& summary) {
  return absl::StrCat("backup written to ", file, ": ", summary.parts_size(), " databases, ",
                      TotalRows(summary), " rows, ", summary.archive_bytes(), " bytes, sha256 ",
                      summary.archive_sha256());
}

AdminCommands::AdminCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };
  CLI::App* admin = app.add_subcommand("admin", "Operating the server (admin)");
  admin->require_subcommand(1);
  CLI::App* backup = admin->add_subcommand(
      "backup",
      "Every store at one consistent moment, into one archive (tar with a manifest); restore "
      "with `carescored --restore FILE --data-dir EMPTY_DIR`. Keys are not in it");
  backup->add_option("-o,--output", output_, "The archive to write (FILE.partial until complete)")
      ->required();
  backup->callback([this, run] { run(Backup()); });
}

absl::Status AdminCommands::Backup() {
  absl::StatusOr<Format> format = client_.format();
  if (!format.ok()) return format.status();
  const std::string partial_path = PartialPath(output_);
  const int fd = open(partial_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot create ", partial_path, ": ", ErrnoText()));
  }
  PartialFile partial(partial_path, fd);

  grpc::ClientContext ctx;
  client_.Prepare(ctx, /*long_running=*/true);
  std::unique_ptr<grpc::ClientReader<v1::BackupResponse>> reader =
      client_.admin().Backup(&ctx, v1::BackupRequest());
  v1::BackupResponse message;
  v1::BackupSummary summary;
  bool summarised = false;
  Digest digest;
  int64_t received = 0;
  absl::Status written = absl::OkStatus();
  while (reader->Read(&message)) {
    if (message.has_summary()) {
      summary = message.summary();
      summarised = true;
    }
    if (!written.ok()) continue;  // Drain, to hear the server's status.
    digest.Update(message.data());
    received += static_cast<int64_t>(message.data().size());
    written = partial.Write(message.data());
  }
  absl::Status finished = Rpc(reader->Finish(), "admin backup");
  if (!finished.ok()) return finished;
  if (!written.ok()) return written;
  if (!summarised) return absl::DataLossError("admin backup: the server sent no summary");
  if (received != summary.archive_bytes() || digest.Hex() != summary.archive_sha256()) {
    return absl::DataLossError(absl::StrCat(
        "admin backup: the archive arrived damaged (", received, " of ", summary.archive_bytes(),
        " bytes, SHA-256 not the server's); nothing written to ", output_, ": try again"));
  }
  absl::Status kept = partial.Keep(output_);
  if (!kept.ok()) return kept;
  BackupTable(summary).Print(*format, std::cout);
  if (*format == Format::kTable) std::cout << BackupText(output_, summary) << "\n";
  return absl::OkStatus();
}

}  // namespace carescore::cli
