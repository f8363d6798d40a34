#include "common/auth/token.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "gtest/gtest.h"

namespace carescore::auth {
namespace {

// A fresh folder under the test's temp dir, its own for each test (ctest
// runs the tests as separate processes at once).
std::string TempDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/token_test_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                          std::to_string(getpid()) + "_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<KeyPairPaths> paths = EnsureDevelopmentKeyPair(TempDir("a"));
    ASSERT_TRUE(paths.ok()) << paths.status();
    private_pem_ = *ReadKeyFile(paths->private_key);
    public_pem_ = *ReadKeyFile(paths->public_key);
    absl::StatusOr<KeyPairPaths> other = EnsureDevelopmentKeyPair(TempDir("b"));
    ASSERT_TRUE(other.ok());
    other_private_pem_ = *ReadKeyFile(other->private_key);
  }

  std::unique_ptr<TokenVerifier> Verifier(std::string issuer = "", std::string audience = "") {
    VerifierOptions options;
    options.public_keys_pem = {public_pem_};
    options.issuer = std::move(issuer);
    options.audience = std::move(audience);
    options.now = [this] { return now_; };
    return *TokenVerifier::Create(std::move(options));
  }

  std::string Mint(MintOptions options, const std::string* pem = nullptr) {
    absl::StatusOr<std::string> token = MintToken(pem ? *pem : private_pem_, options, now_);
    EXPECT_TRUE(token.ok()) << token.status();
    return *token;
  }

  static MintOptions Analyst372() {
    MintOptions o;
    o.subject = "analyst-1";
    o.roles = {"analyst"};
    o.la_codes = {"372"};
    return o;
  }

  absl::Time now_ = absl::FromUnixSeconds(1700000000);
  std::string private_pem_, public_pem_, other_private_pem_;
};

TEST_F(TokenTest, AMintedTokenVerifiesWithItsClaims) {
  absl::StatusOr<Caller> caller = Verifier()->Verify(Mint(Analyst372()));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "analyst-1");
  EXPECT_TRUE(caller->HasRole("analyst"));
  EXPECT_FALSE(caller->HasRole("admin"));
  EXPECT_TRUE(caller->HasLa("372"));
  EXPECT_FALSE(caller->HasLa("382"));
  EXPECT_EQ(caller->expires, now_ + absl::Hours(8));
}

TEST_F(TokenTest, TheDevelopmentKeyIsPrivateAndKept) {
  const std::string dir = TempDir("keep");
  absl::StatusOr<KeyPairPaths> first = EnsureDevelopmentKeyPair(dir);
  ASSERT_TRUE(first.ok());
  const auto perms = std::filesystem::status(first->private_key).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string pem = *ReadKeyFile(first->private_key);
  ASSERT_TRUE(EnsureDevelopmentKeyPair(dir).ok());
  EXPECT_EQ(*ReadKeyFile(first->private_key), pem);
}

TEST_F(TokenTest, RefusalsNameTheirReason) {
  auto verifier = Verifier("https://idp.example.gov.uk", "carescore");
  MintOptions ok = Analyst372();
  ok.issuer = "https://idp.example.gov.uk";
  ok.audience = "carescore";
  ASSERT_TRUE(verifier->Verify(Mint(ok)).ok());

  auto reason = [&](const std::string& token) {
    absl::StatusOr<Caller> got = verifier->Verify(token);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated) << token;
    if (!token.empty()) {
      EXPECT_EQ(std::string(got.status().message()).find(token), std::string::npos);
    }
    return ErrorReason(got.status());
  };
  MintOptions expired = ok;
  expired.ttl = -absl::Minutes(2);  // Past the 60 s leeway.
  EXPECT_EQ(reason(Mint(expired)), "TOKEN_EXPIRED");
  MintOptions within_leeway = ok;
  within_leeway.ttl = -absl::Seconds(30);
  EXPECT_TRUE(verifier->Verify(Mint(within_leeway)).ok());
  MintOptions other_issuer = ok;
  other_issuer.issuer = "https://evil.example";
  EXPECT_EQ(reason(Mint(other_issuer)), "TOKEN_ISSUER_MISMATCH");
  MintOptions other_audience = ok;
  other_audience.audience = "someone-else";
  EXPECT_EQ(reason(Mint(other_audience)), "TOKEN_AUDIENCE_MISMATCH");
  EXPECT_EQ(reason(Mint(ok, &other_private_pem_)), "TOKEN_SIGNATURE_INVALID");
  EXPECT_EQ(reason("not-a-token"), "TOKEN_MALFORMED");
  EXPECT_EQ(reason(""), "TOKEN_MALFORMED");
  EXPECT_EQ(reason(std::string(10000, 'a')), "TOKEN_MALFORMED");

  // A token not valid for another ten minutes.
  const absl::Time real_now = now_;
  now_ += absl::Minutes(10);
  const std::string future = Mint(ok);
  now_ = real_now;
  EXPECT_EQ(reason(future), "TOKEN_NOT_YET_VALID");
}

