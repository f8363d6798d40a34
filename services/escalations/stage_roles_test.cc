// The rules checking the ladder's stage roles for whoever acts (an Acting,
// as the edge passes for calls its gate admitted).
#include <optional>
#include <string>
#include <vector>

#include "common/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/testing/escalation_fixture.h"

namespace carescore::escalations {
namespace {

using testing::At;
using ::testing::HasSubstr;
using ::testing::Not;

Acting Iro() { return {"iro-jones", {"iro"}}; }
Acting TeamManager() { return {"tm-smith", {"team_manager"}}; }
Acting ServiceManager() { return {"sm-patel", {"service_manager"}}; }
Acting HeadOfService() { return {"hos-ali", {"head_of_service"}}; }
Acting Admin() { return {"admin-1", {"admin"}}; }

class StageRolesTest : public testing::EscalationServiceFixture {
 protected:
  // Each step a day after the last (cases are raised on 1 May 2019).
  google::protobuf::Timestamp Next() { return At(2019, 5, ++day_); }

  v1::Escalation RaiseAs(const Acting& acting, int stage) {
    auto raised = service_->RaiseEscalation(Raise(stage, At(2019, 5, 1)), acting);
    EXPECT_TRUE(raised.ok()) << raised.status();
    return raised.ok() ? raised->escalation() : v1::Escalation();
  }

  absl::Status Escalate(const std::string& id, const std::optional<Acting>& acting, int to = 0) {
    v1::EscalateEscalationRequest r;
    r.set_id(id);
    r.set_to_stage(to);
    r.set_note("no plan");
    *r.mutable_at() = Next();
    return service_->EscalateEscalation(r, acting).status();
  }

  absl::Status Respond(const std::string& id, const std::optional<Acting>& acting) {
    v1::RespondToEscalationRequest r;
    r.set_id(id);
    r.set_note("plan agreed");
    *r.mutable_at() = Next();
    return service_->RespondToEscalation(r, acting).status();
  }

  absl::Status Withdraw(const std::string& id, const Acting& acting) {
    v1::WithdrawEscalationRequest r;
    r.set_id(id);
    *r.mutable_at() = Next();
    return service_->WithdrawEscalation(r, acting).status();
  }

  absl::Status Refer(const std::string& id, const Acting& acting) {
    v1::ReferToCafcassRequest r;
    r.set_id(id);
    *r.mutable_at() = Next();
    return service_->ReferToCafcass(r, acting).status();
  }

  absl::Status Resolve(const std::string& id, const Acting& acting) {
    v1::ResolveEscalationRequest r;
    r.set_id(id);
    r.set_outcome("plan changed");
    *r.mutable_at() = Next();
    return service_->ResolveEscalation(r, acting).status();
  }

  v1::Escalation Stored(const std::string& id) {
    absl::StatusOr<std::optional<v1::Escalation>> found = store_->Find(id);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : v1::Escalation();
  }

