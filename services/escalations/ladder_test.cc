#include "services/escalations/ladder.h"

#include <string>
#include <vector>

#include "common/csv.h"
#include "common/grpc_status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/escalations/ladder_flag.h"

namespace carescore::escalations {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Raise(const Ladder& ladder, int stage) {
  const v1::Stage* s = ladder.Find(stage);
  EXPECT_NE(s, nullptr) << stage;
  return s == nullptr ? std::vector<std::string>()
                      : std::vector<std::string>(s->raise_roles().begin(), s->raise_roles().end());
}

std::vector<std::string> Respond(const Ladder& ladder, int stage) {
  const v1::Stage* s = ladder.Find(stage);
  EXPECT_NE(s, nullptr) << stage;
  return s == nullptr
             ? std::vector<std::string>()
             : std::vector<std::string>(s->respond_roles().begin(), s->respond_roles().end());
}

absl::StatusOr<Ladder> FromText(absl::string_view text) {
  absl::StatusOr<CsvTable> table = CsvTable::Parse(text, "ladder.csv");
  if (!table.ok()) return table.status();
  return Ladder::FromCsv(*table);
}

void ExpectSameStages(const Ladder& a, const Ladder& b) {
  ASSERT_EQ(a.stages.size(), b.stages.size());
  for (size_t i = 0; i < a.stages.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a.stages[i], b.stages[i]))
        << a.stages[i].DebugString() << " vs " << b.stages[i].DebugString();
  }
}

constexpr absl::string_view kRotherhamWithoutRoles =
    "stage,raised_by,raised_to,response_working_days\n"
    "1,Independent Reviewing Officer,Team Manager,1\n"
    "2,IRO Operations Manager,Service Manager,5\n"
    "3,Head of Service (Safeguarding),Head of Service,4\n"
    "4,Head of Service (Safeguarding),Deputy Director or Director,5\n"
    "5,Independent Reviewing Officer,CAFCASS (referral),\n";

TEST(LadderRolesTest, TheDefaultLadderDerivesRotherhamsRoles) {
  const Ladder ladder = Ladder::Default();
  EXPECT_THAT(Raise(ladder, 1), ElementsAre("iro"));
  EXPECT_THAT(Respond(ladder, 1), ElementsAre("team_manager"));
  EXPECT_THAT(Raise(ladder, 2), ElementsAre("iro"));
  EXPECT_THAT(Respond(ladder, 2), ElementsAre("service_manager"));
  EXPECT_THAT(Raise(ladder, 3), ElementsAre("head_of_service"));
  EXPECT_THAT(Respond(ladder, 3), ElementsAre("head_of_service"));
  EXPECT_THAT(Raise(ladder, 4), ElementsAre("head_of_service"));
  EXPECT_THAT(Respond(ladder, 4), ElementsAre("head_of_service"));
  EXPECT_THAT(Raise(ladder, 5), ElementsAre("iro"));
  EXPECT_THAT(Respond(ladder, 5), IsEmpty());  // CAFCASS is no role.
}

TEST(LadderRolesTest, ACsvWithoutRoleColumnsDerivesTheDefaults) {
  absl::StatusOr<Ladder> ladder = FromText(kRotherhamWithoutRoles);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  ExpectSameStages(*ladder, Ladder::Default());
}

// The sample file spells out the roles; they are the defaults.
TEST(LadderRolesTest, TheSampleFileIsTheDefaultLadder) {
  absl::StatusOr<Ladder> ladder =
      LoadLadder(std::string(CARESCORE_IRO_DIR) + "/escalation_stages.csv");
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  ExpectSameStages(*ladder, Ladder::Default());
}

TEST(LadderRolesTest, RoleColumnsOverrideTheTitles) {
  absl::StatusOr<Ladder> ladder = FromText(
      "stage,raised_by,raised_to,response_working_days,raise_roles,respond_roles\n"
      "1,IRO,Team Manager,1,iro;team_manager,\n"
      "2,Senior practitioner,Practice lead,5, head_of_service  service_manager ; ,team_manager\n"
      "3,Head of Service,Director,4,admin,\n"
      "4,IRO,CAFCASS (referral),,,\n");
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  EXPECT_THAT(Raise(*ladder, 1), ElementsAre("iro", "team_manager"));
  EXPECT_THAT(Respond(*ladder, 1), ElementsAre("team_manager"));  // Empty cell: from the title.
  // Listed in the usual order, whatever the cell's order.
  EXPECT_THAT(Raise(*ladder, 2), ElementsAre("service_manager", "head_of_service"));
  EXPECT_THAT(Respond(*ladder, 2), ElementsAre("team_manager"));
  EXPECT_THAT(Raise(*ladder, 3), IsEmpty());  // admin only, and admin is never listed.
  EXPECT_THAT(Respond(*ladder, 3), ElementsAre("head_of_service"));
  EXPECT_THAT(Raise(*ladder, 4), ElementsAre("iro"));
}

