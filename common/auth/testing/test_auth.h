#ifndef CARESCORE_COMMON_AUTH_TESTING_TEST_AUTH_H_
#define CARESCORE_COMMON_AUTH_TESTING_TEST_AUTH_H_

// For edge tests: a real gate (a verifier trusting a key pair made in
// memory, an audit log) and tokens signed with that key, so a test drives
// the real token, role, LA and audit code over a loopback server.
//
//   auth::testing::TestAuth auth;
//   IndicatorGrpcService edge(service, &auth.gate());
//   context.AddMetadata("authorization", auth.Bearer("jo", {"analyst"}, {"372"}));

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/auth/gate.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/auth/token.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace carescore::auth::testing {

class TestAuth {
 public:
  // `audit_path`: ":memory:" or a file the test wants to read or tamper with.
  explicit TestAuth(const std::string& audit_path = ":memory:") {
    keys_ = *GenerateEs256KeyPair();
    VerifierOptions options;
    options.public_keys_pem = {keys_.public_key};
    verifier_ = *TokenVerifier::Create(std::move(options));
    audit_ = *SqliteAuditLog::Open(audit_path);
    gate_ = std::make_unique<AuthGate>(*verifier_, audit_.get());
  }

  AuthGate& gate() { return *gate_; }
  SqliteAuditLog& audit_log() { return *audit_; }
  TokenVerifier& verifier() { return *verifier_; }
  const std::string& private_key() const { return keys_.private_key; }

  // A token signed with the trusted key; a negative `ttl` is expired.
  std::string Token(const std::string& subject, std::vector<std::string> roles,
                    std::vector<std::string> la_codes = {},
                    absl::Duration ttl = absl::Hours(1)) const {
    MintOptions o;
    o.subject = subject;
    o.roles = std::move(roles);
    o.la_codes = std::move(la_codes);
    o.ttl = ttl;
    return *MintToken(keys_.private_key, o);
  }
  // The `authorization` metadata value for such a token.
  std::string Bearer(const std::string& subject, std::vector<std::string> roles,
                     std::vector<std::string> la_codes = {}) const {
    return "Bearer " + Token(subject, std::move(roles), std::move(la_codes));
  }

 private:
  KeyPairPem keys_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<SqliteAuditLog> audit_;
  std::unique_ptr<AuthGate> gate_;
};

// The google.rpc.ErrorInfo reason of a refused call, "" if none.
inline std::string Reason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

}  // namespace carescore::auth::testing

#endif  // CARESCORE_COMMON_AUTH_TESTING_TEST_AUTH_H_
