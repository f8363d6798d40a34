#include "common/server_runner.h"

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/grpc_limits.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/support/method_handler.h"
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

// Server reflection per server, not per process: gRPC's
// InitProtoReflectionServerBuilderPlugin adds it to every server built
// afterwards, which would put it on the health-only listener and leave no
// way to turn it off.
class ReflectionOption final : public grpc::ServerBuilderOption {
 public:
  explicit ReflectionOption(bool enabled) : enabled_(enabled) {}
  void UpdateArguments(grpc::ChannelArguments* /*args*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    auto reflection = std::make_unique<grpc::reflection::ProtoServerReflectionPlugin>();
    const std::string name = reflection->name();
    std::erase_if(*plugins, [&name](const std::unique_ptr<grpc::ServerBuilderPlugin>& plugin) {
      return plugin->name() == name;
    });
    if (enabled_) plugins->push_back(std::move(reflection));
  }

 private:
  const bool enabled_;
};

void SetServing(grpc::Server& server, const std::vector<HostedService>& services, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  health->SetServingStatus(serving);
  for (const HostedService& hosted : services) health->SetServingStatus(hosted.name, serving);
}

// gRPC 1.51 builds no server whose only service is the default health
// service ("at least one of the completion queues must be frequently
// polled"): it runs on the sync server's queues, which exist only when a sync
// method does. This one method, which answers UNIMPLEMENTED like any unknown
// method, makes them exist.
class SyncPollerService final : public grpc::Service {
 public:
  SyncPollerService() {
    AddMethod(new grpc::internal::RpcServiceMethod(
        "/carescore.internal.HealthOnly/None", grpc::internal::RpcMethod::NORMAL_RPC,
        new grpc::internal::RpcMethodHandler<SyncPollerService, grpc::ByteBuffer, grpc::ByteBuffer>(
            [](SyncPollerService*, grpc::ServerContext*, const grpc::ByteBuffer*,
               grpc::ByteBuffer*) {
              return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this port serves health only");
            },
            this)));
  }
};

// The plaintext health-only listener: gRPC's default health service and
// nothing else, its statuses set alongside the main server's.
std::unique_ptr<grpc::Server> StartHealthServer(const std::string& address,
                                                SyncPollerService& poller) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&poller);
  builder.SetOption(std::make_unique<ReflectionOption>(false));
  SetMessageLimits(builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server != nullptr && port == 0) {
    server->Shutdown();
    server.reset();
  }
  return server;
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
  // The health-only port opens first: once the main port accepts a
  // connection (what supervisors and tests wait for), the probe port is
  // already listening too. It says NOT_SERVING until the main port is up.
  SyncPollerService poller;
  std::unique_ptr<grpc::Server> health_server;
  if (!options.health_listen.empty()) {
    health_server = StartHealthServer(options.health_listen, poller);
    if (health_server == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options.health_listen, " (--health-listen)"));
    }
    SetServing(*health_server, services, false);
  }
  grpc::ServerBuilder builder;
  int port = 0;
  const bool tls = options.credentials != nullptr;
  builder.AddListeningPort(options.listen,
                           tls ? options.credentials : grpc::InsecureServerCredentials(), &port);
  builder.SetOption(std::make_unique<ReflectionOption>(options.reflection));
  SetMessageLimits(builder);
  ConfigureSyncThreads(builder);
  for (const HostedService& hosted : services) builder.RegisterService(hosted.service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    if (server != nullptr) server->Shutdown();
    if (health_server != nullptr) health_server->Shutdown();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  if (on_started) on_started(*server, port);
  SetServing(*server, services, true);
  if (health_server != nullptr) SetServing(*health_server, services, true);
  spdlog::info("serving on {} (port {}, {}{})", options.listen, port, tls ? "TLS" : "plaintext",
               options.reflection ? ", reflection on" : "");
  if (health_server != nullptr) {
    spdlog::info("health alone, plaintext, on {}", options.health_listen);
  }

  sigset_t set = ShutdownSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info("received signal {}, shutting down (grace {}s)", signal_number,
               absl::ToDoubleSeconds(options.grace));
  SetServing(*server, services, false);
  if (health_server != nullptr) SetServing(*health_server, services, false);
  server->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(options.grace));
  server->Wait();
  // Probes see NOT_SERVING through the grace period, then the port closes.
  if (health_server != nullptr) {
    health_server->Shutdown(std::chrono::system_clock::now());
    health_server->Wait();
  }
  spdlog::info("stopped");
  return absl::OkStatus();
}

}  // namespace carescore