  int day_ = 1;
};

TEST_F(StageRolesTest, ATeamManagerCannotEscalateToStageTwoAndNothingIsWritten) {
  const v1::Escalation e = RaiseAs(Iro(), 1);
  const size_t logged = AccessLog().size();
  absl::Status refused = Escalate(e.id(), TeamManager());
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(refused), "STAGE_NOT_ALLOWED");
  EXPECT_THAT(refused.message(), HasSubstr("stage 2"));
  EXPECT_THAT(refused.message(), HasSubstr("iro, admin"));
  EXPECT_THAT(refused.message(), Not(HasSubstr(e.child_ref())));
  const v1::Escalation after = Stored(e.id());
  EXPECT_EQ(after.stage(), 1);
  EXPECT_EQ(after.transitions_size(), 1);
  EXPECT_EQ(AccessLog().size(), logged);
  // The IRO may.
  EXPECT_TRUE(Escalate(e.id(), Iro()).ok());
  EXPECT_EQ(Stored(e.id()).stage(), 2);
}

TEST_F(StageRolesTest, AnIroRaisesAndATeamManagerRespondsAtStageOne) {
  v1::RaiseEscalationRequest raise = Raise(1, At(2019, 5, 1));
  raise.set_actor("someone-else");  // The acting subject wins.
  auto raised = service_->RaiseEscalation(raise, Iro());
  ASSERT_TRUE(raised.ok()) << raised.status();
  const std::string id = raised->escalation().id();
  EXPECT_EQ(raised->escalation().transitions(0).actor(), "iro-jones");

  // Stage 1's response is the team manager's, not the IRO's.
  EXPECT_EQ(Respond(id, Iro()).code(), absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(Respond(id, TeamManager()).ok());
  const v1::Escalation after = Stored(id);
  EXPECT_EQ(after.status(), v1::ESCALATION_STATUS_RESPONDED);
  ASSERT_EQ(after.transitions_size(), 2);
  EXPECT_EQ(after.transitions(1).actor(), "tm-smith");
  EXPECT_THAT(AccessLog().back(), HasSubstr("tm-smith"));

  // Only stage 1's raisers may raise there.
  auto by_manager = service_->RaiseEscalation(Raise(1, At(2019, 5, 1)), TeamManager());
  EXPECT_EQ(by_manager.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(InStore().size(), 1U);
}

TEST_F(StageRolesTest, EachStageHasItsOwnRoles) {
  const v1::Escalation e = RaiseAs(Iro(), 2);
  EXPECT_EQ(Respond(e.id(), TeamManager()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Respond(e.id(), ServiceManager()).ok());
  EXPECT_EQ(Escalate(e.id(), Iro()).code(), absl::StatusCode::kPermissionDenied);  // Into 3.
  EXPECT_TRUE(Escalate(e.id(), HeadOfService()).ok());
  EXPECT_EQ(Resolve(e.id(), ServiceManager()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Resolve(e.id(), HeadOfService()).ok());
  // Raising straight at stage 3 is the Head of Service's.
  EXPECT_EQ(service_->RaiseEscalation(Raise(3, At(2019, 5, 1)), Iro()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(StageRolesTest, AdminMayDoAnything) {
  const v1::Escalation e = RaiseAs(Admin(), 3);
  ASSERT_TRUE(Respond(e.id(), Admin()).ok());
  ASSERT_TRUE(Escalate(e.id(), Admin()).ok());
  ASSERT_TRUE(Refer(e.id(), Admin()).ok());
  EXPECT_EQ(Stored(e.id()).status(), v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS);
  const v1::Escalation other = RaiseAs(Admin(), 1);
  ASSERT_TRUE(Resolve(other.id(), Admin()).ok());
  const v1::Escalation third = RaiseAs(Admin(), 4);
  ASSERT_TRUE(Withdraw(third.id(), Admin()).ok());
  const v1::Escalation referred = Stored(e.id());
  for (const v1::Transition& t : referred.transitions()) EXPECT_EQ(t.actor(), "admin-1");
}

TEST_F(StageRolesTest, WithdrawingIsForARaiserOfStageOneOrTheCurrentStage) {
  const v1::Escalation e = RaiseAs(HeadOfService(), 3);
  EXPECT_EQ(Withdraw(e.id(), TeamManager()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Withdraw(e.id(), ServiceManager()).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Withdraw(e.id(), Iro()).ok());
  const v1::Escalation other = RaiseAs(HeadOfService(), 4);
  EXPECT_TRUE(Withdraw(other.id(), HeadOfService()).ok());
}

TEST_F(StageRolesTest, ReferringIsForTheReferralStagesRaisers) {
  const v1::Escalation e = RaiseAs(Iro(), 1);
  absl::Status refused = Refer(e.id(), HeadOfService());
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.message(), HasSubstr("stage 5"));
  EXPECT_TRUE(Refer(e.id(), Iro()).ok());
}

TEST_F(StageRolesTest, AnInadequateAuditIsAStageOneRaise) {
  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-1001");
  audit.set_review_date("2019-05-01");
  audit.set_iro_id("iro-7");
  audit.set_team("LAC 2");
  audit.set_grade(v1::AUDIT_GRADE_INADEQUATE);
  auto refused = service_->RecordAudit(audit, TeamManager());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(refused.status()), "STAGE_NOT_ALLOWED");
  EXPECT_TRUE(InStore().empty());
  const absl::CivilDay may_day(2019, 5, 1);
  EXPECT_TRUE(store_->ListAudits("372", may_day, may_day)->empty());
  auto recorded = service_->RecordAudit(audit, Iro());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->escalation().transitions(0).actor(), "iro-jones");
  // A grade that raises nothing needs no stage role.
  audit.set_child_ref("C-1002");
  audit.set_grade(v1::AUDIT_GRADE_GOOD);
  EXPECT_TRUE(service_->RecordAudit(audit, TeamManager()).ok());
}

// No Acting: no gate admitted the call, so the rules do not check stages
// and take the request's actor.
TEST_F(StageRolesTest, WithoutAnActingTheStageCheckIsSkipped) {
  const v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  EXPECT_EQ(e.transitions(0).actor(), "iro-7");
  EXPECT_TRUE(Escalate(e.id(), std::nullopt, 4).ok());
  EXPECT_EQ(Stored(e.id()).stage(), 4);
}

}  // namespace
}  // namespace carescore::escalations
