#ifndef CARESCORE_CLIENTS_CLI_INDICATOR_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_INDICATOR_COMMANDS_H_

// The CLI's reading commands for the indicator service: `las list`,
// `indicators list|show`, `targets list` and `values get|history|version`.
// Construct before parsing: it registers the commands and holds their option
// values; a command's outcome lands in `result`.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carescore/v1/indicators.pb.h"
#include "clients/cli/client.h"

namespace carescore::cli {

struct ValuesGetOptions {
  std::string la;
  std::string code;
  std::string from;
  std::string to;
  std::string as_of;
  bool annual = false;
  bool include_missing = false;
};

class IndicatorCommands {
 public:
  IndicatorCommands(CLI::App& app, Client& client, absl::Status& result);
  IndicatorCommands(const IndicatorCommands&) = delete;
  IndicatorCommands& operator=(const IndicatorCommands&) = delete;

 private:
  absl::Status ListLas();
  absl::Status ListIndicators();
  absl::Status ShowIndicator();
  absl::Status ListTargets();
  absl::Status ValuesGet();
  absl::Status ValuesHistory();
  absl::Status DataVersion();

  Client& client_;
  absl::Status& result_;
  bool include_former_ = false;
  std::string section_, code_, year_, la_, period_;
  ValuesGetOptions get_;
};

// `values get` as a request for every page; InvalidArgument for a bad --as-of.
absl::StatusOr<v1::ListValuesRequest> ValuesGetRequest(const ValuesGetOptions& options);

// `values history`: exactly one of `period` (a month) and `year` (a
// financial year), else InvalidArgument.
absl::StatusOr<v1::ListValueHistoryRequest> ValueHistoryRequest(const std::string& la,
                                                                const std::string& code,
                                                                const std::string& period,
                                                                const std::string& year);

// A target as `indicators show` prints it: "red 85, green 90", "green 14 to
// 20, tolerance 10%" or "no target set".
std::string TargetText(const v1::Target& target);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_INDICATOR_COMMANDS_H_
