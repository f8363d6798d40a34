#ifndef CARESCORE_CLIENTS_CLI_HEALTH_COMMAND_H_
#define CARESCORE_CLIENTS_CLI_HEALTH_COMMAND_H_

// `carescore health [--service NAME]`: the standard grpc.health.v1 check,
// which needs no token, for container health checks and operators. Prints
// the status; the outcome is OK only for SERVING. Construct before parsing.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "clients/cli/client.h"

namespace carescore::cli {

class HealthCommand {
 public:
  HealthCommand(CLI::App& app, Client& client, absl::Status& result);
  HealthCommand(const HealthCommand&) = delete;
  HealthCommand& operator=(const HealthCommand&) = delete;

 private:
  absl::Status Check();

  Client& client_;
  absl::Status& result_;
  std::string service_;
};

// `carescore server-info`: the server's version, git commit, name, hosted
// services and store kind (ServerInfoService). Construct before parsing.
class ServerInfoCommand {
 public:
  ServerInfoCommand(CLI::App& app, Client& client, absl::Status& result);
  ServerInfoCommand(const ServerInfoCommand&) = delete;
  ServerInfoCommand& operator=(const ServerInfoCommand&) = delete;

 private:
  absl::Status Show();

  Client& client_;
  absl::Status& result_;
};

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_HEALTH_COMMAND_H_
