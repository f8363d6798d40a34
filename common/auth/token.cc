#include "common/auth/token.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "nlohmann/json.hpp"

namespace carescore::auth {
namespace {

// Tokens bigger than this are not tokens anyone issues.
constexpr size_t kMaxTokenBytes = 8192;
constexpr int kEs256Half = 32;  // r and s of a P-256 signature, each 32 bytes.

absl::Status Refused(absl::string_view reason, absl::string_view message) {
  return WithErrorInfo(absl::UnauthenticatedError(message), reason);
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

enum class Alg { kEs256, kRs256 };

absl::StatusOr<Alg> AlgOfKey(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      if (EVP_PKEY_get_bits(key) != 256) {
        return absl::InvalidArgumentError("an EC key must be on P-256 (ES256)");
      }
      return Alg::kEs256;
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key) < 2048) {
        return absl::InvalidArgumentError("an RSA key must have at least 2048 bits");
      }
      return Alg::kRs256;
    default:
      return absl::InvalidArgumentError("keys must be EC P-256 (ES256) or RSA (RS256)");
  }
}

std::string Base64Url(absl::string_view bytes) { return absl::WebSafeBase64Escape(bytes); }

// An ES256 signature (r || s) as the DER ECDSA-Sig-Value OpenSSL verifies.
absl::StatusOr<std::string> Es256ToDer(absl::string_view raw) {
  if (raw.size() != 2 * kEs256Half) return absl::InvalidArgumentError("bad ES256 signature");
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, kEs256Half, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + kEs256Half, kEs256Half, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return absl::InternalError("cannot build an ECDSA signature");
  }
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return absl::InternalError("cannot encode an ECDSA signature");
  std::string der(static_cast<size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

absl::StatusOr<std::string> DerToEs256(absl::string_view der) {
  const auto* in = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(
      d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
  if (sig == nullptr) return absl::InternalError("cannot read an ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kEs256Half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kEs256Half) != kEs256Half ||
      BN_bn2binpad(s, out + kEs256Half, kEs256Half) != kEs256Half) {
    return absl::InternalError("cannot encode an ES256 signature");
  }
  return raw;
}

std::vector<std::string> StringList(const nlohmann::json& claims, const char* name, bool* ok) {
  std::vector<std::string> out;
  auto it = claims.find(name);
  if (it == claims.end()) return out;
  if (!it->is_array()) {
    *ok = false;
    return out;
  }
  for (const nlohmann::json& v : *it) {
    if (!v.is_string()) {
      *ok = false;
      return out;
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

// A NumericDate claim, if present and a number.
absl::StatusOr<std::optional<absl::Time>> TimeClaim(const nlohmann::json& claims,
                                                    const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<absl::Time>();
  // Whole seconds within a sane range only: a float such as 1e300 would
  // overflow the conversion.
  const bool whole = it->is_number_integer() || it->is_number_unsigned();
  if (!whole || it->get<double>() < 0 || it->get<double>() > 253402300799.0) {
    return Refused("TOKEN_MALFORMED",
                   absl::StrCat("the token's ", name, " is not a time in whole seconds"));
  }
  return std::optional<absl::Time>(absl::FromUnixSeconds(it->get<int64_t>()));
}

std::string Sha256(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

absl::StatusOr<Pkey> ReadPublicKey(absl::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  return key;
}

absl::StatusOr<Pkey> ReadPrivateKey(absl::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  return key;
}

}  // namespace

struct TokenVerifier::Key {
  Pkey key;
  Alg alg;
};

bool Caller::HasRole(absl::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Caller::HasLa(absl::string_view la_code) const {
  return std::find(la_codes.begin(), la_codes.end(), la_code) != la_codes.end();
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(VerifierOptions options) {
  if (options.public_keys_pem.empty()) {
    return absl::InvalidArgumentError("no public key to verify tokens with");
  }
  std::unique_ptr<TokenVerifier> verifier(new TokenVerifier(std::move(options)));
  for (size_t i = 0; i < verifier->options_.public_keys_pem.size(); ++i) {
    absl::StatusOr<Pkey> key = ReadPublicKey(verifier->options_.public_keys_pem[i]);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("public key ", i + 1, ": ", key.status().message()));
    }
    absl::StatusOr<Alg> alg = AlgOfKey(key->get());
    if (!alg.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("public key ", i + 1, ": ", alg.status().message()));
    }
    verifier->keys_.push_back(std::make_unique<Key>(Key{*std::move(key), *alg}));
  }
  return verifier;
}

TokenVerifier::TokenVerifier(VerifierOptions options) : options_(std::move(options)) {}

TokenVerifier::~TokenVerifier() = default;

absl::StatusOr<Caller> TokenVerifier::Verify(absl::string_view token) {
  if (token.size() > kMaxTokenBytes) return Refused("TOKEN_MALFORMED", "the token is too long");
  const std::string digest = Sha256(token);
  const absl::Time now = options_.now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end()) {
      if (now <= it->second.expires + options_.leeway) return it->second;
      cache_.erase(it);
    }
  }
  absl::StatusOr<Caller> caller = VerifyUncached(token);
  if (!caller.ok()) return caller.status();
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCached) cache_.clear();  // Refilled on demand.
  cache_[digest] = *caller;
  return caller;
}

absl::StatusOr<Caller> TokenVerifier::VerifyUncached(absl::string_view token) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
    return Refused("TOKEN_MALFORMED", "the token is not a signed JWT (header.claims.signature)");
  }
  std::string header_json, claims_json, signature;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_json) ||
      !absl::WebSafeBase64Unescape(parts[1], &claims_json) ||
      !absl::WebSafeBase64Unescape(parts[2], &signature)) {
    return Refused("TOKEN_MALFORMED", "the token is not base64url");
  }
  const nlohmann::json header = nlohmann::json::parse(header_json, nullptr, false);
  if (header.is_discarded() || !header.is_object() || !header.contains("alg") ||
      !header["alg"].is_string()) {
    return Refused("TOKEN_MALFORMED", "the token's header is not a JSON object with alg");
  }
  const std::string alg_name = header["alg"].get<std::string>();
  Alg alg;
  if (alg_name == "ES256") {
    alg = Alg::kEs256;
  } else if (alg_name == "RS256") {
    alg = Alg::kRs256;
  } else {
    return Refused("TOKEN_ALGORITHM_NOT_ALLOWED", "only ES256 and RS256 tokens are accepted");
  }
  std::string der_signature = signature;
  if (alg == Alg::kEs256) {
    absl::StatusOr<std::string> der = Es256ToDer(signature);
    if (!der.ok()) return Refused("TOKEN_SIGNATURE_INVALID", "the token's signature is wrong");
    der_signature = *std::move(der);
  }
  const absl::string_view signed_part = token.substr(0, parts[0].size() + 1 + parts[1].size());
  bool verified = false;
  for (const auto& key : keys_) {
    if (key->alg != alg) continue;  // An algorithm only with its own kind of key.
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (ctx == nullptr ||
        EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->key.get()) != 1) {
      continue;
    }
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()),
                         der_signature.size(),
                         reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size()) == 1) {
      verified = true;
      break;
    }
  }
  if (!verified) {
    return Refused("TOKEN_SIGNATURE_INVALID",
                   "the token is not signed by a key this server trusts");
  }

  const nlohmann::json claims = nlohmann::json::parse(claims_json, nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) {
    return Refused("TOKEN_MALFORMED", "the token's claims are not a JSON object");
  }
  Caller caller;
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
    return Refused("TOKEN_MALFORMED", "the token has no subject (sub)");
  }
  caller.subject = sub->get<std::string>();
  bool lists_ok = true;
  caller.roles = StringList(claims, "roles", &lists_ok);
  caller.la_codes = StringList(claims, "la_codes", &lists_ok);
  if (!lists_ok) return Refused("TOKEN_MALFORMED", "roles and la_codes must be lists of strings");

  const absl::Time now = options_.now();
  absl::StatusOr<std::optional<absl::Time>> exp = TimeClaim(claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!exp->has_value()) return Refused("TOKEN_MALFORMED", "the token has no expiry (exp)");
  if (now > **exp + options_.leeway) return Refused("TOKEN_EXPIRED", "the token has expired");
  caller.expires = **exp;
  absl::StatusOr<std::optional<absl::Time>> nbf = TimeClaim(claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (nbf->has_value() && now + options_.leeway < **nbf) {
    return Refused("TOKEN_NOT_YET_VALID", "the token is not valid yet");
  }
  if (!options_.issuer.empty()) {
    auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || *iss != options_.issuer) {
      return Refused("TOKEN_ISSUER_MISMATCH", "the token is from another issuer");
    }
  }
  if (!options_.audience.empty()) {
    auto aud = claims.find("aud");
    bool ours = false;
    if (aud != claims.end() && aud->is_string()) ours = *aud == options_.audience;
    if (aud != claims.end() && aud->is_array()) {
      for (const nlohmann::json& a : *aud) ours = ours || (a.is_string() && a == options_.audience);
    }
    if (!ours) return Refused("TOKEN_AUDIENCE_MISMATCH", "the token is for another audience");
  }
  return caller;
}

