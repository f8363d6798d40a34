#ifndef CARESCORE_COMMON_AUTH_TOKEN_H_
#define CARESCORE_COMMON_AUTH_TOKEN_H_

// Bearer tokens: JSON Web Tokens signed with ES256 (ECDSA P-256) or RS256
// (RSA), verified against one or more PEM public keys (several for key
// rotation), with issuer, audience, expiry and not-before checked with a
// leeway. Any other algorithm ("none", HS256...) is refused, and a token's
// algorithm must match the key that verifies it. Claims: `sub`, `roles`
// (a list), `la_codes` (a list; empty: no LA). Uses OpenSSL directly.
//
// Errors are Unauthenticated with a google.rpc.ErrorInfo reason
// (TOKEN_MALFORMED, TOKEN_ALGORITHM_NOT_ALLOWED, TOKEN_SIGNATURE_INVALID,
// TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_ISSUER_MISMATCH,
// TOKEN_AUDIENCE_MISMATCH); messages never contain the token.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace carescore::auth {

// Who a verified token says the caller is.
struct Caller {
  std::string subject;
  std::vector<std::string> roles;
  std::vector<std::string> la_codes;
  absl::Time expires = absl::InfiniteFuture();

  bool HasRole(absl::string_view role) const;
  bool HasLa(absl::string_view la_code) const;
};

struct VerifierOptions {
  // PEM public keys (EC P-256 or RSA); a token verifies if any key of its
  // algorithm's type accepts its signature.
  std::vector<std::string> public_keys_pem;
  std::string issuer;    // Checked when not empty.
  std::string audience;  // Checked when not empty (`aud` a string or a list).
  absl::Duration leeway = absl::Seconds(60);
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class TokenVerifier {
 public:
  // InvalidArgument if a key cannot be read or none is given.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(VerifierOptions options);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // The caller a token names. Verified tokens are remembered by their
  // SHA-256 until they expire, so a repeat costs one hash. Thread-safe.
  absl::StatusOr<Caller> Verify(absl::string_view token);

 private:
  struct Key;
  explicit TokenVerifier(VerifierOptions options);
  absl::StatusOr<Caller> VerifyUncached(absl::string_view token) const;

  VerifierOptions options_;
  std::vector<std::unique_ptr<Key>> keys_;
  static constexpr size_t kMaxCached = 4096;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Caller> cache_ ABSL_GUARDED_BY(mu_);
};

struct MintOptions {
  std::string subject;
  std::vector<std::string> roles;
  std::vector<std::string> la_codes;
  absl::Duration ttl = absl::Hours(8);  // Negative: already expired (tests).
  std::string issuer;
  std::string audience;
};

// Signs a token with a PEM private key: ES256 for an EC P-256 key, RS256 for
// an RSA key. For development and the embedded default; production tokens
// come from the council's identity provider.
absl::StatusOr<std::string> MintToken(absl::string_view private_key_pem, const MintOptions& options,
                                      absl::Time now = absl::Now());

// A new ES256 (P-256) key pair as PEM: PKCS#8 private key, SubjectPublicKeyInfo
// public key.
struct KeyPairPem {
  std::string private_key;
  std::string public_key;
};
absl::StatusOr<KeyPairPem> GenerateEs256KeyPair();

// The embedded default's key pair: `dir`/auth-key.pem (private, mode 0600)
// and `dir`/auth-key.pub.pem, made (ES256) if absent. Returns the two paths.
struct KeyPairPaths {
  std::string private_key;
  std::string public_key;
};
absl::StatusOr<KeyPairPaths> EnsureDevelopmentKeyPair(const std::string& dir);

// A whole (small) file, for keys; NotFound/Unavailable naming the path.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_TOKEN_H_
