#ifndef CARESCORE_CLIENTS_CLI_AUDIT_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_AUDIT_COMMANDS_H_

// The CLI's commands for the audit log (AuditService, admin only):
// `audit list` (every matching entry, following pages; table, CSV or JSON)
// and `audit verify` (exits non-zero and names the first entry whose hash
// does not match). Construct before parsing: it registers the commands and
// holds their option values; a command's outcome lands in `result`.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carescore/v1/audit.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/output.h"

namespace carescore::cli {

struct AuditListOptions {
  std::string la;
  std::string subject;
  std::string rpc;  // "Service/Method".
  std::string from;
  std::string to;
  int limit = 0;  // At most this many entries; 0: every one.
};

// The first page's request; InvalidArgument naming --from or --to for a
// time that is not RFC 3339.
absl::StatusOr<v1::ListAuditEntriesRequest> AuditListRequest(const AuditListOptions& options);

// The entries' table: seq, time, subject, roles, on_behalf_of, rpc,
// la_codes, resource, result, and (not in the table format, where they
// would not fit) prev_hash and hash.
Table AuditTable(Format format);
void AddAuditRow(Table& table, Format format, const v1::AuditEntry& entry);

// What `audit verify` prints: "audit log intact: N entries", or "audit log
// broken at entry <seq>: <problem>".
std::string VerificationText(const v1::VerifyAuditLogResponse& response);

class AuditCommands {
 public:
  AuditCommands(CLI::App& app, Client& client, absl::Status& result);
  AuditCommands(const AuditCommands&) = delete;
  AuditCommands& operator=(const AuditCommands&) = delete;

 private:
  absl::Status List();
  absl::Status Verify();

  Client& client_;
  absl::Status& result_;
  AuditListOptions list_;
};

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_AUDIT_COMMANDS_H_
