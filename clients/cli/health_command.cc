#include "clients/cli/health_command.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace carescore::cli {

HealthCommand::HealthCommand(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  CLI::App* health = app.add_subcommand(
      "health", "Is the server serving? (grpc.health.v1; needs no token; exits 1 unless SERVING)");
  health
      ->add_option("--service", service_,
                   "One hosted service, e.g. carescore.v1.ReportService (default: the server)")
      ->capture_default_str();
  health->callback([this] { result_ = Check(); });
}

absl::Status HealthCommand::Check() {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service_);
  grpc::health::v1::HealthCheckResponse response;
  absl::Status s = client_.Call(client_.health(), &grpc::health::v1::Health::Stub::Check, request,
                                &response, "health");
  if (!s.ok()) return s;
  const std::string status =
      grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
  std::cout << status << "\n";
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(
        absl::StrCat("health: ", service_.empty() ? "the server" : service_, " is ", status));
  }
  return absl::OkStatus();
}

ServerInfoCommand::ServerInfoCommand(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  CLI::App* info = app.add_subcommand(
      "server-info", "The server's version, git commit, hosted services and store");
  info->callback([this] { result_ = Show(); });
}

absl::Status ServerInfoCommand::Show() {
  v1::GetServerInfoResponse response;
  absl::Status s = client_.Call(client_.server_info(), &v1::ServerInfoService::Stub::GetServerInfo,
                                v1::GetServerInfoRequest(), &response, "server-info");
  if (!s.ok()) return s;
  absl::StatusOr<Format> format = client_.format();
  if (!format.ok()) return format.status();
  Table table({"binary", "version", "git_commit", "database", "services"});
  table.AddRow({response.binary(), response.version(), response.git_commit(), response.database(),
                absl::StrJoin(response.services(), " ")});
  return PrintTable(client_, table);
}

}  // namespace carescore::cli
