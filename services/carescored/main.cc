// carescored: every carescore service in one process, on embedded SQLite
// databases in --data-dir. The default for one machine. Services call each
// other through their gRPC APIs over the server's in-process channel, the
// same client code as across containers.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/auth/auth_flags.h"
#include "common/channel_slot.h"
#include "common/grpc_limits.h"
#include "common/server_flags.h"
#include "common/server_runner.h"
#include "services/audit/audit_grpc_service.h"
#include "services/benchmarks/benchmark_grpc_service.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/grpc_benchmark_reader.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/escalations/escalation_grpc_service.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/grpc_escalation_reader.h"
#include "services/escalations/ladder_flag.h"
#include "services/escalations/policy_flags.h"
#include "services/escalations/sqlite_escalation_store.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/cache_flag.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_service.h"
#include "spdlog/spdlog.h"

namespace {

template <typename T>
bool Opened(const absl::StatusOr<T>& store, const char* name) {
  if (store.ok()) return true;
  spdlog::critical("{} store: {}", name, std::string(store.status().message()));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  carescore::BlockShutdownSignals();
  CLI::App app{"carescored: all carescore services in one process"};
  carescore::ServerFlags flags;
  flags.reflection_on_loopback = true;  // The embedded default, for grpcurl on one machine.
  carescore::AddServerFlags(app, flags);
  double lease_ms = carescore::kDefaultVersionLeaseMs;
  carescore::AddVersionLeaseFlag(app, lease_ms);
  std::string ladder_file;
  carescore::escalations::AddLadderFlag(app, ladder_file);
  carescore::escalations::PolicyFlags policy_flags;
  carescore::escalations::AddPolicyFlags(app, policy_flags);
  carescore::reports::ReportFlags report_flags;
  carescore::reports::AddReportFlags(app, report_flags);
  carescore::auth::AuthFlags auth_flags;
  carescore::auth::AddAuthFlags(app, auth_flags, /*calls_peers=*/false);
  CLI11_PARSE(app, argc, argv);
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  const std::filesystem::path dir(flags.data_dir);
  absl::StatusOr<std::unique_ptr<carescore::auth::Auth>> auth =
      carescore::auth::MakeAuth(auth_flags, flags.data_dir, {"carescored", "audit.db", true, true});
  if (!auth.ok()) {
    spdlog::critical("{}", std::string(auth.status().message()));
    return 2;
  }
  carescore::auth::AuthGate& gate = (*auth)->gate();
  carescore::audit::AuditGrpcService audit_grpc((*auth)->audit_log(), &gate);

  auto indicator_store =
      carescore::indicators::SqliteIndicatorStore::Open((dir / "indicators.db").string());
  if (!Opened(indicator_store, "indicators")) return 1;
  carescore::indicators::IndicatorService indicators(**indicator_store,
                                                     absl::Milliseconds(lease_ms));
  carescore::indicators::IndicatorGrpcService indicators_grpc(indicators, &gate);

  carescore::ChannelSlot in_process;
  in_process.SetCallMetadata(carescore::auth::PeerCallMetadataSource(*(*auth)->service_token()));
  carescore::indicators::GrpcIndicatorReader indicator_reader(in_process);

  auto benchmark_store =
      carescore::benchmarks::SqliteBenchmarkStore::Open((dir / "benchmarks.db").string());
  if (!Opened(benchmark_store, "benchmarks")) return 1;
  carescore::benchmarks::BenchmarkService benchmarks(**benchmark_store, indicator_reader,
                                                     absl::Milliseconds(lease_ms));
  carescore::benchmarks::BenchmarkGrpcService benchmarks_grpc(benchmarks, &gate);

  absl::StatusOr<carescore::escalations::Ladder> ladder =
      carescore::escalations::LoadLadder(ladder_file);
  if (!ladder.ok()) {
    spdlog::critical("{}", std::string(ladder.status().message()));
    return 2;
  }
  absl::StatusOr<carescore::escalations::EscalationPolicy> policy =
      carescore::escalations::MakePolicy(policy_flags);
  if (!policy.ok()) {
    spdlog::critical("{}", std::string(policy.status().message()));
    return 2;
  }
  auto escalation_store =
      carescore::escalations::SqliteEscalationStore::Open((dir / "escalations.db").string());
  if (!Opened(escalation_store, "escalations")) return 1;
  carescore::escalations::ChangeFeed escalation_feed;
  carescore::escalations::EscalationService escalations(**escalation_store, indicator_reader,
                                                        *std::move(ladder), escalation_feed,
                                                        *std::move(policy));
  carescore::escalations::EscalationGrpcService escalations_grpc(escalations, &gate);

  carescore::benchmarks::GrpcBenchmarkReader benchmark_reader(in_process);
  absl::StatusOr<std::unique_ptr<carescore::reports::ScorecardCache>> cache =
      carescore::reports::MakeCache(report_flags, flags.data_dir);
  if (!cache.ok()) {
    spdlog::critical("{}", std::string(cache.status().message()));
    return 2;
  }
  auto commentary_store =
      carescore::reports::SqliteCommentaryStore::Open((dir / "reports.db").string());
  if (!Opened(commentary_store, "reports")) return 1;
  carescore::escalations::GrpcEscalationReader escalation_reader(in_process);
  carescore::reports::ReportDependencies report_deps;
  report_deps.cache = cache->get();
  report_deps.commentary = commentary_store->get();
  report_deps.escalations = &escalation_reader;
  report_deps.chromium = report_flags.chromium;
  carescore::reports::ReportService reports(indicator_reader, benchmark_reader, report_deps);
  carescore::reports::ReportGrpcService reports_grpc(
      reports, carescore::reports::kDefaultScorecardThreads, &gate);

  spdlog::info("carescored data in {}", flags.data_dir);
  absl::Status served = carescore::ServeUntilSignal(
      *options,
      {{carescore::v1::IndicatorService::service_full_name(), &indicators_grpc},
       {carescore::v1::BenchmarkService::service_full_name(), &benchmarks_grpc},
       {carescore::v1::EscalationService::service_full_name(), &escalations_grpc},
       {carescore::v1::ReportService::service_full_name(), &reports_grpc},
       {carescore::v1::AuditService::service_full_name(), &audit_grpc}},
      [&in_process](grpc::Server& server, int /*port*/) {
        in_process.Set(server.InProcessChannel(carescore::LimitedChannelArguments()));
      });
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
