#ifndef CARESCORE_COMMON_SERVER_INFO_SERVICE_H_
#define CARESCORE_COMMON_SERVER_INFO_SERVICE_H_

// ServerInfoService, hosted by every carescore binary: the version and git
// commit it was built from (as `--version` prints), its name, the services
// it hosts and the kind of store it keeps. Any valid token may ask.
// Thread-safe once serving.

#include <string>
#include <vector>

#include "carescore/v1/server_info.grpc.pb.h"
#include "common/auth/gate.h"
#include "common/server_runner.h"

namespace carescore {

class ServerInfoGrpcService final : public v1::ServerInfoService::Service {
 public:
  // `database`: the --database URL (PostgreSQL) or empty (embedded SQLite).
  // `gate` (null: every call let in) outlives *this.
  ServerInfoGrpcService(std::string binary, const std::string& database, auth::AuthGate* gate);

  grpc::Status GetServerInfo(grpc::ServerContext* context, const v1::GetServerInfoRequest* request,
                             v1::GetServerInfoResponse* response) override;

 private:
  friend std::vector<HostedService> WithServerInfo(std::vector<HostedService> services,
                                                   ServerInfoGrpcService& info);
  v1::GetServerInfoResponse info_;
  auth::AuthGate* gate_;
};

// `services` and `info` itself, with `info` told their names: what a main
// passes to ServeUntilSignal. Call before serving.
std::vector<HostedService> WithServerInfo(std::vector<HostedService> services,
                                          ServerInfoGrpcService& info);

}  // namespace carescore

#endif  // CARESCORE_COMMON_SERVER_INFO_SERVICE_H_
