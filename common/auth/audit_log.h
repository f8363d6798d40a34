#ifndef CARESCORE_COMMON_AUTH_AUDIT_LOG_H_
#define CARESCORE_COMMON_AUTH_AUDIT_LOG_H_

// The audit log: every write, every read of child-level data and every
// refused call, appended with its time, subject, roles, RPC, LA, resource
// ids and result, never the token. Append-only and tamper-evident: each
// entry's hash is SHA-256 over the previous entry's hash and its own
// fields, so changing, removing or reordering a stored entry breaks the
// chain from there on, and Verify names the first entry that does not
// match. Implementations must be thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace carescore::auth {

struct AuditEntry {
  int64_t seq = 0;  // Set by Append: 1, 2, ...
  absl::Time at;
  std::string subject;
  std::string roles;         // Comma-separated.
  std::string on_behalf_of;  // The subject a service acted for, if any.
  std::string method;        // "EscalationService/GetEscalation".
  std::string la_codes;      // Comma-separated, as the request named them.
  std::string resource;      // Ids the call named (an escalation id...).
  std::string result;        // "OK" or the status code's name.
  std::string prev_hash;     // Hex; "" for the first entry.
  std::string hash;          // Hex SHA-256 of prev_hash and the fields above.
};

// SHA-256 (hex) of `prev_hash` and the entry's fields (seq to result), each
// length-prefixed so no two entries hash alike by moving a separator.
std::string AuditHash(const AuditEntry& entry, const std::string& prev_hash);

struct AuditFilter {
  std::string la_code;
  std::string subject;
  std::string method;
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  int64_t after_seq = 0;  // Paging: entries after this one.
  int limit = 100;
};

struct AuditVerification {
  int64_t entries = 0;        // How many were checked.
  int64_t first_bad_seq = 0;  // 0 if the chain holds.
  std::string problem;        // What is wrong with it, if anything.
};

// Checks a chain entry by entry, oldest first, as each AuditLog's Verify
// reads it: stops at the first entry that is missing, does not link to the
// one before, or does not match its own hash.
class AuditChainCheck {
 public:
  // Checks `entry` (ignored once the chain is broken).
  void Next(const AuditEntry& entry);
  bool intact() const { return v_.first_bad_seq == 0; }
  const AuditVerification& result() const { return v_; }

 private:
  AuditVerification v_;
  std::string prev_;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends `entry` (its seq, prev_hash and hash are filled in); an error
  // means it was not written, and a caller that needs the entry (a
  // child-level read) must refuse the call.
  virtual absl::Status Append(AuditEntry entry) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<AuditEntry>> List(const AuditFilter& filter) = 0;
  // Recomputes every hash from the first entry.
  virtual absl::StatusOr<AuditVerification> Verify() = 0;
};

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_AUDIT_LOG_H_
