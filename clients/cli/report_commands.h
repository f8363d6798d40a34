#ifndef CARESCORE_CLIENTS_CLI_REPORT_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_REPORT_COMMANDS_H_

// The CLI's report service commands: `scorecard`, `report`, `highlights`
// and `commentary set|get`. Construct before parsing: it registers the
// commands and holds their option values; a command's outcome lands in
// `result`.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carescore/v1/reports.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/output.h"

namespace carescore::cli {

class ReportCommands {
 public:
  ReportCommands(CLI::App& app, Client& client, absl::Status& result);
  ReportCommands(const ReportCommands&) = delete;
  ReportCommands& operator=(const ReportCommands&) = delete;

 private:
  absl::Status Scorecard();
  absl::Status Report();
  absl::Status Highlights();
  absl::Status SetCommentary();
  absl::Status GetCommentary();

  Client& client_;
  absl::Status& result_;
  std::string la_, month_, as_of_, format_ = "html", output_, section_, text_, author_;
};

// `report` as a request: `format` is a report format's word ("pdf"), `as_of`
// RFC 3339 or empty. InvalidArgument otherwise.
absl::StatusOr<v1::GetReportRequest> ReportRequest(const std::string& la, const std::string& month,
                                                   const std::string& format,
                                                   const std::string& as_of);

// The table `scorecard` prints: a row per line, with the headline
// comparators (published if held, else computed).
Table ScorecardTable(const v1::Scorecard& card);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_REPORT_COMMANDS_H_
