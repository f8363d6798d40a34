#ifndef CARESCORE_COMMON_AUTH_GATE_H_
#define CARESCORE_COMMON_AUTH_GATE_H_

// Where every call is let in or refused, in one place for every service's
// edge: the bearer token of THIS call's metadata (`authorization: Bearer
// ...`) is verified (never the connection's auth context, which a second
// call on the same connection would share), the role table and LA scope of
// authorization.h applied, and the audit log written: every refusal,
// every write, every child-level read. A child-level read whose entry
// cannot be written is refused. Messages never contain a token.
//
// A service calling another sends its own token and the caller's, in
// `x-carescore-on-behalf-of`: the callee applies the caller's LA scope
// (authorization.h). While an admitted call runs, CurrentCallToken() gives
// its token on that thread, so the service's peer calls can pass it on.
// Thread-safe.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/auth/audit_log.h"
#include "common/auth/authorization.h"
#include "common/auth/token.h"
#include "grpcpp/server_context.h"

namespace carescore::auth {

inline constexpr char kOnBehalfOfHeader[] = "x-carescore-on-behalf-of";

struct Admitted {
  Caller caller;
  std::optional<Caller> on_behalf_of;
  std::string token;  // This call's bearer token, passed on to peers.
  // Who the call is for: the caller, or the one a service acts for.
  const Caller& principal() const { return on_behalf_of ? *on_behalf_of : caller; }
};

class AuthGate {
 public:
  // `verifier` and `audit` (may be null: no audit log) outlive *this.
  AuthGate(
      TokenVerifier& verifier, AuditLog* audit,
      std::function<absl::Time()> now = [] { return absl::Now(); })
      : verifier_(verifier), audit_(audit), now_(std::move(now)) {}

  // Verifies and authorises a call to `method` for `la_codes`, naming
  // `resource` (ids) in the audit log. Unauthenticated or
  // PermissionDenied, each written to the audit log.
  absl::StatusOr<Admitted> Admit(const grpc::ServerContextBase& context, absl::string_view method,
                                 const std::vector<std::string>& la_codes,
                                 absl::string_view resource = "");
  // Writes the outcome of an admitted call when its rule wants it (writes
  // and child-level reads). For a child-level read, an error here means the
  // answer must not be sent.
  absl::Status Record(const Admitted& admitted, absl::string_view method,
                      const std::vector<std::string>& la_codes, absl::string_view resource,
                      const absl::Status& result);

 private:
  void RecordRefusal(const Caller* caller, absl::string_view method,
                     const std::vector<std::string>& la_codes, absl::string_view resource,
                     const absl::Status& refusal);
  absl::Status Write(const Caller* caller, const Caller* on_behalf_of, absl::string_view method,
                     const std::vector<std::string>& la_codes, absl::string_view resource,
                     const absl::Status& result);

  TokenVerifier& verifier_;
  AuditLog* audit_;
  std::function<absl::Time()> now_;
};

// The token of the admitted call running on this thread, or "".
const std::string& CurrentCallToken();

// Makes `token` the current call's token on this thread until destroyed.
class ScopedCallToken {
 public:
  explicit ScopedCallToken(std::string token);
  ~ScopedCallToken();
  ScopedCallToken(const ScopedCallToken&) = delete;
  ScopedCallToken& operator=(const ScopedCallToken&) = delete;

 private:
  std::string previous_;
};

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_GATE_H_
