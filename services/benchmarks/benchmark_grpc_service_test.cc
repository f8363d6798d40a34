#include "services/benchmarks/benchmark_grpc_service.h"

#include <memory>
#include <string>

#include "carescore/v1/benchmarks.grpc.pb.h"
#include "common/channel_slot.h"
#include "common/testing/error_details.h"
#include "common/testing/loopback_server.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/benchmarks/testing/benchmark_fixture.h"
#include "services/indicators/grpc_indicator_reader.h"
#include "services/indicators/indicator_grpc_service.h"

namespace carescore::benchmarks {
namespace {

using ::testing::HasSubstr;
using testing::kEngland;
using testing::kSamples;

// The real benchmark service behind its gRPC edge on an ephemeral port.
class BenchmarkGrpcServiceTest : public testing::BenchmarkFixture {
 protected:
  void SetUp() override {
    BenchmarkFixture::SetUp();
    grpc_service_ = std::make_unique<BenchmarkGrpcService>(*service_);
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{grpc_service_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::BenchmarkService::NewStub(server_->channel());
  }

  std::unique_ptr<BenchmarkGrpcService> grpc_service_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::BenchmarkService::Stub> stub_;
};

v1::GetBenchmarkRequest PublishedRequest(const std::string& la, const std::string& code) {
  v1::GetBenchmarkRequest get;
  get.set_la_code(la);
  get.set_indicator_code(code);
  get.set_financial_year("2016-17");
  get.set_source(v1::COMPARATOR_SOURCE_PUBLISHED);
  return get;
}

TEST_F(BenchmarkGrpcServiceTest, PublishedComparatorsOverTheWire) {
  ImportCatalogue(kSamples + "/indicators.csv");
  ImportPublished(kSamples + "/published_benchmarks.csv", "2016-17");
  grpc::ClientContext ctx;
  v1::GetBenchmarkResponse got;
  ASSERT_TRUE(stub_->GetBenchmark(&ctx, PublishedRequest("372", "8.1"), &got).ok());
  EXPECT_DOUBLE_EQ(got.benchmark().sn_average(), 68.2);
  EXPECT_DOUBLE_EQ(got.benchmark().best_sn(), 85.0);
  EXPECT_DOUBLE_EQ(got.benchmark().national_average(), 70.0);
  EXPECT_DOUBLE_EQ(got.benchmark().top_quartile_threshold(), 74.0);

  grpc::ClientContext ctx2;
  v1::GetBenchmarkRequest later = PublishedRequest("372", "8.1");
  later.set_financial_year("2017-18");
  grpc::Status missing = stub_->GetBenchmark(&ctx2, later, &got);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(BenchmarkGrpcServiceTest, BadRowsAreInvalidArgumentWithFieldViolations) {
  v1::ImportNeighboursRequest r;
  r.set_model("2025");
  v1::Neighbour* own = r.add_neighbours();
  own->set_la_code("372");
  own->set_neighbour_la_code("372");
  own->set_rank(1);
  v1::Neighbour* unknown = r.add_neighbours();
  unknown->set_la_code("999");
  unknown->set_neighbour_la_code("373");
  unknown->set_rank(1);
  grpc::ClientContext ctx;
  v1::ImportNeighboursResponse response;
  grpc::Status refused = stub_->ImportNeighbours(&ctx, r, &response);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("row 1"));
  EXPECT_THAT(refused.error_message(), HasSubstr("row 2"));
  std::optional<google::rpc::BadRequest> bad = carescore::testing::BadRequestIn(refused);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->field_violations_size(), 2);
  EXPECT_EQ(carescore::testing::ReasonIn(refused), "INVALID_ROWS");
  EXPECT_EQ(*store_->Version(), 0);
}

TEST_F(BenchmarkGrpcServiceTest, IndicatorServiceDownPassesItsErrorThroughAndStoresNothing) {
  ImportCatalogue(kSamples + "/indicators.csv");
  reader_->Fail(absl::UnavailableError("indicator service: connection refused"));

  v1::ImportNeighboursRequest r;
  r.set_model("2025");
  v1::Neighbour* n = r.add_neighbours();
  n->set_la_code("372");
  n->set_neighbour_la_code("373");
  n->set_rank(1);
  grpc::ClientContext ctx;
  v1::ImportNeighboursResponse imported;
  grpc::Status refused = stub_->ImportNeighbours(&ctx, r, &imported);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused.error_message(), HasSubstr("indicator service: connection refused"));
  EXPECT_EQ(*store_->Version(), 0);

