#ifndef CARESCORE_SERVICES_STORES_STORE_COPY_H_
#define CARESCORE_SERVICES_STORES_STORE_COPY_H_

// Moving from the embedded store to PostgreSQL: copies every SQLite store of
// a data folder (indicators.db, benchmarks.db, escalations.db, reports.db,
// audit.db) into an empty PostgreSQL database, table by table and row by
// row, with full history: every load and revision, every escalation
// transition, the audit log with its hash chain as it was. The PostgreSQL
// schemas mirror the SQLite ones column for column, so the copy is generic.
//
// The target must hold none of carescore's schemas; the copy is one
// transaction, and on failure the schemas it made are dropped again, so a
// failed copy can simply be run again. Afterwards the counts of every
// table, the indicator data versions and the audit chain are checked.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace carescore::stores {

struct CopiedTable {
  std::string schema;
  std::string table;
  int64_t rows = 0;
};

struct CopyReport {
  std::vector<CopiedTable> tables;
  int64_t all_data_version = 0;  // Indicators: the same on both sides.
  int64_t audit_entries = 0;     // The chain verified on PostgreSQL.
};

// NotFound if `data_dir` holds no indicators.db; FailedPrecondition if the
// target is not empty or a table does not line up; Unavailable if
// PostgreSQL cannot be reached; DataLoss if a check after the copy fails.
absl::StatusOr<CopyReport> CopySqliteToPostgres(const std::string& data_dir,
                                                const std::string& database_url);

}  // namespace carescore::stores

#endif  // CARESCORE_SERVICES_STORES_STORE_COPY_H_