absl::StatusOr<std::string> MintToken(absl::string_view private_key_pem, const MintOptions& options,
                                      absl::Time now) {
  if (options.subject.empty()) return absl::InvalidArgumentError("a subject is required");
  absl::StatusOr<Pkey> key = ReadPrivateKey(private_key_pem);
  if (!key.ok()) return key.status();
  absl::StatusOr<Alg> alg = AlgOfKey(key->get());
  if (!alg.ok()) return alg.status();
  nlohmann::json header = {{"alg", *alg == Alg::kEs256 ? "ES256" : "RS256"}, {"typ", "JWT"}};
  nlohmann::json claims = {
      {"sub", options.subject},          {"roles", options.roles},
      {"la_codes", options.la_codes},    {"iat", absl::ToUnixSeconds(now)},
      {"nbf", absl::ToUnixSeconds(now)}, {"exp", absl::ToUnixSeconds(now + options.ttl)}};
  if (!options.issuer.empty()) claims["iss"] = options.issuer;
  if (!options.audience.empty()) claims["aud"] = options.audience;
  const std::string signed_part =
      absl::StrCat(Base64Url(header.dump()), ".", Base64Url(claims.dump()));
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size()) != 1) {
    return absl::InternalError("cannot sign the token");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size()) != 1) {
    return absl::InternalError("cannot sign the token");
  }
  signature.resize(length);
  if (*alg == Alg::kEs256) {
    absl::StatusOr<std::string> raw = DerToEs256(signature);
    if (!raw.ok()) return raw.status();
    signature = *std::move(raw);
  }
  return absl::StrCat(signed_part, ".", Base64Url(signature));
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the key file ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<KeyPairPem> GenerateEs256KeyPair() {
  Pkey key(EVP_EC_gen("P-256"));
  if (key == nullptr) return absl::InternalError("cannot make an ES256 key pair");
  std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem()));
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  if (priv == nullptr || pub == nullptr ||
      PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    return absl::InternalError("cannot write an ES256 key pair as PEM");
  }
  auto text = [](BIO* bio) {
    char* data = nullptr;
    const long length =
        BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int): OpenSSL's type.
    return std::string(data, static_cast<size_t>(length));
  };
  return KeyPairPem{text(priv.get()), text(pub.get())};
}

