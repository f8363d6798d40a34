// carescore-reports: the report assembly service on its own, for
// containers. It reads from the indicator and benchmarking services.

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
#include "services/benchmarks/grpc_benchmark_reader.h"
#include "services/escalations/grpc_escalation_reader.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/reports/cache_flag.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_service.h"
#include "services/stores/open_stores.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescore-reports: monthly scorecard and reports"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  std::string indicators_address = "127.0.0.1:50051";
  std::string benchmarks_address = "127.0.0.1:50051";
  carescore::AddPeerFlag(app, flags, "--indicators", "CARESCORE_INDICATORS",
                         "The indicator service, host:port", indicators_address);
  carescore::AddPeerFlag(app, flags, "--benchmarks", "CARESCORE_BENCHMARKS",
                         "The benchmarking service, host:port", benchmarks_address);
  std::string escalations_target;
  carescore::AddPeerFlag(app, flags, "--escalations", "CARESCORE_ESCALATIONS",
                         "The escalation service, host:port (default: reports leave out IRO "
                         "figures)",
                         escalations_target);
  carescore::reports::ReportFlags report_flags;
  carescore::reports::AddReportFlags(app, report_flags);
  carescore::auth::AuthFlags auth_flags;
  carescore::auth::AddAuthFlags(app, auth_flags, /*calls_peers=*/true);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<carescore::auth::Auth>> auth = carescore::auth::MakeAuth(
      auth_flags, flags.data_dir, {"carescore-reports", "audit-reports.db", true, false},
      flags.database);
  if (!auth.ok()) {
    spdlog::critical("{}", std::string(auth.status().message()));
    return 2;
  }
  carescore::auth::AuthGate& gate = (*auth)->gate();
  carescore::audit::AuditGrpcService audit_grpc((*auth)->audit_log(), &gate);
  const carescore::ChannelSlot::MetadataSource identity =
      carescore::auth::PeerCallMetadataSource(*(*auth)->service_token());
  carescore::ChannelSlot indicators_channel;
  indicators_channel.SetCallMetadata(identity);
  indicators_channel.Set(carescore::PeerChannel(indicators_address, *options));
  carescore::ChannelSlot benchmarks_channel;
  benchmarks_channel.SetCallMetadata(identity);
  benchmarks_channel.Set(carescore::PeerChannel(benchmarks_address, *options));
  carescore::indicators::GrpcIndicatorReader indicators(indicators_channel);
  carescore::benchmarks::GrpcBenchmarkReader benchmarks(benchmarks_channel);
  absl::StatusOr<std::unique_ptr<carescore::reports::ScorecardCache>> cache =
      carescore::reports::MakeCache(report_flags, flags.data_dir);
  if (!cache.ok()) {
    spdlog::critical("{}", std::string(cache.status().message()));
    return 2;
  }
  auto commentary = carescore::stores::OpenCommentaryStore({flags.database, flags.data_dir});
  if (!commentary.ok()) {
    spdlog::critical("{}", std::string(commentary.status().message()));
    return 1;
  }
  carescore::ChannelSlot escalations_channel;
  escalations_channel.SetCallMetadata(identity);
  carescore::escalations::GrpcEscalationReader escalations(escalations_channel);
  carescore::reports::ReportDependencies deps;
  deps.cache = cache->get();
  deps.commentary = commentary->get();
  deps.chromium = report_flags.chromium;
  if (!escalations_target.empty()) {
    escalations_channel.Set(carescore::PeerChannel(escalations_target, *options));
    deps.escalations = &escalations;
  }
  carescore::reports::ReportService service(indicators, benchmarks, deps);
  auto request_log = carescore::stores::OpenRequestLog({flags.database, flags.data_dir});
  if (!request_log.ok()) {
    spdlog::critical("{}", std::string(request_log.status().message()));
    return 1;
  }
  carescore::IdempotentWrites writes(**request_log);
  carescore::reports::ReportGrpcService grpc_service(
      service, carescore::reports::kDefaultScorecardThreads, &gate, &writes);
  carescore::ServerInfoGrpcService server_info("carescore-reports", flags.database, &gate);
  absl::Status served = carescore::ServeUntilSignal(
      *options, carescore::WithServerInfo(
                    std::vector<carescore::HostedService>{
                        {carescore::v1::ReportService::service_full_name(), &grpc_service},
                        {carescore::v1::AuditService::service_full_name(), &audit_grpc}},
                    server_info));
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
