// carescore-reports: the report assembly service on its own, for
// containers. It reads from the indicator and benchmarking services.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/channel_slot.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "grpcpp/grpcpp.h"
#include "services/benchmarks/benchmark_client.h"
#include "services/indicators/indicator_client.h"
#include "services/escalations/escalation_client.h"
#include "services/reports/cache_flag.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescore-reports: monthly scorecard and reports"};
  carescore::ServerFlags flags;
  carescore::AddServerFlags(app, flags);
  std::string indicators_address = "127.0.0.1:50051";
  std::string benchmarks_address = "127.0.0.1:50051";
  app.add_option("--indicators", indicators_address, "The indicator service, host:port")
      ->envname("CARESCORE_INDICATORS")
      ->capture_default_str();
  app.add_option("--benchmarks", benchmarks_address, "The benchmarking service, host:port")
      ->envname("CARESCORE_BENCHMARKS")
      ->capture_default_str();
  std::string escalations_target;
  app.add_option("--escalations", escalations_target,
                 "The escalation service, host:port (default: reports leave out IRO figures)")
      ->envname("CARESCORE_ESCALATIONS");
  carescore::reports::ReportFlags report_flags;
  carescore::reports::AddReportFlags(app, report_flags);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  carescore::ChannelSlot indicators_channel;
  indicators_channel.Set(
      grpc::CreateChannel(indicators_address, grpc::InsecureChannelCredentials()));
  carescore::ChannelSlot benchmarks_channel;
  benchmarks_channel.Set(
      grpc::CreateChannel(benchmarks_address, grpc::InsecureChannelCredentials()));
  carescore::indicators::GrpcIndicatorReader indicators(indicators_channel);
  carescore::benchmarks::GrpcBenchmarkReader benchmarks(benchmarks_channel);
  absl::StatusOr<std::unique_ptr<carescore::reports::ScorecardCache>> cache =
      carescore::reports::MakeCache(report_flags.redis);
  if (!cache.ok()) {
    spdlog::critical("{}", std::string(cache.status().message()));
    return 2;
  }
  const std::string path = (std::filesystem::path(flags.data_dir) / "reports.db").string();
  auto commentary = carescore::reports::SqliteCommentaryStore::Open(path);
  if (!commentary.ok()) {
    spdlog::critical("cannot open {}: {}", path, std::string(commentary.status().message()));
    return 1;
  }
  carescore::ChannelSlot escalations_channel;
  carescore::escalations::GrpcEscalationReader escalations(escalations_channel);
  carescore::reports::ReportDependencies deps;
  deps.cache = cache->get();
  deps.commentary = commentary->get();
  deps.chromium = report_flags.chromium;
  if (!escalations_target.empty()) {
    escalations_channel.Set(
        grpc::CreateChannel(escalations_target, grpc::InsecureChannelCredentials()));
    deps.escalations = &escalations;
  }
  carescore::reports::ReportService service(indicators, benchmarks, deps);
  carescore::reports::ReportGrpcService grpc_service(service);
  absl::Status served = carescore::ServeUntilSignal(
      *options, {{carescore::v1::ReportService::service_full_name(), &grpc_service}});
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
