// The escalation service's edge behind a real auth gate: the actor is the
// token's subject whatever the call claims, and the ladder's stage roles
// are enforced on the wire.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/auth/sqlite_audit_log.h"
#include "common/auth/testing/test_auth.h"
#include "common/auth/token.h"
#include "common/testing/loopback_server.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/escalations/escalation_grpc_service.h"
#include "services/escalations/testing/escalation_fixture.h"

namespace carescore::escalations {
namespace {

using testing::At;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using auth::testing::Reason;

class EscalationAuthTest : public testing::EscalationServiceFixture {
 protected:
  void SetUp() override {
    EscalationServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    edge_ = std::make_unique<EscalationGrpcService>(*service_, &auth_.gate());
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{edge_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::EscalationService::NewStub(server_->channel());
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // A context carrying a token for LA 372, and a claimed actor that must
  // be ignored.
  std::unique_ptr<grpc::ClientContext> As(const std::string& subject,
                                          std::vector<std::string> roles) {
    auth::MintOptions o;
    o.subject = subject;
    o.roles = std::move(roles);
    o.la_codes = {"372"};
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    context->AddMetadata("authorization", "Bearer " + *auth::MintToken(auth_.private_key(), o));
    context->AddMetadata("x-carescore-actor", "mallory");
    return context;
  }

  auth::testing::TestAuth auth_;
  std::unique_ptr<EscalationGrpcService> edge_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::EscalationService::Stub> stub_;
};

TEST_F(EscalationAuthTest, TheActorIsTheTokensSubjectWhateverTheCallClaims) {
  v1::RaiseEscalationRequest raise = Raise(1, At(2019, 5, 1));
  raise.set_actor("mallory-too");
  v1::RaiseEscalationResponse raised;
  grpc::Status s = stub_->RaiseEscalation(As("iro-jones", {"iro"}).get(), raise, &raised);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(raised.escalation().transitions(0).actor(), "iro-jones");

  v1::RespondToEscalationRequest respond;
  respond.set_id(raised.escalation().id());
  respond.set_actor("mallory-too");
  *respond.mutable_at() = At(2019, 5, 2);
  v1::RespondToEscalationResponse responded;
  s = stub_->RespondToEscalation(As("tm-smith", {"team_manager"}).get(), respond, &responded);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::GetEscalationRequest get;
  get.set_id(raised.escalation().id());
  get.set_actor("mallory-too");
  v1::GetEscalationResponse got;
  s = stub_->GetEscalation(As("tm-smith", {"team_manager"}).get(), get, &got);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(got.escalation().transitions_size(), 2);
  EXPECT_EQ(got.escalation().transitions(1).actor(), "tm-smith");

  // The service's access log and the gate's audit log name the subjects only.
  const std::vector<std::string> access = AccessLog();
  ASSERT_EQ(access.size(), 3U);
  EXPECT_THAT(access[0], HasSubstr(" iro-jones raise "));
  EXPECT_THAT(access[1], HasSubstr(" tm-smith TRANSITION_KIND_RESPONDED "));
  EXPECT_THAT(access[2], HasSubstr(" tm-smith read "));
  for (const std::string& line : access) EXPECT_THAT(line, Not(HasSubstr("mallory")));
  const std::vector<auth::AuditEntry> entries = *auth_.audit_log().List(auth::AuditFilter());
  std::vector<std::string> subjects;
  subjects.reserve(entries.size());
  for (const auth::AuditEntry& e : entries) subjects.push_back(e.subject);
  EXPECT_THAT(subjects, ElementsAre("iro-jones", "tm-smith", "tm-smith"));
}

TEST_F(EscalationAuthTest, AStageTheRoleMayNotActAtIsRefusedAndNothingIsWritten) {
  v1::RaiseEscalationResponse raised;
  ASSERT_TRUE(
      stub_->RaiseEscalation(As("iro-jones", {"iro"}).get(), Raise(1, At(2019, 5, 1)), &raised)
          .ok());
  v1::EscalateEscalationRequest escalate;
  escalate.set_id(raised.escalation().id());
  *escalate.mutable_at() = At(2019, 5, 2);
  v1::EscalateEscalationResponse escalated;
  grpc::Status s =
      stub_->EscalateEscalation(As("tm-smith", {"team_manager"}).get(), escalate, &escalated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(s), "STAGE_NOT_ALLOWED");
  EXPECT_THAT(s.error_message(), HasSubstr("stage 2"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("C-1001")));
  ASSERT_EQ(InStore().size(), 1U);
  EXPECT_EQ(InStore()[0].stage(), 1);
  EXPECT_EQ(InStore()[0].transitions_size(), 1);
  auto entries = *auth_.audit_log().List(auth::AuditFilter());
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[1].subject, "tm-smith");
  EXPECT_EQ(entries[1].method, "EscalationService/EscalateEscalation");
  EXPECT_EQ(entries[1].result, "PERMISSION_DENIED STAGE_NOT_ALLOWED");

  // The IRO may; admin may too, at any stage.
  s = stub_->EscalateEscalation(As("iro-jones", {"iro"}).get(), escalate, &escalated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  escalate.set_to_stage(4);
  escalate.set_note("no response from the service manager");
  *escalate.mutable_at() = At(2019, 5, 3);
  s = stub_->EscalateEscalation(As("admin-1", {"admin"}).get(), escalate, &escalated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(escalated.escalation().stage(), 4);
}

TEST_F(EscalationAuthTest, TheLadderShowsWhoMayActAtEachStage) {
  v1::GetLadderResponse ladder;
  grpc::Status s =
      stub_->GetLadder(As("analyst-1", {"analyst"}).get(), v1::GetLadderRequest(), &ladder);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(ladder.stages_size(), 5);
  EXPECT_THAT(ladder.stages(0).raise_roles(), ElementsAre("iro"));
  EXPECT_THAT(ladder.stages(0).respond_roles(), ElementsAre("team_manager"));
  EXPECT_THAT(ladder.stages(1).respond_roles(), ElementsAre("service_manager"));
}

}  // namespace
}  // namespace carescore::escalations
