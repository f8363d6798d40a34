// The RequestLog contract, run unchanged against SqliteRequestLog and
// PgRequestLog, and IdempotentWrites on top of each: a repeat returns the
// first answer and does no work, other content under the same id is refused,
// a failed write may be sent again.

#include "common/idempotency/idempotent_writes.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "carescore/v1/reports.pb.h"
#include "common/error_info.h"
#include "common/idempotency/pg_request_log.h"
#include "common/idempotency/request_log.h"
#include "common/testing/pg_server.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

using LogFactory = absl::StatusOr<std::unique_ptr<RequestLog>> (*)();

absl::StatusOr<std::unique_ptr<RequestLog>> OpenSqlite() {
  absl::StatusOr<std::unique_ptr<SqliteRequestLog>> log = SqliteRequestLog::Open(":memory:");
  if (!log.ok()) return log.status();
  return std::unique_ptr<RequestLog>(*std::move(log));
}

absl::StatusOr<std::string> FreshDatabase() {
  absl::StatusOr<testing::PgServer*> server = testing::PgServer::Shared();
  if (!server.ok()) return server.status();
  return (*server)->NewDatabase();
}

absl::StatusOr<std::unique_ptr<RequestLog>> OpenPostgres() {
  absl::StatusOr<std::string> url = FreshDatabase();
  if (!url.ok()) return url.status();
  absl::StatusOr<std::unique_ptr<PgRequestLog>> log = PgRequestLog::Open(*url);
  if (!log.ok()) return log.status();
  return std::unique_ptr<RequestLog>(*std::move(log));
}

v1::SetCommentaryRequest Request(const std::string& id, const std::string& text) {
  v1::SetCommentaryRequest r;
  r.set_la_code("372");
  r.set_month("2018-10");
  r.set_section("Health");
  r.set_text(text);
  r.set_request_id(id);
  return r;
}

class RequestLogContract : public ::testing::TestWithParam<LogFactory> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RequestLog>> log = GetParam()();
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  std::unique_ptr<RequestLog> log_;
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
};

TEST_P(RequestLogContract, ClaimsOnceThenAnswersWhatIsThere) {
  absl::StatusOr<RequestClaim> first =
      log_->Claim("M", "id-1", "fp-a", now_, now_ - absl::Minutes(5));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state, RequestClaim::State::kClaimed);
  absl::StatusOr<RequestClaim> again =
      log_->Claim("M", "id-1", "fp-b", now_, now_ - absl::Minutes(5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state, RequestClaim::State::kInProgress);
  EXPECT_EQ(again->fingerprint, "fp-a");
  // Another method may use the same id.
  absl::StatusOr<RequestClaim> other =
      log_->Claim("N", "id-1", "fp-b", now_, now_ - absl::Minutes(5));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->state, RequestClaim::State::kClaimed);

  const std::string answer("\x00\x01binary\xff", 10);
  ASSERT_TRUE(log_->Complete("M", "id-1", answer).ok());
  absl::StatusOr<RequestClaim> done =
      log_->Claim("M", "id-1", "fp-a", now_, now_ - absl::Minutes(5));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, RequestClaim::State::kDone);
  EXPECT_EQ(done->response, answer);
  EXPECT_EQ(done->fingerprint, "fp-a");
}

TEST_P(RequestLogContract, ReleasedAndStaleClaimsCanBeTakenAgain) {
  ASSERT_TRUE(log_->Claim("M", "id", "fp", now_, now_ - absl::Minutes(5)).ok());
  ASSERT_TRUE(log_->Release("M", "id").ok());
  absl::StatusOr<RequestClaim> after_release =
      log_->Claim("M", "id", "fp2", now_, now_ - absl::Minutes(5));
  ASSERT_TRUE(after_release.ok());
  EXPECT_EQ(after_release->state, RequestClaim::State::kClaimed);
  // Ten minutes on, the claim is stale: a new caller takes it over.
  const absl::Time later = now_ + absl::Minutes(10);
  absl::StatusOr<RequestClaim> stale =
      log_->Claim("M", "id", "fp3", later, later - absl::Minutes(5));
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->state, RequestClaim::State::kClaimed);
  // A completed answer is never taken over, however old.
  ASSERT_TRUE(log_->Complete("M", "id", "answer").ok());
  const absl::Time much_later = now_ + absl::Hours(2);
  absl::StatusOr<RequestClaim> kept =
      log_->Claim("M", "id", "fp3", much_later, much_later - absl::Minutes(5));
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->state, RequestClaim::State::kDone);
  // Release does not drop a completed answer.
  ASSERT_TRUE(log_->Release("M", "id").ok());
  EXPECT_EQ(log_->Claim("M", "id", "fp3", much_later, much_later)->state,
            RequestClaim::State::kDone);
}

