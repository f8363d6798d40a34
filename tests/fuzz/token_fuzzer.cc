// Fuzzes the bearer token verifier (common/auth/token.h). An input starting
// with 's' is a token's claims: the target signs them (ES256) with the key
// the verifier trusts, so that the claims checks past the signature are
// reached; any other input, after its first byte, is a whole token as a
// caller would send it. Either way Verify must answer or refuse without a
// crash, a sanitizer report or a hang, and a token it accepts must have a
// subject.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/token.h"

namespace carescore::fuzz {
namespace {

constexpr int kHalf = 32;  // r and s of a P-256 signature.

// The development key pair, made once in a temporary folder.
struct Keys {
  Keys() {
    char dir[] = "/tmp/carescore-token-fuzz-XXXXXX";
    if (mkdtemp(dir) == nullptr) std::abort();
    absl::StatusOr<auth::KeyPairPaths> paths = auth::EnsureDevelopmentKeyPair(dir);
    if (!paths.ok()) std::abort();
    absl::StatusOr<std::string> pub = auth::ReadKeyFile(paths->public_key);
    absl::StatusOr<std::string> priv = auth::ReadKeyFile(paths->private_key);
    if (!pub.ok() || !priv.ok()) std::abort();
    public_pem = *pub;
    unlink(paths->public_key.c_str());
    unlink(paths->private_key.c_str());
    rmdir(dir);
    BIO* bio = BIO_new_mem_buf(priv->data(), static_cast<int>(priv->size()));
    private_key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (private_key == nullptr) std::abort();
  }

  // `claims` as a token signed with the private key.
  std::string Sign(absl::string_view claims) const {
    const std::string signed_part =
        absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"ES256","typ":"JWT"})"), ".",
                     absl::WebSafeBase64Escape(claims));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t der_size = 0;
    std::string der;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, private_key) != 1 ||
        EVP_DigestSign(ctx, nullptr, &der_size,
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) != 1) {
      std::abort();
    }
    der.resize(der_size);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &der_size,
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) != 1) {
      std::abort();
    }
    EVP_MD_CTX_free(ctx);
    const auto* in = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der_size));
    if (sig == nullptr) std::abort();
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    std::string raw(2 * kHalf, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(r, out, kHalf) != kHalf || BN_bn2binpad(s, out + kHalf, kHalf) != kHalf) {
      std::abort();
    }
    ECDSA_SIG_free(sig);
    return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(raw));
  }

  std::string public_pem;
  EVP_PKEY* private_key = nullptr;  // Lives as long as the process.
};

void Check(const Keys& keys, const uint8_t* data, size_t size) {
  if (size == 0) return;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string token = data[0] == 's' ? keys.Sign(rest) : std::string(rest);
  // A fresh verifier each time: one that remembered a token would skip its checks.
  auth::VerifierOptions options;
  options.public_keys_pem = {keys.public_pem};
  options.issuer = "carescore";
  options.audience = "carescore";
  options.now = [] {
    return absl::FromCivil(absl::CivilSecond(2026, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  };
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      auth::TokenVerifier::Create(std::move(options));
  if (!verifier.ok()) std::abort();
  absl::StatusOr<auth::Caller> caller = (*verifier)->Verify(token);
  if (caller.ok() && caller->subject.empty()) std::abort();
  if (!caller.ok() && caller.status().code() != absl::StatusCode::kUnauthenticated) std::abort();
}

}  // namespace
}  // namespace carescore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const carescore::fuzz::Keys* const keys = new carescore::fuzz::Keys();
  carescore::fuzz::Check(*keys, data, size);
  return 0;
}
