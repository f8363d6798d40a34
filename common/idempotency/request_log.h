#ifndef CARESCORE_COMMON_IDEMPOTENCY_REQUEST_LOG_H_
#define CARESCORE_COMMON_IDEMPOTENCY_REQUEST_LOG_H_

// Where the answers to writes sent with a request_id are kept, so that a
// repeat returns the first answer (AIP-155). One row per (method,
// request_id): the request's fingerprint, and either "in progress" since a
// moment or the serialized answer. Implementations: SqliteRequestLog (here)
// and PgRequestLog (pg_request_log.h), shared by every replica on one
// database. Thread-safe.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sqlite_db.h"

namespace carescore {

// What Claim found.
struct RequestClaim {
  enum class State {
    kClaimed,     // Nobody had it (or a stale claim was taken over): do the work.
    kInProgress,  // Another call holds a fresh claim on it.
    kDone,        // Answered before: `response` is the answer.
  };
  State state = State::kClaimed;
  std::string fingerprint;  // The holder's, for kInProgress and kDone.
  std::string response;     // For kDone.
};

class RequestLog {
 public:
  virtual ~RequestLog() = default;
  // Atomically: if (method, request_id) is unknown, records a claim with
  // `fingerprint` at `now` and answers kClaimed; if it is claimed since
  // before `stale_before` (its caller died), takes the claim over (new
  // fingerprint and time) and answers kClaimed; otherwise answers what is
  // there.
  virtual absl::StatusOr<RequestClaim> Claim(absl::string_view method, absl::string_view request_id,
                                             absl::string_view fingerprint, absl::Time now,
                                             absl::Time stale_before) = 0;
  // Stores the answer of a claimed request.
  [[nodiscard]] virtual absl::Status Complete(absl::string_view method,
                                              absl::string_view request_id,
                                              absl::string_view response) = 0;
  // Drops a claim whose work failed, so that the request may be sent again.
  [[nodiscard]] virtual absl::Status Release(absl::string_view method,
                                             absl::string_view request_id) = 0;
  // Forgets every request claimed before `before`; the number forgotten.
  virtual absl::StatusOr<int64_t> Expire(absl::Time before) = 0;
};

class SqliteRequestLog final : public RequestLog {
 public:
  // ":memory:" for tests. Unavailable if the file cannot be opened.
  static absl::StatusOr<std::unique_ptr<SqliteRequestLog>> Open(const std::string& path);
  absl::StatusOr<RequestClaim> Claim(absl::string_view method, absl::string_view request_id,
                                     absl::string_view fingerprint, absl::Time now,
                                     absl::Time stale_before) override;
  absl::Status Complete(absl::string_view method, absl::string_view request_id,
                        absl::string_view response) override;
  absl::Status Release(absl::string_view method, absl::string_view request_id) override;
  absl::StatusOr<int64_t> Expire(absl::Time before) override;

 private:
  explicit SqliteRequestLog(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::Mutex mu_;
  std::unique_ptr<SqliteDb> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_IDEMPOTENCY_REQUEST_LOG_H_