TEST_P(RequestLogContract, ExpireForgetsOldRequests) {
  ASSERT_TRUE(log_->Claim("M", "old", "fp", now_, now_).ok());
  ASSERT_TRUE(log_->Complete("M", "old", "a").ok());
  ASSERT_TRUE(log_->Claim("M", "new", "fp", now_ + absl::Hours(30), now_).ok());
  absl::StatusOr<int64_t> gone = log_->Expire(now_ + absl::Hours(1));
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_EQ(*gone, 1);
  EXPECT_EQ(log_->Claim("M", "old", "fp", now_, now_)->state, RequestClaim::State::kClaimed);
}

TEST_P(RequestLogContract, ARepeatReturnsTheFirstAnswerAndDoesNoWork) {
  IdempotentWrites writes(*log_, [this] { return now_; });
  int calls = 0;
  auto work = [&]() -> absl::StatusOr<v1::SetCommentaryResponse> {
    ++calls;
    v1::SetCommentaryResponse r;
    r.mutable_commentary()->set_text(absl::StrCat("written ", calls));
    return r;
  };
  const v1::SetCommentaryRequest request = Request("5f0c6a52-uuid", "Improving.");
  absl::StatusOr<v1::SetCommentaryResponse> first =
      writes.Run<v1::SetCommentaryResponse>("SetCommentary", request, work);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::SetCommentaryResponse> second =
      writes.Run<v1::SetCommentaryResponse>("SetCommentary", request, work);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(second->commentary().text(), "written 1");

  absl::StatusOr<v1::SetCommentaryResponse> changed = writes.Run<v1::SetCommentaryResponse>(
      "SetCommentary", Request("5f0c6a52-uuid", "Declining."), work);
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ErrorReason(changed.status()), "REQUEST_ID_REUSED");
  EXPECT_EQ(calls, 1);

  // Without a request_id every call does the work.
  ASSERT_TRUE(writes.Run<v1::SetCommentaryResponse>("SetCommentary", Request("", "x"), work).ok());
  ASSERT_TRUE(writes.Run<v1::SetCommentaryResponse>("SetCommentary", Request("", "x"), work).ok());
  EXPECT_EQ(calls, 3);
}

TEST_P(RequestLogContract, AFailedWriteMayBeSentAgain) {
  IdempotentWrites writes(*log_, [this] { return now_; });
  bool fail = true;
  int calls = 0;
  auto work = [&]() -> absl::StatusOr<v1::SetCommentaryResponse> {
    ++calls;
    if (fail) return absl::UnavailableError("store down");
    return v1::SetCommentaryResponse();
  };
  const v1::SetCommentaryRequest request = Request("retry-me", "Text");
  EXPECT_EQ(writes.Run<v1::SetCommentaryResponse>("SetCommentary", request, work).status().code(),
            absl::StatusCode::kUnavailable);
  fail = false;
  EXPECT_TRUE(writes.Run<v1::SetCommentaryResponse>("SetCommentary", request, work).ok());
  EXPECT_EQ(calls, 2);
}

TEST_P(RequestLogContract, ABadRequestIdIsRefused) {
  IdempotentWrites writes(*log_, [this] { return now_; });
  auto work = []() -> absl::StatusOr<v1::SetCommentaryResponse> {
    return v1::SetCommentaryResponse();
  };
  for (const std::string& id :
       {std::string("has space"), std::string(129, 'a'), std::string("semi;colon")}) {
    absl::StatusOr<v1::SetCommentaryResponse> r =
        writes.Run<v1::SetCommentaryResponse>("SetCommentary", Request(id, "t"), work);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_EQ(ErrorReason(r.status()), "INVALID_FIELD");
    EXPECT_LT(r.status().message().size(), 200u);
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RequestLogContract, ::testing::Values(&OpenSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, RequestLogContract, ::testing::Values(&OpenPostgres));

TEST(RequestLogReplicas, RacingReplicasClaimAnIdOnce) {
  absl::StatusOr<std::string> url = FreshDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  std::vector<std::unique_ptr<PgRequestLog>> replicas;
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<std::unique_ptr<PgRequestLog>> log = PgRequestLog::Open(*url);
    ASSERT_TRUE(log.ok()) << log.status();
    replicas.push_back(*std::move(log));
  }
  std::atomic<int> claimed{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  const absl::Time now = absl::Now();
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<RequestClaim> c = replicas[static_cast<size_t>(i % 4)]->Claim(
          "RaiseEscalation", "same-id", "fp", now, now - absl::Minutes(5));
      if (!c.ok()) {
        ++failed;
      } else if (c->state == RequestClaim::State::kClaimed) {
        ++claimed;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(claimed.load(), 1);
}

}  // namespace
}  // namespace carescore
