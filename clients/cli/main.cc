// carescore: the command-line client for analysts. Every command talks to a
// carescore server over gRPC; errors print the server's message and exit 1.

#include <iostream>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "clients/cli/benchmark_commands.h"
#include "clients/cli/client.h"
#include "clients/cli/escalation_commands.h"
#include "clients/cli/import_commands.h"
#include "clients/cli/indicator_commands.h"
#include "clients/cli/report_commands.h"

int main(int argc, char** argv) {
  namespace cli = carescore::cli;
  CLI::App app{"carescore: children's social care performance, from the command line"};
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
  app.add_option("--actor", global.actor,
                 "Who is acting, for the access log (default: $CARESCORE_ACTOR or $USER)");
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

  CLI11_PARSE(app, argc, argv);
  if (!result.ok()) {
    std::cerr << "error: " << result.message() << "\n";
    return 1;
  }
  return 0;
}
