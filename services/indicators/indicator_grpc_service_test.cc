#include "services/indicators/indicator_grpc_service.h"

#include "carescore/v1/indicators.grpc.pb.h"
#include "common/testing/loopback_server.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/records.h"

namespace carescore::indicators {
namespace {

using testing::La;
using testing::NumberLac;
using testing::Val;

class IndicatorGrpcServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteIndicatorStore::Open(":memory:");
    ASSERT_TRUE(opened.ok());
    store_ = *std::move(opened);
    service_ = std::make_unique<IndicatorService>(*store_);
    grpc_service_ = std::make_unique<IndicatorGrpcService>(*service_);
    server_ = std::make_unique<carescore::testing::LoopbackServer>(
        std::initializer_list<grpc::Service*>{grpc_service_.get()});
    ASSERT_TRUE(server_->ok());
    stub_ = v1::IndicatorService::NewStub(server_->channel());

    v1::ImportLocalAuthoritiesRequest las;
    *las.add_local_authorities() = La("372", "Rotherham");
    v1::ImportLocalAuthoritiesResponse las_response;
    ASSERT_TRUE(Call().ImportLocalAuthorities(&ctx_, las, &las_response).ok());
    v1::ImportIndicatorsRequest catalogue;
    *catalogue.add_indicators() = NumberLac();
    v1::ImportIndicatorsResponse catalogue_response;
    grpc::ClientContext ctx2;
    ASSERT_TRUE(stub_->ImportIndicators(&ctx2, catalogue, &catalogue_response).ok());
  }

  v1::IndicatorService::Stub& Call() { return *stub_; }

  grpc::ClientContext ctx_;
  std::unique_ptr<SqliteIndicatorStore> store_;
  std::unique_ptr<IndicatorService> service_;
  std::unique_ptr<IndicatorGrpcService> grpc_service_;
  std::unique_ptr<carescore::testing::LoopbackServer> server_;
  std::unique_ptr<v1::IndicatorService::Stub> stub_;
};

TEST_F(IndicatorGrpcServiceTest, StreamedImportIsOneLoad) {
  const int64_t before = *store_->DataVersion("372");
  grpc::ClientContext ctx;
  v1::ImportValuesResponse response;
  auto writer = stub_->ImportValues(&ctx, &response);
  for (int m = 1; m <= 10; ++m) {
    v1::ImportValuesRequest chunk;
    if (m == 1) chunk.set_source("stream");
    *chunk.add_values() = Val("372", "6.1", absl::StrFormat("2018-%02d", m), 640 + m);
    ASSERT_TRUE(writer->Write(chunk));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.written(), 10);

  v1::GetDataVersionRequest version;
  version.set_la_code("372");
  v1::GetDataVersionResponse version_response;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->GetDataVersion(&ctx2, version, &version_response).ok());
  EXPECT_EQ(version_response.data_version(), before + 1);
}

TEST_F(IndicatorGrpcServiceTest, BadRowAnywhereInStreamStoresNothing) {
  grpc::ClientContext ctx;
  v1::ImportValuesResponse response;
  auto writer = stub_->ImportValues(&ctx, &response);
  v1::ImportValuesRequest chunk;
  chunk.set_source("stream");
  *chunk.add_values() = Val("372", "6.1", "2018-01", 640);
  ASSERT_TRUE(writer->Write(chunk));
  chunk.clear_values();
  v1::ValueInput bad = Val("372", "6.1", "2018-02", -3);
  bad.set_row(3);
  *chunk.add_values() = bad;
  ASSERT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("row 3: field value"), std::string::npos)
      << status.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "row[3].value");

  v1::ListValuesRequest list;
  v1::ListValuesResponse listed;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->ListValues(&ctx2, list, &listed).ok());
  EXPECT_EQ(listed.values_size(), 0);
}

TEST_F(IndicatorGrpcServiceTest, NotFoundTravelsAsNotFound) {
  v1::GetIndicatorRequest request;
  request.set_code("6.99");
  v1::GetIndicatorResponse response;
  grpc::ClientContext ctx;
  grpc::Status status = stub_->GetIndicator(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("6.99"), std::string::npos);
}

}  // namespace
}  // namespace carescore::indicators
