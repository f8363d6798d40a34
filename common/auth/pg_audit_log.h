#ifndef CARESCORE_COMMON_AUTH_PG_AUDIT_LOG_H_
#define CARESCORE_COMMON_AUTH_PG_AUDIT_LOG_H_

// The audit log on PostgreSQL, in the schema "audit", with the same
// audit_log table as SqliteAuditLog. Replicas sharing the database append
// to one hash chain: each Append is one transaction that takes a
// transaction-scoped advisory lock, reads the last seq and hash from the
// table (nothing is kept in memory between calls), and inserts seq + 1
// chained to that hash. Thread-safe: each call takes its own connection
// from a pool. Errors are PgConn's (Unavailable when the server cannot be
// reached; an entry that was not written returns an error).

#include <memory>
#include <string>
#include <vector>

#include "common/auth/audit_log.h"
#include "common/pg_db.h"

namespace carescore::auth {

class PgAuditLog final : public AuditLog {
 public:
  // Connects to `url` ("postgresql://...") with up to `pool_size`
  // connections and brings the schema up to date. Unavailable if the server
  // cannot be reached; FailedPrecondition if a newer build wrote the schema.
  static absl::StatusOr<std::unique_ptr<PgAuditLog>> Open(const std::string& url,
                                                          int pool_size = 4);

  absl::Status Append(AuditEntry entry) override;
  absl::StatusOr<std::vector<AuditEntry>> List(const AuditFilter& filter) override;
  // Reads the chain from one snapshot, a page at a time, so entries
  // appended meanwhile neither break it nor are half seen.
  absl::StatusOr<AuditVerification> Verify() override;

 private:
  explicit PgAuditLog(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}
  std::unique_ptr<PgPool> pool_;
};

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_PG_AUDIT_LOG_H_
