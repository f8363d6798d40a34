// carescore-benchmarks: the benchmarking service on its own, for
// containers. It reads values from the indicator service at --indicators.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/auth/auth_flags.h"
#include "common/channel_slot.h"
#include "common/server_flags.h"
#include "common/server_info_service.h"
#include "common/server_runner.h"
#include "grpcpp/grpcpp.h"
#include "services/audit/audit_grpc_service.h"
#include "services/benchmarks/benchmark_grpc_service.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/stores/open_stores.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescore-benchmarks: benchmarking service"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  double lease_ms = carescore::kDefaultVersionLeaseMs;
  carescore::AddVersionLeaseFlag(app, lease_ms);
  std::string indicators_address = "127.0.0.1:50051";
  carescore::AddPeerFlag(app, flags, "--indicators", "CARESCORE_INDICATORS",
                         "The indicator service, host:port", indicators_address);
  carescore::auth::AuthFlags auth_flags;
  carescore::auth::AddAuthFlags(app, auth_flags, /*calls_peers=*/true);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<carescore::auth::Auth>> auth = carescore::auth::MakeAuth(
      auth_flags, flags.data_dir, {"carescore-benchmarks", "audit-benchmarks.db", true, false},
      flags.database);
  if (!auth.ok()) {
    spdlog::critical("{}", std::string(auth.status().message()));
    return 2;
  }
  carescore::auth::AuthGate& gate = (*auth)->gate();
  carescore::audit::AuditGrpcService audit_grpc((*auth)->audit_log(), &gate);
  auto store = carescore::stores::OpenBenchmarkStore({flags.database, flags.data_dir});
  if (!store.ok()) {
    spdlog::critical("{}", std::string(store.status().message()));
    return 1;
  }
  carescore::ChannelSlot indicators_channel;
  indicators_channel.Set(carescore::PeerChannel(indicators_address, *options));
  indicators_channel.SetCallMetadata(
      carescore::auth::PeerCallMetadataSource(*(*auth)->service_token()));
  carescore::indicators::GrpcIndicatorReader indicators(indicators_channel);
  carescore::benchmarks::BenchmarkService service(**store, indicators,
                                                  absl::Milliseconds(lease_ms));
  auto request_log = carescore::stores::OpenRequestLog({flags.database, flags.data_dir});
  if (!request_log.ok()) {
    spdlog::critical("{}", std::string(request_log.status().message()));
    return 1;
  }
  carescore::IdempotentWrites writes(**request_log);
  carescore::benchmarks::BenchmarkGrpcService grpc_service(service, &gate, &writes);
  carescore::ServerInfoGrpcService server_info("carescore-benchmarks", flags.database, &gate);
  absl::Status served = carescore::ServeUntilSignal(
      *options, carescore::WithServerInfo(
                    std::vector<carescore::HostedService>{
                        {carescore::v1::BenchmarkService::service_full_name(), &grpc_service},
                        {carescore::v1::AuditService::service_full_name(), &audit_grpc}},
                    server_info));
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
