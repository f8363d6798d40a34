// AuditService through a real server behind the auth gate: an admin lists
// and verifies the log, nobody else may, and a row changed by hand behind
// the service's back is named by VerifyAuditLog.
#include "services/audit/audit_grpc_service.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "carescore/v1/audit.grpc.pb.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/auth/testing/test_auth.h"
#include "common/auth/token.h"
#include "common/grpc_status.h"
#include "common/testing/loopback_server.h"
#include "common/testing/page_through.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace carescore::audit {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1541408400);  // 2018-11-05T09:00:00Z

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

class AuditGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/audit_grpc_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = dir_ + "/audit.db";
    auth_ = std::make_unique<auth::testing::TestAuth>(db_path_);
    edge_ = std::make_unique<AuditGrpcService>(auth_->audit_log(), &auth_->gate());
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{edge_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::AuditService::NewStub(server_->channel());

    // Six calls an hour apart: two IROs reading cases in 372 and 382, an
    // analyst's write, and a refusal.
    struct Call {
      const char* subject;
      const char* roles;
      const char* method;
      const char* las;
      const char* result;
    };
    const std::vector<Call> calls = {
        {"iro-1", "iro", "EscalationService/GetEscalation", "372", "OK"},
        {"iro-2", "iro", "EscalationService/GetEscalation", "382", "OK"},
        {"analyst-1", "analyst", "IndicatorService/WriteValues", "372", "OK"},
        {"iro-1", "iro", "EscalationService/ListEscalations", "372", "OK"},
        {"iro-1", "iro", "EscalationService/GetEscalation", "382",
         "PERMISSION_DENIED LA_NOT_ALLOWED"},
        {"svc", "service", "IndicatorService/ListValues", "372,382", "OK"},
    };
    int hour = 0;
    for (const Call& c : calls) {
      auth::AuditEntry e;
      e.at = kStart + absl::Hours(hour++);
      e.subject = c.subject;
      e.roles = c.roles;
      e.method = c.method;
      e.la_codes = c.las;
      e.resource = "esc-" + std::to_string(hour);
      e.result = c.result;
      ASSERT_TRUE(auth_->audit_log().Append(std::move(e)).ok());
    }
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Token(std::vector<std::string> roles, std::vector<std::string> las = {}) {
    auth::MintOptions o;
    o.subject = "tester";
    o.roles = std::move(roles);
    o.la_codes = std::move(las);
    absl::StatusOr<std::string> token = auth::MintToken(auth_->private_key(), o);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  grpc::Status List(const std::string& token, const v1::ListAuditEntriesRequest& request,
                    v1::ListAuditEntriesResponse* response) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    return stub_->ListAuditEntries(&ctx, request, response);
  }

  // Every page, following next_page_token; the seqs in order.
  std::vector<int64_t> AllSeqs(v1::ListAuditEntriesRequest request, int* pages = nullptr) {
    const std::string admin = Token({"admin"});
    std::vector<int64_t> seqs;
    int count = 0;
    do {
      v1::ListAuditEntriesResponse response;
      grpc::Status s = List(admin, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      ++count;
      for (const v1::AuditEntry& e : response.entries()) seqs.push_back(e.seq());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    if (pages != nullptr) *pages = count;
    return seqs;
  }

  grpc::Status Verify(const std::string& token, v1::VerifyAuditLogResponse* response) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    return stub_->VerifyAuditLog(&ctx, v1::VerifyAuditLogRequest(), response);
  }

  std::string dir_;
  std::string db_path_;
  std::unique_ptr<auth::testing::TestAuth> auth_;
  std::unique_ptr<AuditGrpcService> edge_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(AuditGrpcServiceTest, AdminListsEveryFieldOfAnEntry) {
  v1::ListAuditEntriesRequest request;
  request.set_method("IndicatorService/ListValues");
  v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(List(Token({"admin"}), request, &response).ok());
  ASSERT_EQ(response.entries_size(), 1);
  const v1::AuditEntry& e = response.entries(0);
  EXPECT_EQ(e.seq(), 6);
  EXPECT_EQ(e.time().seconds(), absl::ToUnixSeconds(kStart + absl::Hours(5)));
  EXPECT_EQ(e.subject(), "svc");
  ASSERT_EQ(e.roles_size(), 1);
  EXPECT_EQ(e.roles(0), "service");
  EXPECT_EQ(e.method(), "IndicatorService/ListValues");
  ASSERT_EQ(e.la_codes_size(), 2);
  EXPECT_EQ(e.la_codes(0), "372");
  EXPECT_EQ(e.la_codes(1), "382");
  EXPECT_EQ(e.resource(), "esc-6");
  EXPECT_EQ(e.result(), "OK");
  EXPECT_EQ(e.hash().size(), 64u);
  EXPECT_EQ(e.prev_hash().size(), 64u);
  EXPECT_TRUE(response.next_page_token().empty());
}

// What the proto says of `hash` is enough to recompute it from the wire.
TEST_F(AuditGrpcServiceTest, EveryHashCanBeRecomputedFromTheListedFields) {
  v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(List(Token({"admin"}), v1::ListAuditEntriesRequest(), &response).ok());
  ASSERT_EQ(response.entries_size(), 6);
  std::string prev;
  for (const v1::AuditEntry& wire : response.entries()) {
    auth::AuditEntry e;
    e.seq = wire.seq();
    e.at = absl::FromUnixSeconds(wire.time().seconds()) + absl::Nanoseconds(wire.time().nanos());
    e.subject = wire.subject();
    e.roles = absl::StrJoin(wire.roles(), ",");
    e.on_behalf_of = wire.on_behalf_of();
    e.method = wire.method();
    e.la_codes = absl::StrJoin(wire.la_codes(), ",");
    e.resource = wire.resource();
    e.result = wire.result();
    EXPECT_EQ(wire.prev_hash(), prev);
    EXPECT_EQ(auth::AuditHash(e, prev), wire.hash()) << wire.seq();
    prev = wire.hash();
  }
}

TEST_F(AuditGrpcServiceTest, AdminFiltersByLaSubjectMethodAndTime) {
  v1::ListAuditEntriesRequest by_la;
  by_la.set_la_code("382");
  EXPECT_EQ(AllSeqs(by_la), (std::vector<int64_t>{2, 5, 6}));

  v1::ListAuditEntriesRequest by_subject;
  by_subject.set_subject("iro-1");
  EXPECT_EQ(AllSeqs(by_subject), (std::vector<int64_t>{1, 4, 5}));

  v1::ListAuditEntriesRequest by_method;
  by_method.set_method("EscalationService/GetEscalation");
  EXPECT_EQ(AllSeqs(by_method), (std::vector<int64_t>{1, 2, 5}));

  v1::ListAuditEntriesRequest combined = by_method;
  combined.set_subject("iro-1");
  combined.set_la_code("372");
  EXPECT_EQ(AllSeqs(combined), (std::vector<int64_t>{1}));

  // From is inclusive, to exclusive.
  v1::ListAuditEntriesRequest by_time;
  *by_time.mutable_from() = At(kStart + absl::Hours(1));
  *by_time.mutable_to() = At(kStart + absl::Hours(4));
  EXPECT_EQ(AllSeqs(by_time), (std::vector<int64_t>{2, 3, 4}));
}

TEST_F(AuditGrpcServiceTest, PagesFollowOnWithoutGapsOrRepeats) {
  v1::ListAuditEntriesRequest request;
  request.set_page_size(2);
  int pages = 0;
  EXPECT_EQ(AllSeqs(request, &pages), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(pages, 3);

  // Paging keeps the filter: LA 372 matches 1, 3, 4 and 6.
  request.set_la_code("372");
  EXPECT_EQ(AllSeqs(request, &pages), (std::vector<int64_t>{1, 3, 4, 6}));
  EXPECT_EQ(pages, 2);

  // The default page holds them all.
  v1::ListAuditEntriesRequest whole;
  v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(List(Token({"admin"}), whole, &response).ok());
  EXPECT_EQ(response.entries_size(), 6);
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(AuditGrpcServiceTest, PageTokensAreBoundToTheFilters) {
  const std::string admin = Token({"admin"});
  auto list =
      [&](const v1::ListAuditEntriesRequest& r) -> absl::StatusOr<v1::ListAuditEntriesResponse> {
    v1::ListAuditEntriesResponse page;
    absl::Status s = FromGrpcStatus(List(admin, r, &page));
    if (!s.ok()) return s;
    return page;
  };
  v1::ListAuditEntriesRequest rotherham;
  rotherham.set_la_code("372");
  carescore::testing::ExpectTokensBoundToFilters(list, v1::ListAuditEntriesRequest(), rotherham);
}

TEST_F(AuditGrpcServiceTest, BadFiltersAreInvalidArgumentNamingTheField) {
  const std::string admin = Token({"admin"});
  v1::ListAuditEntriesResponse response;
  auto expect_invalid = [&](const v1::ListAuditEntriesRequest& request, const std::string& field) {
    grpc::Status s = List(admin, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(s.error_message().rfind(field, 0), 0u) << s.error_message();
  };
  v1::ListAuditEntriesRequest request;
  request.set_la_code("37");
  expect_invalid(request, "la_code");
  request = v1::ListAuditEntriesRequest();
  request.set_method("GetEscalation");
  expect_invalid(request, "method");
  request = v1::ListAuditEntriesRequest();
  request.set_page_size(-1);
  expect_invalid(request, "page_size");
  request = v1::ListAuditEntriesRequest();
  request.set_page_token("not a token");
  expect_invalid(request, "page_token");
  request = v1::ListAuditEntriesRequest();
  *request.mutable_from() = At(kStart + absl::Hours(2));
  *request.mutable_to() = At(kStart);
  expect_invalid(request, "to");
}

TEST_F(AuditGrpcServiceTest, OnlyAnAdminMayReadTheLog) {
  v1::ListAuditEntriesResponse list;
  v1::VerifyAuditLogResponse verify;
  const std::string analyst = Token({"analyst"}, {"372"});
  EXPECT_EQ(List(analyst, v1::ListAuditEntriesRequest(), &list).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Verify(analyst, &verify).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Verify(Token({"head_of_service", "iro"}, {"372"}), &verify).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(List("", v1::ListAuditEntriesRequest(), &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Verify("", &verify).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Verify("not.a.token", &verify).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // Each refusal is itself in the log, and the chain still holds.
  v1::ListAuditEntriesRequest refused;
  refused.set_method("AuditService/VerifyAuditLog");
  v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(List(Token({"admin"}), refused, &response).ok());
  ASSERT_EQ(response.entries_size(), 4);
  EXPECT_EQ(response.entries(0).subject(), "tester");
  EXPECT_EQ(response.entries(0).result(), "PERMISSION_DENIED ROLE_NOT_ALLOWED");
  EXPECT_EQ(response.entries(2).subject(), "(unauthenticated)");
  EXPECT_EQ(response.entries(2).result(), "UNAUTHENTICATED TOKEN_MISSING");
  ASSERT_TRUE(Verify(Token({"admin"}), &verify).ok());
  EXPECT_TRUE(verify.intact());
}

TEST_F(AuditGrpcServiceTest, VerifyNamesTheFirstEntryChangedByHand) {
  const std::string admin = Token({"admin"});
  v1::VerifyAuditLogResponse response;
  ASSERT_TRUE(Verify(admin, &response).ok());
  EXPECT_TRUE(response.intact());
  EXPECT_EQ(response.entries_checked(), 6);
  EXPECT_EQ(response.first_bad_seq(), 0);
  EXPECT_EQ(response.problem(), "");

  // Someone with the database file hides who read a case.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_log SET subject = 'someone-else' WHERE seq = 4", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);

  ASSERT_TRUE(Verify(admin, &response).ok());
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_bad_seq(), 4);
  EXPECT_EQ(response.entries_checked(), 4);
  EXPECT_NE(response.problem().find("do not match its hash"), std::string::npos)
      << response.problem();
}

TEST_F(AuditGrpcServiceTest, WithoutAGateEveryCallIsLetIn) {
  AuditGrpcService open(auth_->audit_log(), nullptr);
  carescore::testing::LoopbackServer server({&open});
  ASSERT_TRUE(server.ok());
  std::unique_ptr<v1::AuditService::Stub> stub = v1::AuditService::NewStub(server.channel());
  grpc::ClientContext ctx;
  v1::VerifyAuditLogResponse response;
  ASSERT_TRUE(stub->VerifyAuditLog(&ctx, v1::VerifyAuditLogRequest(), &response).ok());
  EXPECT_TRUE(response.intact());
  EXPECT_EQ(response.entries_checked(), 6);
}

}  // namespace
}  // namespace carescore::audit
