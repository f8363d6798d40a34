#include "services/escalations/escalation_grpc_service.h"

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/idempotency/idempotent_writes.h"
#include "common/idempotency/request_log.h"
#include "common/testing/error_details.h"
#include "common/testing/loopback_server.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/escalations/testing/escalation_fixture.h"

namespace carescore::escalations {
namespace {

using testing::At;

// The wire edge on a real server on a port the OS picks, over the shared
// fixture's service.
class EscalationGrpcServiceTest : public testing::EscalationServiceFixture {
 protected:
  void SetUp() override {
    EscalationServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<std::unique_ptr<SqliteRequestLog>> log = SqliteRequestLog::Open(":memory:");
    ASSERT_TRUE(log.ok()) << log.status();
    request_log_ = *std::move(log);
    writes_ = std::make_unique<IdempotentWrites>(*request_log_);
    grpc_service_ = std::make_unique<EscalationGrpcService>(*service_, nullptr, writes_.get());
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{grpc_service_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::EscalationService::NewStub(server_->channel());
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& actor = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!actor.empty()) context->AddMetadata("x-carescore-actor", actor);
    return context;
  }

  std::unique_ptr<SqliteRequestLog> request_log_;
  std::unique_ptr<IdempotentWrites> writes_;
  std::unique_ptr<EscalationGrpcService> grpc_service_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::EscalationService::Stub> stub_;
};

TEST_F(EscalationGrpcServiceTest, RaiseAndRespondOverTheWire) {
  v1::RaiseEscalationResponse raised;
  grpc::Status s = stub_->RaiseEscalation(Context().get(), Raise(1, At(2018, 12, 21)), &raised);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(raised.escalation().id(), "ESC-000001");
  EXPECT_EQ(raised.escalation().due_date(), "2018-12-24");
  EXPECT_EQ(raised.escalation().status(), v1::ESCALATION_STATUS_OPEN);

  v1::RespondToEscalationRequest respond;
  respond.set_id(raised.escalation().id());
  respond.set_note("plan reviewed");
  *respond.mutable_at() = At(2018, 12, 24);
  v1::RespondToEscalationResponse responded;
  s = stub_->RespondToEscalation(Context().get(), respond, &responded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(responded.escalation().status(), v1::ESCALATION_STATUS_RESPONDED);
  ASSERT_EQ(responded.escalation().transitions_size(), 2);
  EXPECT_EQ(responded.escalation().transitions(1).note(), "plan reviewed");

  v1::GetEscalationRequest get;
  get.set_id(raised.escalation().id());
  v1::GetEscalationResponse got;
  ASSERT_TRUE(stub_->GetEscalation(Context().get(), get, &got).ok());
  EXPECT_EQ(got.escalation().status(), v1::ESCALATION_STATUS_RESPONDED);
}

TEST_F(EscalationGrpcServiceTest, ErrorsKeepTheirCodesOnTheWire) {
  v1::RaiseEscalationRequest bad_child = Raise(1, At(2019, 5, 1));
  bad_child.set_child_ref("9434765919");  // An NHS number, not a pseudonym.
  v1::RaiseEscalationResponse raised;
  grpc::Status s = stub_->RaiseEscalation(Context().get(), bad_child, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("pseudonymous"), std::string::npos) << s.error_message();

  v1::RaiseEscalationRequest unknown_la = Raise(1, At(2019, 5, 1));
  unknown_la.set_la_code("999");
  s = stub_->RaiseEscalation(Context().get(), unknown_la, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);  // As the proto now says.

  ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), Raise(1, At(2019, 5, 1)), &raised).ok());
  v1::WithdrawEscalationRequest withdraw;
  withdraw.set_id(raised.escalation().id());
  v1::WithdrawEscalationResponse withdrawn;
  ASSERT_TRUE(stub_->WithdrawEscalation(Context().get(), withdraw, &withdrawn).ok());
  s = stub_->WithdrawEscalation(Context().get(), withdraw, &withdrawn);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("is closed (withdrawn)"), std::string::npos)
      << s.error_message();

  v1::GetEscalationRequest get;
  get.set_id("ESC-999999");
  v1::GetEscalationResponse got;
  EXPECT_EQ(stub_->GetEscalation(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::RespondToEscalationRequest respond;
  respond.set_id("ESC-999999");
  v1::RespondToEscalationResponse responded;
  EXPECT_EQ(stub_->RespondToEscalation(Context().get(), respond, &responded).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

using carescore::testing::ReasonIn;

TEST_F(EscalationGrpcServiceTest, ARepeatedRaiseWithTheSameRequestIdMakesOneCase) {
  v1::RaiseEscalationRequest raise = Raise(1, At(2019, 5, 1));
  raise.set_request_id("3b8f9f6e-4c1a-4a8e-9d47-0d6f1f1f2a10");
  v1::RaiseEscalationResponse first;
  v1::RaiseEscalationResponse second;
  ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), raise, &first).ok());
  grpc::Status s = stub_->RaiseEscalation(Context().get(), raise, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(second.escalation().id(), first.escalation().id());
  v1::ListEscalationsRequest list;
  list.set_la_code(raise.la_code());
  v1::ListEscalationsResponse listed;
  ASSERT_TRUE(stub_->ListEscalations(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.escalations_size(), 1);

  // The same id with other content is refused and raises nothing.
  raise.set_team("Another team");
  s = stub_->RaiseEscalation(Context().get(), raise, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ReasonIn(s), "REQUEST_ID_REUSED");
  ASSERT_TRUE(stub_->ListEscalations(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.escalations_size(), 1);

  // Without a request id, each call is a new case.
  raise.clear_request_id();
  ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), raise, &second).ok());
  EXPECT_NE(second.escalation().id(), first.escalation().id());
}

