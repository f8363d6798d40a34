#include "services/indicators/indicator_grpc_service.h"

#include "carescore/v1/indicators.grpc.pb.h"
#include "common/grpc_status.h"
#include "common/testing/error_details.h"
#include "common/testing/loopback_server.h"
#include "common/testing/page_through.h"
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
  std::optional<google::rpc::BadRequest> bad_request = carescore::testing::BadRequestIn(status);
  ASSERT_TRUE(bad_request.has_value());
  EXPECT_EQ(bad_request->field_violations(0).field(), "row[3].value");

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

TEST_F(IndicatorGrpcServiceTest, UndefinedEnumNumbersAreRefusedAndNothingIsStored) {
  v1::ImportIndicatorsRequest request;
  *request.add_indicators() = testing::Reviews();
  request.mutable_indicators(0)->set_polarity(static_cast<v1::Polarity>(99));
  v1::ImportIndicatorsResponse response;
  grpc::ClientContext ctx;
  absl::Status refused = FromGrpcStatus(stub_->ImportIndicators(&ctx, request, &response));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(refused), "INVALID_ENUM_VALUE") << refused;
  EXPECT_NE(refused.message().find("indicators[0].polarity: 99"), absl::string_view::npos)
      << refused;
  v1::ListIndicatorsResponse listed;
  grpc::ClientContext ctx2;
  ASSERT_TRUE(stub_->ListIndicators(&ctx2, v1::ListIndicatorsRequest(), &listed).ok());
  ASSERT_EQ(listed.indicators_size(), 1);  // NumberLac only.
  EXPECT_EQ(listed.indicators(0).code(), "6.1");

  // A read with an undefined enum is refused too, not answered empty.
  v1::ListValuesRequest list;
  list.set_period_kind(static_cast<v1::PeriodKind>(7));
  v1::ListValuesResponse values;
  grpc::ClientContext ctx3;
  EXPECT_EQ(ErrorReason(FromGrpcStatus(stub_->ListValues(&ctx3, list, &values))),
            "INVALID_ENUM_VALUE");
}

TEST_F(IndicatorGrpcServiceTest, CorruptedPageTokensAreInvalidArgumentOnTheWire) {
  v1::ImportLocalAuthoritiesRequest las;
  *las.add_local_authorities() = La("382", "Kirklees");
  v1::ImportLocalAuthoritiesResponse las_response;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->ImportLocalAuthorities(&ctx, las, &las_response).ok());
  auto list = [&](const v1::ListLocalAuthoritiesRequest& r)
      -> absl::StatusOr<v1::ListLocalAuthoritiesResponse> {
    v1::ListLocalAuthoritiesResponse page;
    grpc::ClientContext call;
    absl::Status s = FromGrpcStatus(stub_->ListLocalAuthorities(&call, r, &page));
    if (!s.ok()) return s;
    return page;
  };
  v1::ListLocalAuthoritiesRequest with_former;
  with_former.set_include_former(true);
  carescore::testing::ExpectTokensBoundToFilters(list, v1::ListLocalAuthoritiesRequest(),
                                                 with_former);
}

}  // namespace
}  // namespace carescore::indicators
