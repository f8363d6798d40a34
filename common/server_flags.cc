#include "common/server_flags.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace carescore {

void AddServerFlags(CLI::App& app, ServerFlags& flags) {
  app.add_option("--listen", flags.listen, "Address to serve gRPC on, host:port")
      ->envname("CARESCORE_LISTEN")
      ->capture_default_str();
  app.add_option("--data-dir", flags.data_dir, "Folder for the embedded SQLite databases")
      ->envname("CARESCORE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--log-format", flags.log_format, "text or json")
      ->envname("CARESCORE_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error")
      ->envname("CARESCORE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--shutdown-grace", flags.shutdown_grace_seconds,
                 "Seconds in-flight calls get to finish on SIGTERM")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

void AddVersionLeaseFlag(CLI::App& app, double& milliseconds) {
  app.add_option("--version-lease-ms", milliseconds,
                 "How long other services may hold a data version before asking again; "
                 "writes are answered that long after they commit (0: never held)")
      ->envname("CARESCORE_VERSION_LEASE_MS")
      ->check(CLI::Range(0.0, 10000.0))
      ->capture_default_str();
}

void AddPeerFlag(CLI::App& app, const std::string& flag, const std::string& env,
                 const std::string& description, std::string& address) {
  CLI::Option* option = app.add_option(flag, address, description)->envname(env);
  if (!address.empty()) option->capture_default_str();
}

std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

absl::StatusOr<ServerOptions> PrepareServer(const ServerFlags& flags) {
  absl::Status logging = ConfigureLogging(flags.log_format, flags.log_level);
  if (!logging.ok()) return logging;
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create data dir ", flags.data_dir, ": ", ec.message()));
  }
  ServerOptions options;
  options.listen = flags.listen;
  options.grace = absl::Seconds(flags.shutdown_grace_seconds);
  return options;
}

}  // namespace carescore
