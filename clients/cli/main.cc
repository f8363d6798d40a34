// carescore: the command-line client for analysts. Every command but
// `token mint` talks to a carescore server over gRPC, with the caller's
// bearer token on every call; errors print the server's message and exit 1.

#include <iostream>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "clients/cli/admin_commands.h"
#include "clients/cli/audit_commands.h"
#include "clients/cli/benchmark_commands.h"
#include "clients/cli/client.h"
#include "clients/cli/escalation_commands.h"
#include "clients/cli/health_command.h"
#include "clients/cli/import_commands.h"
#include "clients/cli/indicator_commands.h"
#include "clients/cli/report_commands.h"
#include "clients/cli/token_commands.h"
#include "common/build_info.h"

int main(int argc, char** argv) {
  namespace cli = carescore::cli;
  CLI::App app{"carescore: children's social care performance, from the command line"};
  app.set_version_flag("--version", carescore::VersionLine("carescore"),
                       "Print the version and git commit, then exit");
  app.require_subcommand(1);
  app.fallthrough();
  cli::GlobalOptions global;
  app.add_option("--server", global.server, "carescore server, host:port")
      ->envname("CARESCORE_SERVER")
      ->capture_default_str();
  app.add_option("--format", global.format, "Output: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", global.timeout_seconds, "Seconds to wait for each answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  // The environment is read after parsing (Client::LoadCredentials), so a
  // flag beats a variable whichever of the two forms each takes.
  CLI::Option* token = app.add_option(
      "--token", global.token,
      "Bearer token sent on every call (default: $CARESCORE_TOKEN); for the embedded default "
      "make one with `carescore token mint --data-dir DIR --subject me --role admin`");
  CLI::Option* token_file =
      app.add_option("--token-file", global.token_file,
                     "File holding the bearer token (default: $CARESCORE_TOKEN_FILE)");
  token->excludes(token_file);
  token_file->excludes(token);
  app.add_option("--actor", global.actor,
                 "Default commentary author (default: $CARESCORE_ACTOR or $USER); the server "
                 "takes who is acting from the token");
  app.add_option("--tls-ca", global.tls_ca,
                 "CA certificate (PEM) to verify the server with: connect over TLS "
                 "(default: plaintext)")
      ->envname("CARESCORE_TLS_CA")
      ->check(CLI::ExistingFile);
  CLI::Option* tls_cert =
      app.add_option("--tls-cert", global.tls_cert,
                     "Client certificate (PEM), for servers that require one (mutual TLS)")
          ->envname("CARESCORE_TLS_CLIENT_CERT")
          ->check(CLI::ExistingFile);
  CLI::Option* tls_key = app.add_option("--tls-key", global.tls_key, "Private key of --tls-cert")
                             ->envname("CARESCORE_TLS_CLIENT_KEY")
                             ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  cli::Client client(global);
  absl::Status result;
  // The groups register their commands in the order `--help` lists them.
  cli::EscalationCommands escalations(app, client, result);
  cli::ImportCommands imports(app, client, result);
  cli::BenchmarkCommands benchmarks(app, client, result);
  cli::ReportCommands reports(app, client, result);
  cli::IndicatorCommands indicators(app, client, result);
  cli::AuditCommands audit(app, client, result);
  cli::AdminCommands admin(app, client, result);
  cli::TokenCommands tokens(app, result);
  cli::HealthCommand health(app, client, result);
  cli::ServerInfoCommand server_info(app, client, result);
  // Runs once the options are parsed, before the chosen command.
  app.parse_complete_callback([&client, &tokens] {
    if (tokens.chosen()) return;  // No server, so no token needed.
    if (absl::Status loaded = client.LoadCredentials(); !loaded.ok()) {
      std::cerr << "error: " << loaded.message() << "\n";
      throw CLI::RuntimeError(1);  // Exits 1 without a second message.
    }
  });

  CLI11_PARSE(app, argc, argv);
  if (!result.ok()) {
    if (!cli::WasPrinted(result)) std::cerr << "error: " << result.message() << "\n";
    return 1;
  }
  return 0;
}
