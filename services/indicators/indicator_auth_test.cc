// The indicator service's edge behind the auth gate: tokens verified per
// call, the role table and LA scope, the audit log.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_join.h"
#include "carescore/v1/indicators.grpc.pb.h"
#include "common/auth/sqlite_audit_log.h"
#include "common/auth/testing/test_auth.h"
#include "common/auth/token.h"
#include "common/testing/loopback_server.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/indicators/indicator_grpc_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/records.h"

namespace carescore::indicators {
namespace {

using testing::La;
using testing::NumberLac;
using testing::Val;

using auth::testing::Reason;

class IndicatorAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *SqliteIndicatorStore::Open(":memory:");
    service_ = std::make_unique<IndicatorService>(*store_);
    v1::ImportLocalAuthoritiesRequest las;
    *las.add_local_authorities() = La("372", "Rotherham");
    *las.add_local_authorities() = La("382", "Kirklees");
    ASSERT_TRUE(service_->ImportLocalAuthorities(las).ok());
    v1::ImportIndicatorsRequest catalogue;
    *catalogue.add_indicators() = NumberLac();
    ASSERT_TRUE(service_->ImportIndicators(catalogue).ok());
    std::vector<v1::ValueInput> values = {Val("372", "6.1", "2018-10", 651),
                                          Val("382", "6.1", "2018-10", 640)};
    ASSERT_TRUE(service_->ImportValues("test", values).ok());

    edge_ = std::make_unique<IndicatorGrpcService>(*service_, &auth_.gate());
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{edge_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::IndicatorService::NewStub(server_->channel());
  }

  std::string Token(std::vector<std::string> roles, std::vector<std::string> las,
                    absl::Duration ttl = absl::Hours(1), const std::string* pem = nullptr) {
    auth::MintOptions o;
    o.subject = "tester-" + absl::StrJoin(las, "-");
    o.roles = std::move(roles);
    o.la_codes = std::move(las);
    o.ttl = ttl;
    return *auth::MintToken(pem ? *pem : auth_.private_key(), o);
  }

  grpc::Status ListValues(const std::string& token, const std::string& la,
                          v1::ListValuesResponse* response) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    v1::ListValuesRequest request;
    request.set_la_code(la);
    return stub_->ListValues(&ctx, request, response);
  }

  auth::testing::TestAuth auth_;
  std::unique_ptr<SqliteIndicatorStore> store_;
  std::unique_ptr<IndicatorService> service_;
  std::unique_ptr<IndicatorGrpcService> edge_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::IndicatorService::Stub> stub_;
};

TEST_F(IndicatorAuthTest, BadTokensAreUnauthenticatedAndNothingIsWritten) {
  const int64_t version = *store_->DataVersion("372");
  auto write = [&](const std::string& token) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    v1::WriteValuesRequest request;
    request.set_source("probe");
    *request.add_values() = Val("372", "6.1", "2018-11", 1);
    v1::WriteValuesResponse response;
    return stub_->WriteValues(&ctx, request, &response);
  };
  grpc::Status none = write("");
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(none), "TOKEN_MISSING");
  grpc::Status expired = write(Token({"analyst"}, {"372"}, -absl::Minutes(5)));
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(expired), "TOKEN_EXPIRED");
  const std::string other_dir =
      ::testing::TempDir() + "/indicator_auth_other_" + std::to_string(getpid());
  std::filesystem::create_directories(other_dir);
  auto other = auth::EnsureDevelopmentKeyPair(other_dir);
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string other_pem = *auth::ReadKeyFile(other->private_key);
  grpc::Status forged = write(Token({"admin"}, {"372"}, absl::Hours(1), &other_pem));
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(forged), "TOKEN_SIGNATURE_INVALID");
  EXPECT_EQ(*store_->DataVersion("372"), version);
  // An LA 372 analyst may write 372's figures, not 382's.
  EXPECT_TRUE(write(Token({"analyst"}, {"372"})).ok());
  EXPECT_EQ(write(Token({"analyst"}, {"382"})).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // Every refusal and the write are in the audit log, never the token.
  auto entries = *auth_.audit_log().List(auth::AuditFilter());
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].subject, "(unauthenticated)");
  EXPECT_EQ(entries[0].result, "UNAUTHENTICATED TOKEN_MISSING");
  EXPECT_EQ(entries[3].subject, "tester-372");
  EXPECT_EQ(entries[3].method, "IndicatorService/WriteValues");
  EXPECT_EQ(entries[3].result, "OK");
  EXPECT_EQ(entries[4].result, "PERMISSION_DENIED LA_NOT_ALLOWED");
  EXPECT_EQ(auth_.audit_log().Verify()->first_bad_seq, 0);
}

TEST_F(IndicatorAuthTest, AnAnalystReadsItsOwnLaOnlyAndCannotProbeOthers) {
  v1::ListValuesResponse response;
  ASSERT_TRUE(ListValues(Token({"analyst"}, {"372"}), "372", &response).ok());
  ASSERT_EQ(response.values_size(), 1);
  EXPECT_EQ(response.values(0).value(), 651);
  grpc::Status other = ListValues(Token({"analyst"}, {"372"}), "382", &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // An LA that does not exist is refused alike: nothing to learn.
  EXPECT_EQ(ListValues(Token({"analyst"}, {"372"}), "999", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListValues(Token({"analyst"}, {"372"}), "", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListValues(Token({"panel_member"}, {"372"}), "372", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(ListValues(Token({"national_analyst"}, {}), "", &response).ok());
  EXPECT_EQ(response.values_size(), 2);
}

// Identity is taken from each call's own metadata, never from the
// connection: two LAs' tokens alternating on one channel, and from many
// threads at once, never read the other's figures.
TEST_F(IndicatorAuthTest, AlternatingTokensOnOneConnectionNeverCrossLas) {
  const std::string t372 = Token({"analyst"}, {"372"});
  const std::string t382 = Token({"analyst"}, {"382"});
  std::atomic<int> cross{0}, own{0};
  auto run = [&](int calls, int offset) {
    for (int i = 0; i < calls; ++i) {
      const bool first = (i + offset) % 2 == 0;
      v1::ListValuesResponse response;
      // Each token asks for the other LA's figures, then for its own.
      if (ListValues(first ? t372 : t382, first ? "382" : "372", &response).ok()) ++cross;
      if (ListValues(first ? t372 : t382, first ? "372" : "382", &response).ok()) ++own;
    }
  };
  run(1000, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) threads.emplace_back(run, 20, t);
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(cross.load(), 0);
  EXPECT_EQ(own.load(), 1000 + 64 * 20);
}

}  // namespace
}  // namespace carescore::indicators
