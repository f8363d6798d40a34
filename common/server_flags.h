#ifndef CARESCORE_COMMON_SERVER_FLAGS_H_
#define CARESCORE_COMMON_SERVER_FLAGS_H_

// The command-line flags every server binary shares, with their
// environment variables: --listen (CARESCORE_LISTEN), --data-dir
// (CARESCORE_DATA_DIR), --log-format (CARESCORE_LOG_FORMAT), --log-level
// (CARESCORE_LOG_LEVEL), --shutdown-grace.

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/server_runner.h"
#include "grpcpp/grpcpp.h"

namespace carescore {

struct ServerFlags {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "carescore-data";
  std::string log_format = "text";
  std::string log_level = "info";
  double shutdown_grace_seconds = 10;
};

void AddServerFlags(CLI::App& app, ServerFlags& flags);

// --version-lease-ms (CARESCORE_VERSION_LEASE_MS) for the services whose
// versions others cache (common/version_lease.h). Read `milliseconds`
// after parsing; it holds the default until then.
void AddVersionLeaseFlag(CLI::App& app, double& milliseconds);
inline constexpr double kDefaultVersionLeaseMs = 100;

// --FLAG HOST:PORT (env ENV) for another service this one calls; `address`
// holds the default (carescored's own address) until parsing.
void AddPeerFlag(CLI::App& app, const std::string& flag, const std::string& env,
                 const std::string& description, std::string& address);

// A channel to another service at HOST:PORT (plaintext, as within a cluster).
std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address);

// What every server does once its flags are parsed: configures logging and
// creates the data folder. Returns the options to serve with;
// InvalidArgument for a bad logging flag, Unavailable if the folder cannot
// be created.
absl::StatusOr<ServerOptions> PrepareServer(const ServerFlags& flags);

}  // namespace carescore

#endif  // CARESCORE_COMMON_SERVER_FLAGS_H_