absl::StatusOr<KeyPairPaths> EnsureDevelopmentKeyPair(const std::string& dir) {
  KeyPairPaths paths{dir + "/auth-key.pem", dir + "/auth-key.pub.pem"};
  struct stat st;
  if (stat(paths.private_key.c_str(), &st) == 0 && stat(paths.public_key.c_str(), &st) == 0) {
    return paths;
  }
  absl::StatusOr<KeyPairPem> pair = GenerateEs256KeyPair();
  if (!pair.ok()) return pair.status();
  // The private key is written 0600 from the start, never readable by
  // others, and renamed into place only once whole.
  const std::string tmp = paths.private_key + ".tmp";
  std::remove(tmp.c_str());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  FILE* f = fd < 0 ? nullptr : fdopen(fd, "w");
  if (f == nullptr || std::fwrite(pair->private_key.data(), 1, pair->private_key.size(), f) !=
                          pair->private_key.size()) {
    if (f != nullptr) std::fclose(f);
    return absl::UnavailableError(absl::StrCat("cannot write the key file ", paths.private_key));
  }
  std::fclose(f);
  FILE* pub = std::fopen(paths.public_key.c_str(), "w");
  if (pub == nullptr || std::fwrite(pair->public_key.data(), 1, pair->public_key.size(), pub) !=
                            pair->public_key.size()) {
    if (pub != nullptr) std::fclose(pub);
    return absl::UnavailableError(absl::StrCat("cannot write the key file ", paths.public_key));
  }
  std::fclose(pub);
  if (std::rename(tmp.c_str(), paths.private_key.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot write the key file ", paths.private_key));
  }
  return paths;
}

}  // namespace carescore::auth
