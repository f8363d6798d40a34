#include "services/reports/report_grpc_service.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "common/testing/loopback_server.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/reports/testing/report_fixture.h"

namespace carescore::reports {
namespace {

constexpr char kGetScorecard[] = "/carescore.v1.ReportService/GetScorecard";

// The report service's wire edge on a real server on a port the OS picks.
class ReportGrpcServiceTest : public ReportServiceFixture {
 protected:
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // Serves a report service with an in-process cache over `indicators` and
  // `benchmarks` (default: the fixture's switchable readers, no lease).
  void Serve(indicators::IndicatorReader* indicators = nullptr,
             benchmarks::BenchmarkReader* benchmarks = nullptr) {
    ReportDependencies deps;
    deps.cache = &cache_;
    deps.escalations = &escalations_;
    served_ = std::make_unique<ReportService>(
        indicators != nullptr ? *indicators : *switchable_indicators_,
        benchmarks != nullptr ? *benchmarks : *switchable_benchmarks_, deps);
    grpc_service_ = std::make_unique<ReportGrpcService>(*served_, 4);
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{grpc_service_.get()});
    ASSERT_TRUE(server_->ok());
    channel_ = server_->channel();
    stub_ = v1::ReportService::NewStub(channel_);
  }

  // GetScorecard's response exactly as it came over the wire.
  grpc::Status RawCall(const std::string& request, std::string* wire) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::ByteBuffer in(std::vector<grpc::Slice>{grpc::Slice(request)}.data(), 1);
    grpc::ByteBuffer out;
    grpc::Status status;
    absl::Notification done;
    generic.UnaryCall(&context, kGetScorecard, grpc::StubOptions(), &in, &out, [&](grpc::Status s) {
      status = std::move(s);
      done.Notify();
    });
    done.WaitForNotification();
    std::vector<grpc::Slice> slices;
    if (status.ok() && out.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) {
        wire->append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
    return status;
  }

  // The response, checked to hold each field once, parsed.
  v1::GetScorecardResponse RawScorecard() {
    std::string wire;
    grpc::Status status = RawCall(OctoberRequest().SerializeAsString(), &wire);
    EXPECT_TRUE(status.ok()) << status.error_message();
    google::protobuf::UnknownFieldSet fields;
    EXPECT_TRUE(fields.ParseFromString(wire));
    std::map<int, int> counts;
    for (int i = 0; i < fields.field_count(); ++i) ++counts[fields.field(i).number()];
    EXPECT_EQ(counts, (std::map<int, int>{{1, 1}, {2, 1}}));
    v1::GetScorecardResponse response;
    EXPECT_TRUE(response.ParseFromString(wire));
    return response;
  }

  static void ExpectOctober(const v1::GetScorecardResponse& response) {
    EXPECT_EQ(response.scorecard().la_code(), "372");
    EXPECT_EQ(response.scorecard().la_name(), "Rotherham");
    EXPECT_EQ(response.scorecard().month(), "2018-10");
    std::map<std::string, v1::ScorecardLine> lines = LinesOf(response.scorecard());
    ASSERT_EQ(lines.size(), 39u);
    EXPECT_EQ(lines["6.8"].rag(), v1::RAG_RED);
    EXPECT_EQ(lines["6.2"].dot(), v1::DIRECTION_DECLINING);
  }

  SwitchableScorecardCache cache_;
  std::unique_ptr<ReportService> served_;
  std::unique_ptr<ReportGrpcService> grpc_service_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ReportService::Stub> stub_;
};

// Without leases every call asks for the versions, so the hit is found by
// GetScorecardBytes on the edge's threads.
TEST_F(ReportGrpcServiceTest, MissThenHitOverTheWireAreTheSameCard) {
  Serve();
  const v1::GetScorecardResponse miss = RawScorecard();
  EXPECT_EQ(miss.cache(), "miss");
  ExpectOctober(miss);
  const int asked = switchable_indicators_->version_calls();
  const v1::GetScorecardResponse hit = RawScorecard();
  EXPECT_EQ(hit.cache(), "hit");
  ExpectOctober(hit);
  EXPECT_GT(switchable_indicators_->version_calls(), asked);  // not the leased path
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(miss.scorecard(), hit.scorecard()));

  // The generated stub reads the same.
  grpc::ClientContext context;
  v1::GetScorecardResponse typed;
  ASSERT_TRUE(stub_->GetScorecard(&context, OctoberRequest(), &typed).ok());
  EXPECT_EQ(typed.cache(), "hit");
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(typed.scorecard(), miss.scorecard()));
}

// Within the versions' leases a hit is answered on gRPC's thread without
// asking the other services: the same card, the same encoding.
TEST_F(ReportGrpcServiceTest, AHitWithinTheLeaseIsTheSameCard) {
  indicators::IndicatorService leased(*indicator_store_, absl::Minutes(1));
  indicators::DirectIndicatorReader leased_reader(leased);
  SwitchableIndicatorReader counting(leased_reader);
  benchmarks::BenchmarkService leased_benchmarks(*benchmark_store_, leased_reader,
                                                 absl::Minutes(1));
  DirectBenchmarkReader leased_benchmark_reader(leased_benchmarks);
  Serve(&counting, &leased_benchmark_reader);
  const v1::GetScorecardResponse miss = RawScorecard();
  EXPECT_EQ(miss.cache(), "miss");
  const int asked = counting.version_calls();
  const v1::GetScorecardResponse hit = RawScorecard();
  EXPECT_EQ(hit.cache(), "hit");
  EXPECT_EQ(counting.version_calls(), asked);  // the leased path
  ExpectOctober(hit);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(miss.scorecard(), hit.scorecard()));
  server_->Shutdown();  // before the leased readers go
  server_ = nullptr;
}

TEST_F(ReportGrpcServiceTest, InvalidRequestsAreInvalidArgument) {
  Serve();
  v1::GetScorecardRequest bad = OctoberRequest();
  bad.set_month("2018-13");
  grpc::ClientContext context;
  v1::GetScorecardResponse response;
  EXPECT_EQ(stub_->GetScorecard(&context, bad, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  std::string wire;
  grpc::Status garbage = RawCall(std::string("\xff\xff\xff", 3), &wire);
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(garbage.error_message(), "the request is not a GetScorecardRequest");
}

TEST_F(ReportGrpcServiceTest, ABenchmarkServiceDownIsItsErrorOnTheWire) {
  Serve();
  switchable_benchmarks_->Fail(absl::UnavailableError("benchmarks: connection refused"));
  grpc::ClientContext context;
  v1::GetScorecardResponse response;
  grpc::Status status = stub_->GetScorecard(&context, OctoberRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "benchmarks: connection refused");
}

TEST_F(ReportGrpcServiceTest, GetReportJson) {
  Serve();
  v1::GetReportRequest request;
  request.set_la_code("372");
  request.set_month("2018-10");
  request.set_format(v1::REPORT_FORMAT_JSON);
  grpc::ClientContext context;
  v1::GetReportResponse response;
  grpc::Status status = stub_->GetReport(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.content_type(), "application/json");
  EXPECT_EQ(response.filename(), "carescore-372-2018-10.json");
  v1::ReportDocument doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(response.content(), &doc).ok());
  EXPECT_EQ(doc.scorecard().la_name(), "Rotherham");
  EXPECT_EQ(doc.scorecard().lines_size(), 39);
  request.set_format(v1::REPORT_FORMAT_UNSPECIFIED);
  grpc::ClientContext again;
  EXPECT_EQ(stub_->GetReport(&again, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace carescore::reports