TEST_F(TokenTest, AlgNoneAndHmacAreRefusedWhateverTheSignature) {
  auto verifier = Verifier();
  const std::string good = Mint(Analyst372());
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  for (const char* alg : {"none", "HS256", "RS512", "es256"}) {
    const std::string header =
        absl::WebSafeBase64Escape(absl::StrCat("{\"alg\":\"", alg, "\",\"typ\":\"JWT\"}"));
    for (const std::string& sig : {std::string(""), parts[2]}) {
      absl::StatusOr<Caller> got = verifier->Verify(absl::StrCat(header, ".", parts[1], ".", sig));
      EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated) << alg;
      EXPECT_EQ(ErrorReason(got.status()), "TOKEN_ALGORITHM_NOT_ALLOWED") << alg;
    }
  }
}

TEST_F(TokenTest, ChangedClaimsBreakTheSignature) {
  auto verifier = Verifier();
  std::vector<std::string> parts = absl::StrSplit(Mint(Analyst372()), '.');
  std::string claims;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &claims));
  const size_t at = claims.find("\"372\"");
  ASSERT_NE(at, std::string::npos);
  claims.replace(at, 5, "\"382\"");
  const std::string forged =
      absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(claims), ".", parts[2]);
  EXPECT_EQ(ErrorReason(verifier->Verify(forged).status()), "TOKEN_SIGNATURE_INVALID");
}

TEST_F(TokenTest, SeveralKeysForRotation) {
  VerifierOptions options;
  options.public_keys_pem = {public_pem_};
  absl::StatusOr<KeyPairPaths> next = EnsureDevelopmentKeyPair(TempDir("next"));
  ASSERT_TRUE(next.ok());
  options.public_keys_pem.push_back(*ReadKeyFile(next->public_key));
  options.now = [this] { return now_; };
  auto verifier = *TokenVerifier::Create(std::move(options));
  const std::string next_private = *ReadKeyFile(next->private_key);
  EXPECT_TRUE(verifier->Verify(Mint(Analyst372())).ok());
  EXPECT_TRUE(verifier->Verify(Mint(Analyst372(), &next_private)).ok());
  EXPECT_FALSE(verifier->Verify(Mint(Analyst372(), &other_private_pem_)).ok());
}

TEST_F(TokenTest, RsaKeysSignRs256) {
  const std::string dir = TempDir("rsa");
  ASSERT_EQ(std::system(absl::StrCat("openssl genrsa -out ", dir, "/k.pem 2048 2>/dev/null && ",
                                     "openssl rsa -in ", dir, "/k.pem -pubout -out ", dir,
                                     "/k.pub.pem 2>/dev/null")
                            .c_str()),
            0);
  VerifierOptions options;
  options.public_keys_pem = {*ReadKeyFile(dir + "/k.pub.pem"), public_pem_};
  options.now = [this] { return now_; };
  auto verifier = *TokenVerifier::Create(std::move(options));
  const std::string rsa_private = *ReadKeyFile(dir + "/k.pem");
  const std::string token = Mint(Analyst372(), &rsa_private);
  std::string header;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(0, token.find('.')), &header));
  EXPECT_NE(header.find("RS256"), std::string::npos);
  EXPECT_TRUE(verifier->Verify(token).ok());
  EXPECT_TRUE(verifier->Verify(Mint(Analyst372())).ok());  // ES256 with the EC key.
}

TEST_F(TokenTest, BadKeysAreRefusedAtStart) {
  VerifierOptions options;
  EXPECT_EQ(TokenVerifier::Create(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.public_keys_pem = {"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n"};
  absl::StatusOr<std::unique_ptr<TokenVerifier>> bad = TokenVerifier::Create(options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("public key 1"), absl::string_view::npos);
}

}  // namespace
}  // namespace carescore::auth
