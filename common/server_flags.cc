#include "common/server_flags.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/build_info.h"
#include "common/grpc_limits.h"
#include "common/logging.h"
#include "spdlog/spdlog.h"

namespace carescore {
namespace {

// A data folder made before (or by hand, 0755) becomes 0700 if it is ours;
// a shared sticky folder such as /tmp is left alone.
void RestrictDataDir(const std::string& dir) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
  if (st.st_uid != geteuid() || (st.st_mode & S_ISVTX) != 0) return;
  if ((st.st_mode & 0077) != 0) chmod(dir.c_str(), 0700);
}

}  // namespace

void AddServerFlags(CLI::App& app, ServerFlags& flags) {
  // The binary's name is its description's first word ("carescored: ...").
  const std::string& about = app.get_description();
  app.set_version_flag("--version", VersionLine(about.substr(0, about.find(':'))),
                       "Print the version and git commit, then exit");
  app.add_option("--listen", flags.listen, "Address to serve gRPC on, host:port")
      ->envname("CARESCORE_LISTEN")
      ->capture_default_str();
  app.add_option("--data-dir", flags.data_dir, "Folder for the embedded SQLite databases")
      ->envname("CARESCORE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--database", flags.database,
                 "PostgreSQL URL (postgresql://user@host:port/db) holding every store and the "
                 "audit log, for replicas; default: SQLite files in --data-dir")
      ->envname("CARESCORE_DATABASE");
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
  app.add_option("--tls-cert", flags.tls.cert,
                 "TLS certificate chain (PEM) for the listener; with --tls-key")
      ->envname("CARESCORE_TLS_CERT");
  app.add_option("--tls-key", flags.tls.key, "Private key (PEM) of --tls-cert")
      ->envname("CARESCORE_TLS_KEY");
  app.add_option("--tls-client-ca", flags.tls.client_ca,
                 "CA (PEM) that must have signed every client's certificate (mutual TLS)")
      ->envname("CARESCORE_TLS_CLIENT_CA");
  app.add_flag("--insecure-plaintext", flags.insecure_plaintext,
               "Allow plaintext on a non-loopback address and to non-loopback peers "
               "(a trusted network only)")
      ->envname("CARESCORE_INSECURE_PLAINTEXT");
  app.add_option("--health-listen", flags.health_listen,
                 "Also serve grpc.health.v1.Health alone, plaintext, on this host:port "
                 "(for probes that can do neither TLS nor tokens)")
      ->envname("CARESCORE_HEALTH_LISTEN");
  app.add_flag_function(
         "--reflection,!--no-reflection",
         [&flags](std::int64_t count) { flags.reflection = count > 0; },
         flags.reflection_on_loopback
             ? "Serve gRPC server reflection (default: on when listening on loopback)"
             : "Serve gRPC server reflection (default: off)")
      ->envname("CARESCORE_REFLECTION");
}

void AddVersionLeaseFlag(CLI::App& app, double& milliseconds) {
  app.add_option("--version-lease-ms", milliseconds,
                 "How long other services may hold a data version before asking again; "
                 "writes are answered that long after they commit (0: never held)")
      ->envname("CARESCORE_VERSION_LEASE_MS")
      ->check(CLI::Range(0.0, 10000.0))
      ->capture_default_str();
}

void AddPeerFlag(CLI::App& app, ServerFlags& flags, const std::string& flag, const std::string& env,
                 const std::string& description, std::string& address) {
  CLI::Option* option = app.add_option(flag, address, description)->envname(env);
  if (!address.empty()) option->capture_default_str();
  flags.peers.emplace_back(flag, &address);
  if (app.get_option_no_throw("--peer-tls-ca") != nullptr) return;
  app.add_option("--peer-tls-ca", flags.peer_tls.ca,
                 "CA (PEM) to verify the other services' certificates: peer channels use TLS")
      ->envname("CARESCORE_PEER_TLS_CA");
  app.add_option("--peer-tls-cert", flags.peer_tls.cert,
                 "Client certificate (PEM) presented to the other services (mutual TLS)")
      ->envname("CARESCORE_PEER_TLS_CERT");
  app.add_option("--peer-tls-key", flags.peer_tls.key, "Private key (PEM) of --peer-tls-cert")
      ->envname("CARESCORE_PEER_TLS_KEY");
}

std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address,
                                           const ServerOptions& options) {
  return grpc::CreateCustomChannel(address,
                                   options.peer_credentials != nullptr
                                       ? options.peer_credentials
                                       : grpc::InsecureChannelCredentials(),
                                   LimitedChannelArguments());
}

absl::StatusOr<ServerOptions> PrepareServer(const ServerFlags& flags) {
  absl::Status logging = ConfigureLogging(flags.log_format, flags.log_level);
  if (!logging.ok()) return logging;
  ServerOptions options;
  // Security first, so that a refused start leaves nothing behind.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFor(flags.tls, flags.listen, flags.insecure_plaintext);
  if (!credentials.ok()) return credentials.status();
  // Null credentials mean plaintext to ServeUntilSignal.
  if (!flags.tls.cert.empty()) options.credentials = *std::move(credentials);
  const bool loopback = IsLoopbackAddress(flags.listen);
  if (flags.tls.cert.empty() && !loopback) {
    spdlog::warn(
        "--insecure-plaintext: serving plaintext on {}; calls, tokens and data cross the "
        "network unencrypted. Give --tls-cert and --tls-key outside a trusted network",
        flags.listen);
  }
  if (PeerTlsEnabled(flags.peer_tls)) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> peer =
        PeerCredentialsFor(flags.peer_tls);
    if (!peer.ok()) return peer.status();
    options.peer_credentials = *std::move(peer);
  } else {
    for (const auto& [flag, address] : flags.peers) {
      if (address->empty()) continue;
      absl::Status allowed = CheckPlaintextPeer(flag, *address, flags.insecure_plaintext);
      if (!allowed.ok()) return allowed;
      if (!IsLoopbackAddress(*address)) {
        spdlog::warn("--insecure-plaintext: plaintext channel to {} {}", flag, *address);
      }
    }
  }
  if (!flags.database.empty() && !absl::StartsWith(flags.database, "postgresql://") &&
      !absl::StartsWith(flags.database, "postgres://")) {
    return absl::InvalidArgumentError(
        "--database: expected a PostgreSQL URL, postgresql://user@host:port/database");
  }
  options.health_listen = flags.health_listen;
  options.reflection = flags.reflection.value_or(flags.reflection_on_loopback && loopback);
  // Data about children: every file this process creates (databases, their
  // -wal and -shm, keys) is the owner's alone, and so is the data folder.
  umask(077);
  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create data dir ", flags.data_dir, ": ", ec.message()));
  }
  RestrictDataDir(flags.data_dir);
  options.listen = flags.listen;
  options.grace = absl::Seconds(flags.shutdown_grace_seconds);
  return options;
}

}  // namespace carescore
