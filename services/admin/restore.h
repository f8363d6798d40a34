#ifndef CARESCORE_SERVICES_ADMIN_RESTORE_H_
#define CARESCORE_SERVICES_ADMIN_RESTORE_H_

// `carescored --restore FILE --data-dir DIR`: a backup archive (backup.h)
// put back as the databases of an empty data folder, all or nothing.

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "services/admin/backup.h"

namespace carescore::admin {

// Restores the archive at `archive` into `data_dir`, which is created if
// missing and must hold no database (no *.db, nor the -wal, -shm or
// -journal file of one). The archive is checked whole before anything is
// moved into the folder: its tar structure (tar_archive.h), the manifest
// present and parsed, exactly the five parts present with the size and
// SHA-256 the manifest gives, and each part, unpacked into a temporary
// folder, passing SQLite's integrity check with the manifest's schema
// version and row counts. Then the files are moved into `data_dir`. On any
// error nothing is left behind: `data_dir` is as it was (removed again if
// this made it). The audit log lands in `data_dir`/audit.db (move it if
// the server runs with --audit-log elsewhere). No key is restored: the
// server makes its own development key pair on its first start.
// Returns the archive's manifest. Errors: NotFound (no archive),
// FailedPrecondition (`data_dir` holds a database, or the archive is of a
// newer format), DataLoss (a truncated or corrupt archive; the message
// says what is wrong and where), Unavailable (a file cannot be read or
// written).
absl::StatusOr<Manifest> RestoreBackup(const std::string& archive, const std::string& data_dir);

// What carescored runs for --restore: refuses with --database (PostgreSQL
// is restored with pg_restore), else RestoreBackup, printing what was
// restored to `out` or why not to `err`. Returns the exit code: 0 restored,
// 1 refused or failed, 2 a usage error.
int RunRestore(const std::string& archive, const std::string& data_dir, const std::string& database,
               std::ostream& out, std::ostream& err);

}  // namespace carescore::admin

#endif  // CARESCORE_SERVICES_ADMIN_RESTORE_H_
