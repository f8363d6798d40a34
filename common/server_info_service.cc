#include "common/server_info_service.h"

#include <algorithm>
#include <utility>

#include "common/auth/guarded.h"
#include "common/build_info.h"

namespace carescore {

ServerInfoGrpcService::ServerInfoGrpcService(std::string binary, const std::string& database,
                                             auth::AuthGate* gate)
    : gate_(gate) {
  info_.set_version(std::string(Version()));
  info_.set_git_commit(std::string(GitCommit()));
  info_.set_binary(std::move(binary));
  info_.set_database(database.empty() ? "sqlite" : "postgresql");
}

grpc::Status ServerInfoGrpcService::GetServerInfo(grpc::ServerContext* context,
                                                  const v1::GetServerInfoRequest* request,
                                                  v1::GetServerInfoResponse* response) {
  return auth::Guarded(
      gate_, *context, "ServerInfoService/GetServerInfo", *request, response,
      [&](const auth::Admitted*) -> absl::StatusOr<v1::GetServerInfoResponse> { return info_; });
}

std::vector<HostedService> WithServerInfo(std::vector<HostedService> services,
                                          ServerInfoGrpcService& info) {
  services.push_back({v1::ServerInfoService::service_full_name(), &info});
  std::vector<std::string> names;
  for (const HostedService& hosted : services) names.push_back(hosted.name);
  std::sort(names.begin(), names.end());
  info.info_.clear_services();
  for (std::string& name : names) info.info_.add_services(std::move(name));
  return services;
}

}  // namespace carescore
