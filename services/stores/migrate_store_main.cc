// carescore-migrate-store: copies a carescored data folder (the embedded
// SQLite stores) into an empty PostgreSQL database with full history, then
// checks counts, versions and the audit chain. Run it with carescored
// stopped; afterwards start the services with --database.

#include <iostream>

#include "CLI/CLI.hpp"
#include "common/pg_db.h"
#include "services/stores/store_copy.h"

int main(int argc, char** argv) {
  CLI::App app{"Copy a carescored data folder into an empty PostgreSQL database"};
  std::string from;
  std::string to;
  app.add_option("--from", from, "carescored's data folder (stop carescored first)")->required();
  app.add_option("--to", to, "PostgreSQL URL of an empty database")
      ->envname("CARESCORE_DATABASE")
      ->required();
  CLI11_PARSE(app, argc, argv);
  if (!carescore::IsPostgresUrl(to)) {
    std::cerr << "--to: expected a PostgreSQL URL, postgresql://user@host:port/database\n";
    return 2;
  }
  absl::StatusOr<carescore::stores::CopyReport> report =
      carescore::stores::CopySqliteToPostgres(from, to);
  if (!report.ok()) {
    std::cerr << "carescore-migrate-store: " << report.status().message()
              << "\nnothing was left in " << carescore::RedactedPgUrl(to) << "\n";
    return 1;
  }
  std::cout << "copied into " << carescore::RedactedPgUrl(to) << ":\n";
  for (const carescore::stores::CopiedTable& t : report->tables) {
    std::cout << "  " << t.schema << "." << t.table << ": " << t.rows << " rows\n";
  }
  std::cout << "indicator data version: " << report->all_data_version << " (as before)\n"
            << "audit log: " << report->audit_entries << " entries, chain intact\n";
  return 0;
}
