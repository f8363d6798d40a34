#ifndef CARESCORE_CLIENTS_CLI_BENCHMARK_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_BENCHMARK_COMMANDS_H_

// The CLI's comparator commands: `benchmark`, `rank` and `neighbours list`.
// Construct before parsing: it registers the commands and holds their option
// values; a command's outcome lands in `result`.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carescore/v1/benchmarks.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/output.h"

namespace carescore::cli {

struct BenchmarkOptions {
  std::string la;
  std::string code;
  std::string period;
  std::string year;
  std::string source;  // "published", "computed" or empty (the server's choice).
  std::string sn = "mean";
  std::string model;
};

class BenchmarkCommands {
 public:
  BenchmarkCommands(CLI::App& app, Client& client, absl::Status& result);
  BenchmarkCommands(const BenchmarkCommands&) = delete;
  BenchmarkCommands& operator=(const BenchmarkCommands&) = delete;

 private:
  absl::Status Benchmark();
  absl::Status Rank();
  absl::Status ListNeighbours();

  Client& client_;
  absl::Status& result_;
  BenchmarkOptions benchmark_;
  std::string code_, period_, year_, la_, model_;
};

// `benchmark` as a request: exactly one of period and year; source and sn
// by their words. InvalidArgument otherwise.
absl::StatusOr<v1::GetBenchmarkRequest> BenchmarkRequest(const BenchmarkOptions& options);

// The one-row table `benchmark` prints: values and best SN at the
// indicator's decimal places, averages and cut points at one or more.
Table BenchmarkTable(const v1::Benchmark& benchmark);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_BENCHMARK_COMMANDS_H_
