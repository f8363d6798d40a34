#ifndef CARESCORE_SERVICES_ADMIN_ADMIN_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_ADMIN_ADMIN_GRPC_SERVICE_H_

// The wire edge of AdminService (protos/carescore/v1/admin.proto): Backup
// streams the archive BackupService takes, to admins only. The call goes
// through the auth gate like any other edge's and is written to the audit
// log before the first byte leaves (a backup holds every child's casework,
// so one the log cannot record is not sent). Thread-safe.

#include "carescore/v1/admin.grpc.pb.h"
#include "common/auth/gate.h"
#include "services/admin/backup.h"

namespace carescore::admin {

// The archive's bytes per message.
inline constexpr size_t kBackupChunkBytes = size_t{1} << 20;

// The summary the first message carries, from what the archive holds.
v1::BackupSummary SummaryOf(const BackupArchive& archive);

class AdminGrpcService final : public v1::AdminService::Service {
 public:
  // `backups` and `gate` (null: every call let in, for tests only) outlive
  // *this.
  AdminGrpcService(BackupService& backups, auth::AuthGate* gate) : backups_(backups), gate_(gate) {}

  // Errors: as the proto says; CANCELLED if the client goes away mid-stream.
  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest* request,
                      grpc::ServerWriter<v1::BackupResponse>* writer) override;

 private:
  BackupService& backups_;
  auth::AuthGate* gate_;
};

}  // namespace carescore::admin

#endif  // CARESCORE_SERVICES_ADMIN_ADMIN_GRPC_SERVICE_H_