TEST(LadderRolesTest, UnknownRoleNamesAreRefusedNamingLineAndColumn) {
  absl::StatusOr<Ladder> ladder = FromText(
      "stage,raised_by,raised_to,response_working_days,raise_roles,respond_roles\n"
      "1,IRO,Team Manager,1,iro,team_manager\n"
      "2,IRO,Service Manager,5,analyst,service_manager\n"
      "3,Head of Service,Director,4,head_of_service,Team Manager\n");
  ASSERT_EQ(ladder.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(ladder.status().message());
  // The CSV's line 3 (row 2 of the ladder) and line 4.
  EXPECT_THAT(message, HasSubstr("row 3: field raise_roles: unknown role \"analyst\""));
  EXPECT_THAT(message, HasSubstr("row 4: field respond_roles: unknown role \"Team\""));
  EXPECT_THAT(message, Not(HasSubstr("row 2:")));
}

TEST(LadderRolesTest, TitlesMapToRolesByWholeWords) {
  EXPECT_THAT(RolesFromTitle("Independent Reviewing Officer"), ElementsAre("iro"));
  EXPECT_THAT(RolesFromTitle("IRO Operations Manager"), ElementsAre("iro"));
  EXPECT_THAT(RolesFromTitle("Senior IRO"), ElementsAre("iro"));
  EXPECT_THAT(RolesFromTitle("team manager"), ElementsAre("team_manager"));
  EXPECT_THAT(RolesFromTitle("Service Manager"), ElementsAre("service_manager"));
  EXPECT_THAT(RolesFromTitle("Head of Service (Safeguarding)"), ElementsAre("head_of_service"));
  EXPECT_THAT(RolesFromTitle("Deputy Director or Director"), ElementsAre("head_of_service"));
  EXPECT_THAT(RolesFromTitle("IRO / Team Manager"), ElementsAre("iro", "team_manager"));
  EXPECT_THAT(RolesFromTitle("CAFCASS (referral)"), IsEmpty());
  EXPECT_THAT(RolesFromTitle("Virology lead"), IsEmpty());       // "iro" inside a word.
  EXPECT_THAT(RolesFromTitle("Directorate office"), IsEmpty());  // Not the word Director.
}

TEST(LadderRolesTest, OnlyTheStagesRolesOrAdminMayAct) {
  const Ladder ladder = Ladder::Default();
  EXPECT_TRUE(ladder.MayEnter(1, {"iro"}, "raising at").ok());
  EXPECT_TRUE(ladder.MayEnter(2, {"team_manager", "iro"}, "escalating to").ok());
  EXPECT_TRUE(ladder.MayRespond(1, {"team_manager"}, "responding at").ok());
  EXPECT_TRUE(ladder.MayEnter(4, {"admin"}, "escalating to").ok());
  EXPECT_TRUE(ladder.MayRespond(5, {"admin"}, "responding at").ok());
  EXPECT_TRUE(ladder.MayEnter(9, {"admin"}, "escalating to").ok());

  absl::Status refused = ladder.MayEnter(2, {"team_manager"}, "escalating to");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(refused), kStageNotAllowed);
  EXPECT_EQ(refused.message(),
            "escalating to stage 2 needs one of the roles iro, admin (the stage's raise_roles); "
            "the caller has team_manager");
  EXPECT_EQ(ladder.MayRespond(1, {"iro"}, "responding at").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ladder.MayEnter(1, {}, "raising at").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ladder.MayEnter(9, {"iro"}, "escalating to").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(LadderRolesTest, WithdrawingNeedsARaiserOfStageOneOrTheCurrentStage) {
  const Ladder ladder = Ladder::Default();
  EXPECT_TRUE(ladder.MayWithdraw(3, {"iro"}).ok());              // Stage 1's raiser.
  EXPECT_TRUE(ladder.MayWithdraw(3, {"head_of_service"}).ok());  // Stage 3's.
  EXPECT_TRUE(ladder.MayWithdraw(1, {"admin"}).ok());
  absl::Status refused = ladder.MayWithdraw(3, {"team_manager"});
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(refused), kStageNotAllowed);
  EXPECT_THAT(refused.message(), HasSubstr("iro, head_of_service, admin"));
  EXPECT_EQ(ladder.MayWithdraw(1, {"head_of_service"}).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace carescore::escalations
