#ifndef CARESCORE_COMMON_SERVER_RUNNER_H_
#define CARESCORE_COMMON_SERVER_RUNNER_H_

// Runs a gRPC server the way every carescore binary does: the standard
// health service (grpc.health.v1) and, when asked, server reflection,
// listening on one address with the given credentials (TLS or plaintext)
// and the message limits of common/grpc_limits.h, and optionally a second,
// plaintext listener serving health alone; until SIGINT or SIGTERM; then
// health turns NOT_SERVING on both, new calls are refused and in-flight
// calls get `grace` to finish before being cancelled. Stores commit each
// write in one transaction, so a cancelled call leaves nothing half-written.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace carescore {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  absl::Duration grace = absl::Seconds(10);
  // The listener's credentials; null means plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // host:port of the plaintext health-only listener; empty for none.
  std::string health_listen;
  bool reflection = false;
  // For PeerChannel (common/server_flags.h); null means plaintext.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
};

// A service to host, with its full name ("carescore.v1.IndicatorService")
// for per-service health checks.
struct HostedService {
  std::string name;
  grpc::Service* service;  // Borrowed.
};

// Thread settings of the sync server, as every carescore server has them
// (kept idle threads rather than a thread made and ended per burst).
void ConfigureSyncThreads(grpc::ServerBuilder& builder);

// Blocks SIGINT and SIGTERM in the calling thread and every thread it later
// starts, so that ServeUntilSignal can wait for them. Call first in main.
void BlockShutdownSignals();

// Serves `services` until a shutdown signal; health answers SERVING for ""
// and for each service's name while serving. `on_started` (optional) runs
// once the server has started and before health says SERVING, with the
// server (for its in-process channel) and the bound port. Unavailable if
// either address cannot be bound.
[[nodiscard]] absl::Status ServeUntilSignal(
    const ServerOptions& options, const std::vector<HostedService>& services,
    const std::function<void(grpc::Server&, int port)>& on_started = {});

}  // namespace carescore

#endif  // CARESCORE_COMMON_SERVER_RUNNER_H_
