#ifndef CARESCORE_CLIENTS_CLI_ESCALATION_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_ESCALATION_COMMANDS_H_

// The CLI's `escalations`, `audits` and `calendar` commands. Construct
// before parsing: it registers the commands and holds their option values;
// a command's outcome lands in `result`.

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/escalations.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/output.h"
#include "google/protobuf/timestamp.pb.h"

namespace carescore::cli {

class EscalationCommands {
 public:
  EscalationCommands(CLI::App& app, Client& client, absl::Status& result);
  EscalationCommands(const EscalationCommands&) = delete;
  EscalationCommands& operator=(const EscalationCommands&) = delete;

 private:
  absl::Status Raise();
  absl::Status Step(const std::string& kind);
  absl::Status Show();
  absl::Status List();
  absl::Status Overdue();
  absl::Status Summary();
  absl::Status Ladder();
  absl::Status Watch();
  absl::Status RecordAudit();
  absl::Status AuditSummary();
  absl::Status WorkingDays();
  absl::Status AddClosures();

  Client& client_;
  absl::Status& result_;
  std::string id_, la_, child_, iro_, team_, note_, at_, outcome_, status_, from_, to_, date_;
  std::string review_date_, grade_, reason_;
  std::vector<std::string> themes_, dates_;
  int stage_ = 0;
  int count_ = 0;
};

// `escalations summary`'s table: a row per month, a column per stage of the
// ladder (the stages the months list) except the referral stage, whose
// count is cafcass_referral; a stage a month does not list counts 0.
Table StageSummaryTable(const v1::GetEscalationSummaryResponse& summary);

// A time flag: RFC 3339, or a date (YYYY-MM-DD) meaning noon UK time that
// day. InvalidArgument naming `flag` otherwise.
absl::StatusOr<google::protobuf::Timestamp> ParseWhen(const std::string& text,
                                                      absl::string_view flag);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_ESCALATION_COMMANDS_H_