  v1::GetBenchmarkRequest computed = PublishedRequest("372", "6.2");
  computed.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
  grpc::ClientContext ctx2;
  v1::GetBenchmarkResponse got;
  EXPECT_EQ(stub_->GetBenchmark(&ctx2, computed, &got).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_GT(reader_->calls(), 0);

  // Back up: the same import goes through.
  reader_->Recover();
  grpc::ClientContext ctx3;
  EXPECT_TRUE(stub_->ImportNeighbours(&ctx3, r, &imported).ok());
  EXPECT_EQ(*store_->Version(), 1);
}

// The reader other services use, against the real indicator edge: pages
// are all read, errors keep their code and say where they came from.
class GrpcIndicatorReaderTest : public testing::BenchmarkFixture {
 protected:
  void SetUp() override {
    BenchmarkFixture::SetUp();
    indicator_edge_ = std::make_unique<indicators::IndicatorGrpcService>(*indicator_service_);
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{indicator_edge_.get()});
    ASSERT_TRUE(server_->ok());
    channel_ = server_->channel();
  }

  std::unique_ptr<indicators::IndicatorGrpcService> indicator_edge_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcIndicatorReaderTest, BeforeTheChannelIsSetCallsAreUnavailable) {
  ChannelSlot slot;
  indicators::GrpcIndicatorReader reader(slot);
  absl::StatusOr<v1::LocalAuthority> la = reader.GetLocalAuthority("372");
  EXPECT_EQ(la.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(la.status().message()), HasSubstr("indicator service: "));
  slot.Set(channel_);
  la = reader.GetLocalAuthority("372");
  ASSERT_TRUE(la.ok()) << la.status();
  EXPECT_EQ(la->name(), "Rotherham");
}

TEST_F(GrpcIndicatorReaderTest, ErrorsKeepTheirCodeAndNameTheService) {
  ChannelSlot slot;
  slot.Set(channel_);
  indicators::GrpcIndicatorReader reader(slot);
  absl::StatusOr<v1::LocalAuthority> la = reader.GetLocalAuthority("999");
  EXPECT_EQ(la.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(la.status().message()), HasSubstr("indicator service: "));
  EXPECT_THAT(std::string(la.status().message()), HasSubstr("999"));
}

TEST_F(GrpcIndicatorReaderTest, EveryPageIsRead) {
  ImportCatalogue(kEngland + "/indicators.csv");
  ImportOutturns(kEngland + "/outturns.csv");
  ChannelSlot slot;
  slot.Set(channel_);
  indicators::GrpcIndicatorReader reader(slot);
  v1::ListValuesRequest request;
  request.add_indicator_codes("CareLeaverAcc");
  request.set_period_kind(v1::PERIOD_KIND_FINANCIAL_YEAR);
  request.set_from_period("2024-25");
  request.set_to_period("2024-25");
  absl::StatusOr<std::vector<v1::Value>> whole = reader.ListValues(request);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_GT(whole->size(), 100u);
  request.set_page_size(7);  // Many pages, the same answer.
  absl::StatusOr<std::vector<v1::Value>> paged = reader.ListValues(request);
  ASSERT_TRUE(paged.ok()) << paged.status();
  ASSERT_EQ(paged->size(), whole->size());
  for (size_t i = 0; i < whole->size(); ++i) {
    EXPECT_EQ((*paged)[i].la_code(), (*whole)[i].la_code());
    EXPECT_EQ((*paged)[i].value(), (*whole)[i].value());
  }
  absl::StatusOr<std::vector<v1::LocalAuthority>> las = reader.ListLocalAuthorities();
  ASSERT_TRUE(las.ok());
  EXPECT_GT(las->size(), 150u);
}

}  // namespace
}  // namespace carescore::benchmarks