TEST_F(EscalationGrpcServiceTest, AStaleEtagIsRefusedAndChangesNothing) {
  v1::RaiseEscalationResponse raised;
  ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), Raise(1, At(2019, 5, 1)), &raised).ok());
  const std::string read_etag = raised.escalation().etag();
  ASSERT_FALSE(read_etag.empty());

  v1::RespondToEscalationRequest respond;
  respond.set_id(raised.escalation().id());
  respond.set_etag(read_etag);
  *respond.mutable_at() = At(2019, 5, 2);
  v1::RespondToEscalationResponse responded;
  ASSERT_TRUE(stub_->RespondToEscalation(Context().get(), respond, &responded).ok());
  EXPECT_NE(responded.escalation().etag(), read_etag);

  // Someone acting on what they read before the response is refused.
  v1::EscalateEscalationRequest escalate;
  escalate.set_id(raised.escalation().id());
  escalate.set_etag(read_etag);
  *escalate.mutable_at() = At(2019, 5, 3);
  v1::EscalateEscalationResponse escalated;
  grpc::Status s = stub_->EscalateEscalation(Context().get(), escalate, &escalated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ReasonIn(s), "STALE_ETAG");
  v1::GetEscalationRequest get;
  get.set_id(raised.escalation().id());
  v1::GetEscalationResponse got;
  ASSERT_TRUE(stub_->GetEscalation(Context().get(), get, &got).ok());
  EXPECT_EQ(got.escalation().stage(), 1);
  EXPECT_EQ(got.escalation().etag(), responded.escalation().etag());

  // With the current etag it goes through.
  escalate.set_etag(got.escalation().etag());
  s = stub_->EscalateEscalation(Context().get(), escalate, &escalated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(escalated.escalation().stage(), 2);
}

TEST_F(EscalationGrpcServiceTest, ErrorsCarryStableReasons) {
  v1::GetEscalationRequest get;
  get.set_id("ESC-999999");
  v1::GetEscalationResponse got;
  grpc::Status s = stub_->GetEscalation(Context().get(), get, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonIn(s), "ESCALATION_NOT_FOUND");

  v1::RaiseEscalationResponse raised;
  ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), Raise(1, At(2019, 5, 1)), &raised).ok());
  v1::WithdrawEscalationRequest withdraw;
  withdraw.set_id(raised.escalation().id());
  v1::WithdrawEscalationResponse withdrawn;
  ASSERT_TRUE(stub_->WithdrawEscalation(Context().get(), withdraw, &withdrawn).ok());
  s = stub_->WithdrawEscalation(Context().get(), withdraw, &withdrawn);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonIn(s), "ILLEGAL_TRANSITION");

  // An error with no reason of its own gets its code's.
  v1::RaiseEscalationRequest bad_child = Raise(1, At(2019, 5, 1));
  bad_child.set_child_ref("9434765919");
  s = stub_->RaiseEscalation(Context().get(), bad_child, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(ReasonIn(s).empty());

  // A request id that is not one is refused before anything is written.
  v1::RaiseEscalationRequest bad_id = Raise(1, At(2019, 5, 1));
  bad_id.set_request_id(std::string(500, 'x'));
  s = stub_->RaiseEscalation(Context().get(), bad_id, &raised);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonIn(s), "INVALID_FIELD");
  EXPECT_LT(s.error_message().size(), 200u) << "the message echoes at most a prefix";
}

