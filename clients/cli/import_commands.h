#ifndef CARESCORE_CLIENTS_CLI_IMPORT_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_IMPORT_COMMANDS_H_

// The CLI's `import` commands: each reads a CSV file in one of the import
// formats (common/import_formats.h), checks every row, and sends nothing
// unless all are good. Construct before parsing: it registers the commands
// and holds their option values; a command's outcome lands in `result`.

#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/client.h"
#include "common/import_formats.h"
#include "common/period.h"

namespace carescore::cli {

class ImportCommands {
 public:
  ImportCommands(CLI::App& app, Client& client, absl::Status& result);
  ImportCommands(const ImportCommands&) = delete;
  ImportCommands& operator=(const ImportCommands&) = delete;

 private:
  absl::Status Las();
  absl::Status Indicators();
  absl::Status Values(PeriodColumn period);
  absl::Status Neighbours();
  absl::Status Benchmarks();

  Client& client_;
  absl::Status& result_;
  std::string file_, year_, la_, source_, model_;
};

// The --year flag: nullopt when empty, else the financial year ("2018-19");
// InvalidArgument starting "--year: " when it is not one.
absl::StatusOr<std::optional<FinancialYear>> YearFlag(const std::string& year);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_IMPORT_COMMANDS_H_
