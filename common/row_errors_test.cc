#include "common/row_errors.h"

#include "common/grpc_status.h"
#include "common/testing/error_details.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(RowErrorsTest, EmptyIsOk) { EXPECT_TRUE(RowErrors().ToStatus("batch").ok()); }

TEST(RowErrorsTest, ListsEveryRowAndTravelsAsBadRequest) {
  RowErrors errors;
  errors.Add(3, "la_code", "unknown LA 999");
  errors.Add(5, "value", "is negative");
  errors.Add(5, "numerator", "is negative");
  absl::Status status = errors.ToStatus("values");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("2 bad rows"), absl::string_view::npos);
  EXPECT_NE(status.message().find("row 3: field la_code: unknown LA 999"), absl::string_view::npos);
  EXPECT_NE(status.message().find("row 5: field numerator"), absl::string_view::npos);

  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::optional<google::rpc::BadRequest> bad = testing::BadRequestIn(wire);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 3);
  EXPECT_EQ(bad->field_violations(0).field(), "row[3].la_code");
  EXPECT_EQ(testing::ReasonIn(wire), "INVALID_ROWS");

  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(back.GetPayload(kBadRequestTypeUrl).has_value());
}

TEST(RowErrorsTest, CapsTheMessage) {
  RowErrors errors;
  for (int i = 1; i <= 500; ++i) errors.Add(i, "value", "is negative");
  absl::Status status = errors.ToStatus("values");
  EXPECT_NE(status.message().find("500 bad rows"), absl::string_view::npos);
  EXPECT_NE(status.message().find("and 492 more"), absl::string_view::npos);
  EXPECT_LT(status.message().size(), 1500u);
}

}  // namespace
}  // namespace carescore
