#ifndef CARESCORE_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_

// The wire edge of AuditService (protos/carescore/v1/audit.proto): the
// audit log (common/auth/audit_log.h) listed and verified, admin only. Every
// call goes through the auth gate like any other edge's. Each server binary
// hosts one over its own audit log. Thread-safe (the log is).

#include "carescore/v1/audit.grpc.pb.h"
#include "common/auth/audit_log.h"
#include "common/auth/gate.h"

namespace carescore::audit {

class AuditGrpcService final : public v1::AuditService::Service {
 public:
  // `log` and `gate` (null: every call let in, for tests only) outlive *this.
  AuditGrpcService(auth::AuditLog& log, auth::AuthGate* gate) : log_(log), gate_(gate) {}

  // Errors: as the proto says; INVALID_ARGUMENT names the field.
  grpc::Status ListAuditEntries(grpc::ServerContext* context,
                                const v1::ListAuditEntriesRequest* request,
                                v1::ListAuditEntriesResponse* response) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override;

 private:
  auth::AuditLog& log_;
  auth::AuthGate* gate_;
};

}  // namespace carescore::audit

#endif  // CARESCORE_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_
