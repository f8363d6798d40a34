// carescored: every carescore service in one process, on embedded SQLite
// databases in --data-dir (the default for one machine), or on PostgreSQL
// with --database, where several carescored replicas share the state. Services call each
// other through their gRPC APIs over the server's in-process channel, the
// same client code as across containers.

#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "common/auth/auth_flags.h"
#include "common/channel_slot.h"
#include "common/grpc_limits.h"
#include "common/server_flags.h"
#include "common/server_info_service.h"
#include "common/server_runner.h"
#include "services/admin/admin_grpc_service.h"
#include "services/admin/restore.h"
#include "services/audit/audit_grpc_service.h"
#include "services/benchmarks/benchmark_grpc_service.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/grpc_benchmark_reader.h"
#include "services/escalations/escalation_grpc_service.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/grpc_escalation_reader.h"
#include "services/escalations/ladder_flag.h"
#include "services/escalations/pg_change_relay.h"
#include "services/escalations/policy_flags.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/indicator_service.h"
#include "services/reports/cache_flag.h"
#include "services/reports/report_grpc_service.h"
#include "services/reports/report_service.h"
#include "services/stores/open_stores.h"
#include "spdlog/spdlog.h"

namespace {

template <typename T>
bool Opened(const absl::StatusOr<T>& store) {
  if (store.ok()) return true;
  spdlog::critical("{}", std::string(store.status().message()));
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
  std::string restore_file;
  app.add_option("--restore", restore_file,
                 "Restore a backup archive (carescore admin backup) into --data-dir, which must "
                 "hold no database, then exit without serving");
  CLI11_PARSE(app, argc, argv);
  if (!restore_file.empty()) {
    return carescore::admin::RunRestore(restore_file, flags.data_dir, flags.database, std::cout,
                                        std::cerr);
  }
  absl::StatusOr<carescore::ServerOptions> options = carescore::PrepareServer(flags);
  if (!options.ok()) {
    std::cerr << options.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<carescore::auth::Auth>> auth = carescore::auth::MakeAuth(
      auth_flags, flags.data_dir, {"carescored", "audit.db", true, true}, flags.database);
  if (!auth.ok()) {
    spdlog::critical("{}", std::string(auth.status().message()));
    return 2;
  }
  carescore::auth::AuthGate& gate = (*auth)->gate();
  carescore::audit::AuditGrpcService audit_grpc((*auth)->audit_log(), &gate);
  carescore::admin::BackupService backups({flags.database, flags.data_dir, auth_flags.audit_log});
  carescore::admin::AdminGrpcService admin_grpc(backups, &gate);

  const carescore::stores::StoreLocation where{flags.database, flags.data_dir};
  auto request_log = carescore::stores::OpenRequestLog(where);
  if (!Opened(request_log)) return 1;
  carescore::IdempotentWrites writes(**request_log);
  auto indicator_store = carescore::stores::OpenIndicatorStore(where);
  if (!Opened(indicator_store)) return 1;
  carescore::indicators::IndicatorService indicators(**indicator_store,
                                                     absl::Milliseconds(lease_ms));
  carescore::indicators::IndicatorGrpcService indicators_grpc(indicators, &gate, &writes);

  carescore::ChannelSlot in_process;
  in_process.SetCallMetadata(carescore::auth::PeerCallMetadataSource(*(*auth)->service_token()));
  carescore::indicators::GrpcIndicatorReader indicator_reader(in_process);

  auto benchmark_store = carescore::stores::OpenBenchmarkStore(where);
  if (!Opened(benchmark_store)) return 1;
  carescore::benchmarks::BenchmarkService benchmarks(**benchmark_store, indicator_reader,
                                                     absl::Milliseconds(lease_ms));
  carescore::benchmarks::BenchmarkGrpcService benchmarks_grpc(benchmarks, &gate, &writes);

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
  auto escalation_store = carescore::stores::OpenEscalationStore(where);
  if (!Opened(escalation_store)) return 1;
  carescore::escalations::ChangeFeed escalation_feed;
  // Replicas on one database see each other's changes (LISTEN/NOTIFY).
  std::unique_ptr<carescore::escalations::PgChangeRelay> escalation_relay;
  if (!flags.database.empty()) {
    auto relay = carescore::escalations::PgChangeRelay::Start(flags.database, escalation_feed,
                                                              **escalation_store);
    if (!Opened(relay)) return 1;
    escalation_relay = *std::move(relay);
  }
  carescore::escalations::EscalationService escalations(**escalation_store, indicator_reader,
                                                        *std::move(ladder), escalation_feed,
                                                        *std::move(policy));
  carescore::escalations::EscalationGrpcService escalations_grpc(escalations, &gate, &writes);

  carescore::benchmarks::GrpcBenchmarkReader benchmark_reader(in_process);
  absl::StatusOr<std::unique_ptr<carescore::reports::ScorecardCache>> cache =
      carescore::reports::MakeCache(report_flags, flags.data_dir);
  if (!cache.ok()) {
    spdlog::critical("{}", std::string(cache.status().message()));
    return 2;
  }
  auto commentary_store = carescore::stores::OpenCommentaryStore(where);
  if (!Opened(commentary_store)) return 1;
  carescore::escalations::GrpcEscalationReader escalation_reader(in_process);
  carescore::reports::ReportDependencies report_deps;
  report_deps.cache = cache->get();
  report_deps.commentary = commentary_store->get();
  report_deps.escalations = &escalation_reader;
  report_deps.chromium = report_flags.chromium;
  carescore::reports::ReportService reports(indicator_reader, benchmark_reader, report_deps);
  carescore::reports::ReportGrpcService reports_grpc(
      reports, carescore::reports::kDefaultScorecardThreads, &gate, &writes);

  spdlog::info("carescored data in {}", flags.data_dir);
  carescore::ServerInfoGrpcService server_info("carescored", flags.database, &gate);
  absl::Status served = carescore::ServeUntilSignal(
      *options,
      carescore::WithServerInfo(
          std::vector<carescore::HostedService>{
              {carescore::v1::IndicatorService::service_full_name(), &indicators_grpc},
              {carescore::v1::BenchmarkService::service_full_name(), &benchmarks_grpc},
              {carescore::v1::EscalationService::service_full_name(), &escalations_grpc},
              {carescore::v1::ReportService::service_full_name(), &reports_grpc},
              {carescore::v1::AuditService::service_full_name(), &audit_grpc},
              {carescore::v1::AdminService::service_full_name(), &admin_grpc}},
          server_info),
      [&in_process](grpc::Server& server, int /*port*/) {
        in_process.Set(server.InProcessChannel(carescore::LimitedChannelArguments()));
      });
  if (!served.ok()) {
    spdlog::critical("{}", std::string(served.message()));
    return 1;
  }
  return 0;
}
