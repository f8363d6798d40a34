#include "common/auth/service_token.h"

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/auth/gate.h"
#include "gtest/gtest.h"

namespace carescore::auth {
namespace {

std::unique_ptr<TokenVerifier> Trusting(const KeyPairPem& pair, std::function<absl::Time()> now) {
  VerifierOptions options;
  options.public_keys_pem = {pair.public_key};
  options.issuer = "council";
  options.now = std::move(now);
  return *TokenVerifier::Create(std::move(options));
}

TEST(ServiceToken, SignedTokensCarryTheServiceRoleAndAreRenewedAtHalfLife) {
  KeyPairPem pair = *GenerateEs256KeyPair();
  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  auto clock = [&now] { return now; };
  auto token = ServiceToken::Signed(pair.private_key, "carescore-reports", "council", "",
                                    absl::Hours(1), clock);
  ASSERT_TRUE(token.ok()) << token.status();
  const std::string first = *(*token)->Get();
  absl::StatusOr<Caller> caller = Trusting(pair, clock)->Verify(first);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "carescore-reports");
  EXPECT_EQ(caller->roles, std::vector<std::string>{"service"});
  EXPECT_TRUE(caller->la_codes.empty());

  now += absl::Minutes(29);
  EXPECT_EQ(*(*token)->Get(), first);  // Still fresh: the same token.
  now += absl::Minutes(2);
  const std::string second = *(*token)->Get();
  EXPECT_NE(second, first);
  EXPECT_TRUE(Trusting(pair, clock)->Verify(second).ok());
}

TEST(ServiceToken, AKeyThatCannotSignStopsTheServerAtStart) {
  auto token = ServiceToken::Signed("not a key", "carescore-reports");
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ServiceToken, AFileTokenIsReadAgainWhenTheFileChanges) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/service-token-", getpid());
  std::ofstream(path) << "  first.token.value\n";
  auto token = ServiceToken::FromFile(path);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*(*token)->Get(), "first.token.value");
  std::ofstream(path) << "second.token.value.longer\n";
  EXPECT_EQ(*(*token)->Get(), "second.token.value.longer");
  std::remove(path.c_str());
  absl::StatusOr<std::string> gone = (*token)->Get();
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(gone.status().message()).find(path), std::string::npos);
  EXPECT_EQ(ServiceToken::FromFile(path).status().code(), absl::StatusCode::kNotFound);
}

TEST(PeerCallMetadata, CarriesTheServiceTokenAndTheCurrentCallersToken) {
  KeyPairPem pair = *GenerateEs256KeyPair();
  auto token = *ServiceToken::Signed(pair.private_key, "carescore-benchmarks");
  const std::string own = *token->Get();

  PeerMetadata alone = *PeerCallMetadata(*token);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].first, "authorization");
  EXPECT_EQ(alone[0].second, "Bearer " + own);

  ScopedCallToken scoped("the.callers.token");
  PeerMetadata for_caller = *PeerCallMetadataSource(*token)();
  ASSERT_EQ(for_caller.size(), 2u);
  EXPECT_EQ(for_caller[1].first, kOnBehalfOfHeader);
  EXPECT_EQ(for_caller[1].second, "the.callers.token");
}

}  // namespace
}  // namespace carescore::auth
