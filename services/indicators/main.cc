// carescore-indicators: the indicator storage service on its own, for
// containers. Wires the SQLite store, the rules and the wire edge.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/auth/auth_flags.h"
#include "common/server_flags.h"
#include "common/server_info_service.h"
#include "common/server_runner.h"
#include "services/audit/audit_grpc_service.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/stores/open_stores.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescore-indicators: indicator storage service"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  double lease_ms = carescore::kDefaultVersionLeaseMs;
  carescore::AddVersionLeaseFlag(app, lease_ms);
  carescore::auth::AuthFlags auth_flags;
  carescore::auth::AddAuthFlags(app, auth_flags, /*calls_peers=*/false);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<carescore::auth::Auth>> auth = carescore::auth::MakeAuth(
      auth_flags, flags.data_dir, {"carescore-indicators", "audit-indicators.db", false, false},
      flags.database);
  if (!auth.ok()) {
    spdlog::critical("{}", std::string(auth.status().message()));
    return 2;
  }
  carescore::auth::AuthGate& gate = (*auth)->gate();
  carescore::audit::AuditGrpcService audit_grpc((*auth)->audit_log(), &gate);
  auto store = carescore::stores::OpenIndicatorStore({flags.database, flags.data_dir});
  if (!store.ok()) {
    spdlog::critical("{}", std::string(store.status().message()));
    return 1;
  }
  carescore::indicators::IndicatorService service(**store, absl::Milliseconds(lease_ms));
  auto request_log = carescore::stores::OpenRequestLog({flags.database, flags.data_dir});
  if (!request_log.ok()) {
    spdlog::critical("{}", std::string(request_log.status().message()));
    return 1;
  }
  carescore::IdempotentWrites writes(**request_log);
  carescore::indicators::IndicatorGrpcService grpc_service(service, &gate, &writes);
  carescore::ServerInfoGrpcService server_info("carescore-indicators", flags.database, &gate);
  absl::Status served = carescore::ServeUntilSignal(
      *options, carescore::WithServerInfo(
                    std::vector<carescore::HostedService>{
                        {carescore::v1::IndicatorService::service_full_name(), &grpc_service},
                        {carescore::v1::AuditService::service_full_name(), &audit_grpc}},
                    server_info));
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
