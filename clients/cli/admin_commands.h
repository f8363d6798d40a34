#ifndef CARESCORE_CLIENTS_CLI_ADMIN_COMMANDS_H_
#define CARESCORE_CLIENTS_CLI_ADMIN_COMMANDS_H_

// The CLI's commands for operating a server (AdminService, admin only):
// `admin backup -o FILE` streams a backup archive of every store, taken at
// one moment, into FILE.partial, checks its size and SHA-256 against the
// server's summary, and only then renames it to FILE; it prints the parts
// it wrote (table, CSV or JSON) and, as a table, a closing line with the
// totals. Restore with `carescored --restore FILE --data-dir DIR`.
// Construct before parsing: it registers the commands and holds their
// option values; a command's outcome lands in `result`.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "carescore/v1/admin.pb.h"
#include "clients/cli/client.h"
#include "clients/cli/output.h"

namespace carescore::cli {

// Where a backup is written while it arrives.
std::string PartialPath(const std::string& file);

// One row per part: part, schema_version, rows, bytes, sha256.
Table BackupTable(const v1::BackupSummary& summary);

// "backup written to FILE: 5 databases, R rows, B bytes, sha256 H".
std::string BackupText(const std::string& file, const v1::BackupSummary& summary);

class AdminCommands {
 public:
  AdminCommands(CLI::App& app, Client& client, absl::Status& result);
  AdminCommands(const AdminCommands&) = delete;
  AdminCommands& operator=(const AdminCommands&) = delete;

 private:
  absl::Status Backup();

  Client& client_;
  absl::Status& result_;
  std::string output_;
};

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_ADMIN_COMMANDS_H_
