#include "common/auth/service_token.h"

#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/gate.h"

namespace carescore::auth {
namespace {

// What identifies a version of the file: a rotated token is a new file
// (new mtime or size), which is all the platform guarantees.
std::string FileStamp(const struct stat& st) {
  return absl::StrCat(st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec, ":", st.st_size, ":", st.st_ino);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceToken>> ServiceToken::Signed(
    std::string private_key_pem, std::string subject, std::string issuer, std::string audience,
    absl::Duration ttl, std::function<absl::Time()> now) {
  std::unique_ptr<ServiceToken> token(new ServiceToken());
  token->private_key_pem_ = std::move(private_key_pem);
  token->mint_.subject = std::move(subject);
  token->mint_.roles = {"service"};
  token->mint_.ttl = ttl;
  token->mint_.issuer = std::move(issuer);
  token->mint_.audience = std::move(audience);
  token->now_ = std::move(now);
  // Sign once now, so a key that cannot sign stops the server at start.
  absl::MutexLock lock(&token->mu_);
  absl::StatusOr<std::string> first = token->Refresh();
  if (!first.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the service signing key cannot sign tokens: ", first.status().message()));
  }
  return token;
}

absl::StatusOr<std::unique_ptr<ServiceToken>> ServiceToken::FromFile(std::string path) {
  std::unique_ptr<ServiceToken> token(new ServiceToken());
  token->path_ = std::move(path);
  absl::MutexLock lock(&token->mu_);
  absl::StatusOr<std::string> first = token->Refresh();
  if (!first.ok()) return absl::NotFoundError(std::string(first.status().message()));
  return token;
}

absl::StatusOr<std::string> ServiceToken::Get() {
  absl::MutexLock lock(&mu_);
  return Refresh();
}

absl::StatusOr<std::string> ServiceToken::Refresh() {
  if (!path_.empty()) {
    struct stat st;
    if (stat(path_.c_str(), &st) != 0) {
      return absl::UnavailableError(absl::StrCat("cannot read the service token file ", path_));
    }
    const std::string stamp = FileStamp(st);
    if (stamp == file_stamp_ && !token_.empty()) return token_;
    absl::StatusOr<std::string> text = ReadKeyFile(path_);
    if (!text.ok()) {
      return absl::UnavailableError(absl::StrCat("cannot read the service token file ", path_));
    }
    std::string token(absl::StripAsciiWhitespace(*text));
    if (token.empty()) {
      return absl::UnavailableError(absl::StrCat("the service token file ", path_, " is empty"));
    }
    token_ = std::move(token);
    file_stamp_ = stamp;
    return token_;
  }
  const absl::Time now = now_();
  if (!token_.empty() && now < renew_at_) return token_;
  absl::StatusOr<std::string> minted = MintToken(private_key_pem_, mint_, now);
  if (!minted.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot sign a service token: ", minted.status().message()));
  }
  token_ = *std::move(minted);
  // Renewed at half life: a callee's clock may run ahead of ours.
  renew_at_ = now + mint_.ttl / 2;
  return token_;
}

absl::StatusOr<PeerMetadata> PeerCallMetadata(ServiceToken& token) {
  absl::StatusOr<std::string> own = token.Get();
  if (!own.ok()) return own.status();
  PeerMetadata metadata = {{"authorization", absl::StrCat("Bearer ", *own)}};
  if (const std::string& caller = CurrentCallToken(); !caller.empty()) {
    metadata.emplace_back(kOnBehalfOfHeader, caller);
  }
  return metadata;
}

std::function<absl::StatusOr<PeerMetadata>()> PeerCallMetadataSource(ServiceToken& token) {
  return [&token] { return PeerCallMetadata(token); };
}

}  // namespace carescore::auth
