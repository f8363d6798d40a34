#include "services/escalations/pseudonym.h"

#include <string>
#include <vector>

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

TEST(PseudonymTest, TheDefaultPatternRefusesNamesAndIdentifiers) {
  const ChildRefRule rule = ChildRefRule::Default();
  for (const char* bad :
       {"JohnSmith", "john.smith", "Jane_Doe_2011-03-04", "NHS9434765919", "943.476.5919",
        "9434765919", "Jane Smith", "jane@example.org", "child_7", "c-104233", ""}) {
    absl::Status s = rule.Check(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("child_ref"), absl::string_view::npos) << s;
    if (*bad != '\0') {
      EXPECT_EQ(s.message().find(bad), absl::string_view::npos) << "echoed: " << s;
    }
  }
  EXPECT_NE(rule.Check("NHS9434765919").message().find("NHS number"), absl::string_view::npos);
  EXPECT_NE(rule.Check("943.476.5919").message().find("NHS number"), absl::string_view::npos);
  EXPECT_NE(rule.Check("JohnSmith").message().find("shape"), absl::string_view::npos);
  for (const char* good : {"C-104233", "C-1", "C-2002", "ABCD0012345678", "LAC-77001"}) {
    EXPECT_TRUE(rule.Check(good).ok()) << good << ": " << rule.Check(good);
  }
}

TEST(PseudonymTest, ACouncilSetsItsOwnShapeButNotItsOwnRefusals) {
  absl::StatusOr<ChildRefRule> rule = ChildRefRule::Make("^LL\\.[0-9]{5}$");
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_TRUE(rule->Check("LL.88812").ok());
  EXPECT_FALSE(rule->Check("C-104233").ok());
  absl::StatusOr<ChildRefRule> loose = ChildRefRule::Make(".*");
  ASSERT_TRUE(loose.ok());
  EXPECT_TRUE(loose->Check("child_7").ok());
  EXPECT_FALSE(loose->Check("943.476.5919").ok());  // The documented refusals stay.
  EXPECT_FALSE(loose->Check("Jane Smith").ok());
  EXPECT_FALSE(loose->Check("jane@example.org").ok());
  EXPECT_EQ(ChildRefRule::Make("([A-Z").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PseudonymTest, NhsNumbersWithAnySeparatorsAreFoundInText) {
  for (const char* text :
       {"9434765919", "NHS9434765919", "nhs no 943 476 5919 seen", "943.476.5919", "943-476-5919",
        "943 - 476 - 5919", "94 34 76 59 19", "9_4_3_4_7_6_5_9_1_9"}) {
    EXPECT_TRUE(ContainsNhsNumber(text)) << text;
  }
  for (const char* text : {"9434765918", "reviewed 2019-03-04 at 10:00", "stage 2 of 4",
                           "94347659190", "call 07700 900123", ""}) {
    EXPECT_FALSE(ContainsNhsNumber(text)) << text;
  }
}

TEST(PseudonymTest, FreeTextRefusesNhsNumbersEmailsAndLength) {
  EXPECT_TRUE(
      CheckFreeText("Plan agreed at review; team manager to confirm by Friday.", "note", 4000)
          .ok());
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{{"child's NHS no 943 476 5919", "NHS number"},
                                         {"emailed jane.doe@example.org about it", "e-mail"},
                                         {"NHS9434765919", "NHS number"}}) {
    absl::Status s = CheckFreeText(c.text, "note", 4000);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(s.message().find("note"), absl::string_view::npos) << s;
    EXPECT_NE(s.message().find(c.expected), absl::string_view::npos) << s;
    EXPECT_EQ(s.message().find(c.text), absl::string_view::npos) << "echoed: " << s;
  }
  absl::Status long_note = CheckFreeText(std::string(4001, 'x'), "note", 4000);
  EXPECT_EQ(long_note.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(long_note.message().find("4000"), absl::string_view::npos) << long_note;
}

}  // namespace
}  // namespace carescore::escalations
