#ifndef CARESCORE_COMMON_AUTH_SQLITE_AUDIT_LOG_H_
#define CARESCORE_COMMON_AUTH_SQLITE_AUDIT_LOG_H_

// The audit log in its own SQLite database (WAL), one transaction per entry.
// Thread-safe.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/audit_log.h"
#include "common/sqlite_db.h"

namespace carescore::auth {

class SqliteAuditLog final : public AuditLog {
 public:
  // `path` or ":memory:".
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> Open(const std::string& path);

  absl::Status Append(AuditEntry entry) override;
  absl::StatusOr<std::vector<AuditEntry>> List(const AuditFilter& filter) override;
  absl::StatusOr<AuditVerification> Verify() override;

 private:
  explicit SqliteAuditLog(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
  std::string last_hash_ ABSL_GUARDED_BY(mu_);
  int64_t last_seq_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_SQLITE_AUDIT_LOG_H_