TEST_F(EscalationGrpcServiceTest, ActorMetadataReachesTheAccessLog) {
  v1::RaiseEscalationResponse raised;
  ASSERT_TRUE(
      stub_->RaiseEscalation(Context("iro-lead").get(), Raise(1, At(2019, 5, 1)), &raised).ok());
  v1::GetEscalationRequest get;
  get.set_id(raised.escalation().id());
  get.set_actor("claimed-in-body");  // The metadata wins over the request's field.
  v1::GetEscalationResponse got;
  ASSERT_TRUE(stub_->GetEscalation(Context("analyst-9").get(), get, &got).ok());
  ASSERT_TRUE(stub_->GetEscalation(Context().get(), get, &got).ok());  // No metadata.
  const std::vector<std::string> log = AccessLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[0].find("iro-lead raise ESC-000001"), std::string::npos) << log[0];
  EXPECT_NE(log[1].find("analyst-9 read ESC-000001"), std::string::npos) << log[1];
  EXPECT_NE(log[2].find("claimed-in-body read ESC-000001"), std::string::npos) << log[2];
}

TEST_F(EscalationGrpcServiceTest, WatchSeesAnotherCallsChangeAndEndsOnCancel) {
  grpc::ClientContext watch_context;
  watch_context.AddMetadata("x-carescore-actor", "dashboard-1");
  v1::WatchEscalationsRequest watch;
  watch.set_la_code("372");
  std::unique_ptr<grpc::ClientReader<v1::WatchEscalationsResponse>> reader =
      stub_->WatchEscalations(&watch_context, watch);

  absl::Mutex mu;
  std::vector<v1::WatchEscalationsResponse> seen;
  bool ended = false;
  std::thread client([&] {
    v1::WatchEscalationsResponse change;
    while (reader->Read(&change)) {
      absl::MutexLock lock(&mu);
      seen.push_back(change);
    }
    absl::MutexLock lock(&mu);
    ended = true;
  });

  // The watcher starts listening at some point after the call opens, so
  // keep changing things (another LA's case first, which it must not see)
  // until one of Rotherham's changes arrives.
  auto seen_one = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return !seen.empty(); };
  std::vector<std::string> raised_ids;
  for (int attempt = 0; attempt < 50; ++attempt) {
    v1::RaiseEscalationRequest other = Raise(1, At(2019, 5, 1));
    other.set_la_code("373");
    v1::RaiseEscalationResponse raised;
    ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), other, &raised).ok());
    ASSERT_TRUE(stub_->RaiseEscalation(Context().get(), Raise(1, At(2019, 5, 1)), &raised).ok());
    raised_ids.push_back(raised.escalation().id());
    absl::MutexLock lock(&mu);
    if (mu.AwaitWithTimeout(absl::Condition(&seen_one), absl::Milliseconds(200))) break;
  }
  {
    absl::MutexLock lock(&mu);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen[0].change(), v1::TRANSITION_KIND_RAISED);
    EXPECT_EQ(seen[0].escalation().la_code(), "372");
    EXPECT_NE(std::find(raised_ids.begin(), raised_ids.end(), seen[0].escalation().id()),
              raised_ids.end());
    EXPECT_FALSE(ended);
  }

  watch_context.TryCancel();
  client.join();
  EXPECT_TRUE(ended);
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  bool watch_logged = false;
  for (const std::string& line : AccessLog()) {
    if (line.find("dashboard-1 watch 372") != std::string::npos) watch_logged = true;
  }
  EXPECT_TRUE(watch_logged);
}

TEST_F(EscalationGrpcServiceTest, WatchWithABadFilterIsRefused) {
  grpc::ClientContext context;
  v1::WatchEscalationsRequest watch;
  watch.set_la_code("not-a-code");
  auto reader = stub_->WatchEscalations(&context, watch);
  v1::WatchEscalationsResponse change;
  EXPECT_FALSE(reader->Read(&change));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace carescore::escalations
