#ifndef CARESCORE_COMMON_SERVER_FLAGS_H_
#define CARESCORE_COMMON_SERVER_FLAGS_H_

// The command-line flags every server binary shares, with their
// environment variables: --listen (CARESCORE_LISTEN), --data-dir
// (CARESCORE_DATA_DIR), --database (CARESCORE_DATABASE), --log-format (CARESCORE_LOG_FORMAT),
// --log-level (CARESCORE_LOG_LEVEL), --shutdown-grace; the listener's security:
// --tls-cert, --tls-key, --tls-client-ca (CARESCORE_TLS_CERT, _KEY,
// _CLIENT_CA), --insecure-plaintext (CARESCORE_INSECURE_PLAINTEXT),
// --health-listen (CARESCORE_HEALTH_LISTEN), --reflection/--no-reflection
// (CARESCORE_REFLECTION); and, for binaries that call other services, the
// peer flags and --peer-tls-ca, --peer-tls-cert, --peer-tls-key
// (CARESCORE_PEER_TLS_CA, _CERT, _KEY).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/server_runner.h"
#include "common/transport_security.h"
#include "grpcpp/grpcpp.h"

namespace carescore {

struct ServerFlags {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "carescore-data";
  // A PostgreSQL URL: every store and the audit log live there (replicas
  // share it); empty: SQLite files in data_dir.
  std::string database;
  std::string log_format = "text";
  std::string log_level = "info";
  double shutdown_grace_seconds = 10;
  ServerTlsFiles tls;
  // Plaintext allowed on a non-loopback address (with a warning at start).
  bool insecure_plaintext = false;
  // A second, plaintext listener serving only grpc.health.v1.Health.
  std::string health_listen;
  // --reflection / --no-reflection; unset: on only if `reflection_on_loopback`
  // and the listen address is loopback.
  std::optional<bool> reflection;
  // Set by the binary before parsing (carescored, the embedded default).
  bool reflection_on_loopback = false;
  // Added by the first AddPeerFlag.
  PeerTlsFiles peer_tls;
  // Each peer flag and the address variable it fills (borrowed from main),
  // checked against the plaintext rule by PrepareServer.
  std::vector<std::pair<std::string, const std::string*>> peers;
};

void AddServerFlags(CLI::App& app, ServerFlags& flags);

// --version-lease-ms (CARESCORE_VERSION_LEASE_MS) for the services whose
// versions others cache (common/version_lease.h). Read `milliseconds`
// after parsing; it holds the default until then.
void AddVersionLeaseFlag(CLI::App& app, double& milliseconds);
inline constexpr double kDefaultVersionLeaseMs = 100;

// --FLAG HOST:PORT (env ENV) for another service this one calls; `address`
// holds the default (carescored's own address) until parsing and must
// outlive `flags`. The first call also adds the --peer-tls-* flags.
void AddPeerFlag(CLI::App& app, ServerFlags& flags, const std::string& flag, const std::string& env,
                 const std::string& description, std::string& address);

// A channel to another service at HOST:PORT, with the peer credentials
// PrepareServer made (TLS when --peer-tls-ca or a client certificate was
// given, else plaintext) and the message limits of common/grpc_limits.h.
std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address,
                                           const ServerOptions& options);

// What every server does once its flags are parsed: configures logging,
// creates the data folder, and loads the TLS files. Returns the options to
// serve with; InvalidArgument for a bad logging flag or TLS file,
// FailedPrecondition for plaintext on a non-loopback listener or peer
// without --insecure-plaintext (the message names the flag to give),
// Unavailable if the folder cannot be created.
absl::StatusOr<ServerOptions> PrepareServer(const ServerFlags& flags);

}  // namespace carescore

#endif  // CARESCORE_COMMON_SERVER_FLAGS_H_
