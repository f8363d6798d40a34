#ifndef CARESCORE_COMMON_AUTH_SERVICE_TOKEN_H_
#define CARESCORE_COMMON_AUTH_SERVICE_TOKEN_H_

// The token a service sends when it calls another service, and the
// metadata every such call carries: `authorization: Bearer <service
// token>` and, while the call is made for an admitted caller (gate.h
// CurrentCallToken), that caller's token in `x-carescore-on-behalf-of`, so
// the callee applies the caller's LA scope.
//
// The service token comes from one of:
// - a signing key whose public key the callees trust: tokens with the
//   `service` role and no LA are minted from it and minted again when half
//   their life has gone (carescored signs with a key made in memory at
//   start and trusted by its own verifier; a deployment gives
//   --service-signing-key);
// - a file the platform keeps fresh (a token from the council's identity
//   provider, e.g. a Kubernetes projected Secret): read again when it
//   changes on disk.
// Thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/token.h"

namespace carescore::auth {

class ServiceToken {
 public:
  // Minted from `private_key_pem` (EC P-256 or RSA) with `subject` (e.g.
  // "carescore-reports"), the `service` role and `ttl`. InvalidArgument if
  // the key cannot sign.
  static absl::StatusOr<std::unique_ptr<ServiceToken>> Signed(
      std::string private_key_pem, std::string subject, std::string issuer = "",
      std::string audience = "", absl::Duration ttl = absl::Hours(1),
      std::function<absl::Time()> now = [] { return absl::Now(); });
  // Read from `path`, again whenever its modification time or size
  // changes. NotFound naming the path if it cannot be read now.
  static absl::StatusOr<std::unique_ptr<ServiceToken>> FromFile(std::string path);

  // The token to send now. Unavailable (naming the file, never the token)
  // when it can no longer be made or read.
  absl::StatusOr<std::string> Get();

 private:
  ServiceToken() = default;
  absl::StatusOr<std::string> Refresh() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Signing.
  std::string private_key_pem_;
  MintOptions mint_;
  std::function<absl::Time()> now_;
  // File.
  std::string path_;

  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time renew_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::string file_stamp_ ABSL_GUARDED_BY(mu_);
};

using PeerMetadata = std::vector<std::pair<std::string, std::string>>;

// The metadata of one call to another service, made on the calling thread:
// the service token and the current caller's token (if any).
absl::StatusOr<PeerMetadata> PeerCallMetadata(ServiceToken& token);

// PeerCallMetadata bound to `token` (which outlives the function), in the
// shape ChannelSlot::SetCallMetadata takes.
std::function<absl::StatusOr<PeerMetadata>()> PeerCallMetadataSource(ServiceToken& token);

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_SERVICE_TOKEN_H_
