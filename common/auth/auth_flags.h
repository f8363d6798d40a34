#ifndef CARESCORE_COMMON_AUTH_AUTH_FLAGS_H_
#define CARESCORE_COMMON_AUTH_AUTH_FLAGS_H_

// The authentication every server binary sets up from its flags: the token
// verifier, the audit log, the gate its edges call, and (for binaries that
// call other services) the service token those calls carry.
//
// Flags (and environment variables):
//   --auth-public-key FILE  (CARESCORE_AUTH_PUBLIC_KEY, comma-separated):
//       PEM public keys tokens may be signed with; several for rotation.
//       None given: the secure default of one machine, a development ES256
//       key pair in the data folder (auth-key.pem 0600, made on first
//       start), which `carescore token mint --data-dir` signs with.
//   --auth-issuer, --auth-audience (CARESCORE_AUTH_ISSUER, _AUDIENCE).
//   --audit-log FILE (CARESCORE_AUDIT_LOG): default in the data folder, or
//       the `audit` schema of --database when the binary has one.
//   --service-token-file FILE (CARESCORE_SERVICE_TOKEN_FILE): the token this
//       service sends to others, kept fresh by the platform.
//   --service-signing-key FILE (CARESCORE_SERVICE_SIGNING_KEY): a private
//       key whose public key the callees trust; service tokens are minted
//       from it.

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "common/auth/audit_log.h"
#include "common/auth/gate.h"
#include "common/auth/service_token.h"
#include "common/auth/token.h"

namespace carescore::auth {

struct AuthFlags {
  std::vector<std::string> public_keys;
  std::string issuer;
  std::string audience;
  std::string audit_log;
  std::string service_token_file;
  std::string service_signing_key;
};

// `calls_peers`: also add the service token flags.
void AddAuthFlags(CLI::App& app, AuthFlags& flags, bool calls_peers);

// What a binary is, for MakeAuth.
struct AuthRole {
  std::string service_name;     // Subject of minted service tokens, e.g. "carescore-reports".
  std::string audit_file_name;  // In the data folder unless --audit-log.
  bool calls_peers = false;
  // carescored: its services call each other in-process, with tokens signed
  // by a key made in memory at start that only this process trusts and
  // holds; no service token flag is needed.
  bool in_process_peers = false;
};

// The pieces, owned; the gate and the service token borrow the others.
class Auth {
 public:
  AuthGate& gate() { return *gate_; }
  AuditLog& audit_log() { return *audit_; }
  TokenVerifier& verifier() { return *verifier_; }
  // Null when the binary calls no other service.
  ServiceToken* service_token() { return service_token_.get(); }
  // Where the development key pair is, when it is the one trusted.
  const std::string& development_key() const { return development_key_; }

 private:
  friend absl::StatusOr<std::unique_ptr<Auth>> MakeAuth(const AuthFlags&, const std::string&,
                                                        const AuthRole&, const std::string&);
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AuthGate> gate_;
  std::unique_ptr<ServiceToken> service_token_;
  std::string development_key_;
};

// InvalidArgument for a key file that cannot be read or parsed,
// FailedPrecondition when the binary calls other services and has no way
// to make a service token (the message names the flags to give),
// Unavailable if the audit log cannot be opened. `database`: a PostgreSQL
// URL (--database) holding the audit log, shared by every replica; empty:
// a SQLite file.
absl::StatusOr<std::unique_ptr<Auth>> MakeAuth(const AuthFlags& flags, const std::string& data_dir,
                                               const AuthRole& role,
                                               const std::string& database = "");

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_AUTH_FLAGS_H_
