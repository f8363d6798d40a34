#include "common/server_runner.h"

#include <chrono>
#include <csignal>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "spdlog/spdlog.h"

namespace carescore {
namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void ConfigureSyncThreads(grpc::ServerBuilder& builder) {
  // Debian's Abseil checks every mutex acquisition for lock-order cycles (a
  // debugging aid); it showed in the scorecard benchmark's profile.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // gRPC's sync server makes a thread when its pollers are all busy and
  // ends it when more than MAX_POLLERS are idle. With the default of two,
  // every burst of calls (a scorecard makes about ten to the other
  // services) creates and destroys threads; keeping more idle halved the
  // cost of a cold scorecard in tests/bench/scorecard_bench.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
}

absl::Status ServeUntilSignal(const ServerOptions& options,
                              const std::vector<HostedService>& services,
                              const std::function<void(grpc::Server&, int port)>& on_started) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  ConfigureSyncThreads(builder);
  for (const HostedService& hosted : services) builder.RegisterService(hosted.service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  if (on_started) on_started(*server, port);
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const HostedService& hosted : services) health->SetServingStatus(hosted.name, true);
  spdlog::info("serving on {} (port {})", options.listen, port);

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info("received signal {}, shutting down (grace {}s)", signal_number,
               absl::ToDoubleSeconds(options.grace));
  health->SetServingStatus(false);
  for (const HostedService& hosted : services) health->SetServingStatus(hosted.name, false);
  server->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(options.grace));
  server->Wait();
  spdlog::info("stopped");
  return absl::OkStatus();
}

}  // namespace carescore
