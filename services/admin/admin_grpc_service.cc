#include "services/admin/admin_grpc_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "common/proto_time.h"

namespace carescore::admin {
namespace {

constexpr absl::string_view kMethod = "AdminService/Backup";

// Streams the archive file, the summary on the first message.
grpc::Status Send(const BackupArchive& archive, grpc::ServerContext& context,
                  grpc::ServerWriter<v1::BackupResponse>& writer) {
  const int fd = open(archive.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ToGrpcStatus(absl::UnavailableError(
        absl::StrCat("cannot read the backup archive: ", std::strerror(errno))));
  }
  std::vector<char> buffer(kBackupChunkBytes);
  v1::BackupResponse message;
  *message.mutable_summary() = SummaryOf(archive);
  int64_t sent = 0;
  grpc::Status status = grpc::Status::OK;
  while (true) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = ToGrpcStatus(absl::UnavailableError(
          absl::StrCat("cannot read the backup archive: ", std::strerror(errno))));
      break;
    }
    // An empty read ends the stream; the first message goes even then.
    if (n == 0 && sent > 0) break;
    message.set_data(buffer.data(), static_cast<size_t>(n));
    if (context.IsCancelled() || !writer.Write(message)) {
      status = ToGrpcStatus(absl::CancelledError("the client went away"));
      break;
    }
    sent += n;
    message.clear_summary();
    if (n == 0) break;
  }
  close(fd);
  if (status.ok() && sent != archive.bytes()) {
    return ToGrpcStatus(absl::InternalError("the backup archive changed while it was sent"));
  }
  return status;
}

}  // namespace

v1::BackupSummary SummaryOf(const BackupArchive& archive) {
  const Manifest& m = archive.manifest();
  v1::BackupSummary summary;
  summary.set_archive_bytes(archive.bytes());
  summary.set_archive_sha256(archive.sha256());
  *summary.mutable_created_at() = TimeToProto(m.created_at);
  summary.set_format_version(m.format_version);
  summary.set_carescore_version(m.carescore_version);
  for (const PartInfo& p : m.parts) {
    v1::BackupPart* part = summary.add_parts();
    part->set_name(p.name);
    part->set_schema_version(p.schema_version);
    part->set_rows(p.rows);
    part->set_bytes(p.bytes);
    part->set_sha256(p.sha256);
    for (const auto& [table, rows] : p.table_rows) (*part->mutable_table_rows())[table] = rows;
  }
  return summary;
}

grpc::Status AdminGrpcService::Backup(grpc::ServerContext* context,
                                      const v1::BackupRequest* /*request*/,
                                      grpc::ServerWriter<v1::BackupResponse>* writer) {
  std::optional<auth::Admitted> admitted;
  if (gate_ != nullptr) {
    absl::StatusOr<auth::Admitted> admit = gate_->Admit(*context, kMethod, {});
    if (!admit.ok()) return ToGrpcStatus(admit.status());
    admitted = *std::move(admit);
  }
  absl::StatusOr<std::unique_ptr<BackupArchive>> archive = backups_.Take();
  if (gate_ != nullptr) {
    // Which archive left, by its digest: the entry is the record of it.
    const std::string resource = archive.ok() ? absl::StrCat("sha256:", (*archive)->sha256()) : "";
    absl::Status recorded = gate_->Record(*admitted, kMethod, {}, resource, archive.status());
    if (!recorded.ok()) return ToGrpcStatus(recorded);
  }
  if (!archive.ok()) return ToGrpcStatus(archive.status());
  return Send(**archive, *context, *writer);
}

}  // namespace carescore::admin
