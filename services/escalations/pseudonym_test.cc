#include "services/escalations/pseudonym.h"

#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

TEST(PseudonymTest, RefusesIdentifiers) {
  // 943 476 5919 is a valid NHS number (check digit 9).
  EXPECT_TRUE(LooksLikeNhsNumber("9434765919"));
  EXPECT_TRUE(LooksLikeNhsNumber("943-476-5919"));
  EXPECT_FALSE(LooksLikeNhsNumber("9434765918"));
  for (const char* bad :
       {"9434765919", "943 476 5919", "Jane Smith", "jane@example.org", "", "a/b"}) {
    absl::Status s = CheckChildRef(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(CheckChildRef("Jane Smith").message().find("pseudonymous"), absl::string_view::npos);
  EXPECT_NE(CheckChildRef("9434765919").message().find("NHS number"), absl::string_view::npos);
}

TEST(PseudonymTest, AcceptsPseudonyms) {
  for (const char* good : {"C-104233", "LL.88812", "child_7", "9434765918"}) {
    EXPECT_TRUE(CheckChildRef(good).ok()) << good;
  }
}

}  // namespace
}  // namespace carescore::escalations
