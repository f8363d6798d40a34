#include "clients/cpp/client.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace carescore::client {
namespace {

// A ReportService that remembers what the last call carried and refuses
// every LA but 372 as the real one does: NOT_FOUND with an ErrorInfo and a
// BadRequest in the details.
class FakeReports final : public v1::ReportService::Service {
 public:
  grpc::Status GetScorecard(grpc::ServerContext* context, const v1::GetScorecardRequest* request,
                            v1::GetScorecardResponse* response) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = context->client_metadata().find("authorization");
      authorization_ = it == context->client_metadata().end()
                           ? ""
                           : std::string(it->second.data(), it->second.size());
      remaining_ = context->deadline() - std::chrono::system_clock::now();
    }
    if (request->la_code() == "372") {
      response->mutable_scorecard()->set_la_code("372");
      return grpc::Status::OK;
    }
    google::rpc::ErrorInfo info;
    info.set_reason("LA_NOT_FOUND");
    info.set_domain(kErrorDomain);
    (*info.mutable_metadata())["la_code"] = request->la_code();
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field("la_code");
    violation->set_description("no such LA");
    google::rpc::Status status;
    status.set_code(grpc::StatusCode::NOT_FOUND);
    status.set_message("no local authority " + request->la_code());
    status.add_details()->PackFrom(info);
    status.add_details()->PackFrom(bad);
    return grpc::Status(grpc::StatusCode::NOT_FOUND, status.message(), status.SerializeAsString());
  }

  std::string authorization() {
    std::lock_guard<std::mutex> lock(mu_);
    return authorization_;
  }
  std::chrono::system_clock::duration remaining() {
    std::lock_guard<std::mutex> lock(mu_);
    return remaining_;
  }

 private:
  std::mutex mu_;
  std::string authorization_;
  std::chrono::system_clock::duration remaining_{};
};

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&reports_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<Client> Connect(ClientOptions options) {
    absl::StatusOr<std::unique_ptr<Client>> c =
        Client::Connect("127.0.0.1:" + std::to_string(port_), std::move(options));
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }

  FakeReports reports_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(ClientTest, SendsTheTokenAndTheDefaultDeadline) {
  std::unique_ptr<Client> client = Connect({.token = "t0k",
                                            .ca_file = "",
                                            .server_name = "",
                                            .deadline = std::chrono::milliseconds(5000)});
  ASSERT_NE(client, nullptr);
  v1::GetScorecardRequest request;
  request.set_la_code("372");
  v1::GetScorecardResponse response;
  Error e =
      client->Call(&v1::ReportService::Stub::GetScorecard, client->reports(), request, &response);
  ASSERT_TRUE(e.ok()) << e.ToString();
  EXPECT_EQ(response.scorecard().la_code(), "372");
  EXPECT_EQ(reports_.authorization(), "Bearer t0k");
  EXPECT_GT(reports_.remaining(), std::chrono::seconds(1));
  // The grpc-timeout header is rounded, so a little slack.
  EXPECT_LE(reports_.remaining(), std::chrono::milliseconds(5500));
}

TEST_F(ClientTest, DecodesTheReasonMetadataAndFieldViolations) {
  std::unique_ptr<Client> client = Connect({});
  ASSERT_NE(client, nullptr);
  v1::GetScorecardRequest request;
  request.set_la_code("999");
  v1::GetScorecardResponse response;
  Error e =
      client->Call(&v1::ReportService::Stub::GetScorecard, client->reports(), request, &response);
  EXPECT_EQ(e.code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(e.reason, "LA_NOT_FOUND");
  EXPECT_EQ(e.domain, "carescore.gov.uk");
  EXPECT_EQ(e.metadata.at("la_code"), "999");
  ASSERT_EQ(e.field_violations.size(), 1u);
  EXPECT_EQ(e.field_violations[0].field, "la_code");
  EXPECT_EQ(e.ToString(), "NOT_FOUND: no local authority 999 [LA_NOT_FOUND]");
  EXPECT_EQ(e.ToStatus().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(reports_.authorization(), "");
}

TEST(ErrorTest, StatusWithoutDetailsHasNoReason) {
  Error e = Error::FromStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  EXPECT_EQ(e.code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(e.reason, "");
  EXPECT_EQ(e.ToString(), "UNAVAILABLE: down");
}

TEST(ErrorTest, UnreadableCaFileIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Client>> c =
      Client::Connect("127.0.0.1:1", {.token = "",
                                      .ca_file = "/nonexistent/ca.pem",
                                      .server_name = "",
                                      .deadline = std::chrono::milliseconds(1000)});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carescore::client
