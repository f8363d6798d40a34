// The error contract at the edge: every error leaves with an ErrorInfo
// reason, and nothing a client sends can make the error outgrow gRPC's 8 KB
// metadata limit.

#include "common/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/error_info.h"
#include "common/row_errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

google::rpc::ErrorInfo InfoOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::ErrorInfo info;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  for (const google::protobuf::Any& any : details.details()) {
    if (any.type_url() == "type.googleapis.com/google.rpc.ErrorInfo") {
      EXPECT_TRUE(info.ParseFromString(any.value()));
    }
  }
  return info;
}

TEST(GrpcStatusTest, EveryErrorLeavesWithAReason) {
  grpc::Status plain = ToGrpcStatus(absl::NotFoundError("nothing here"));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(InfoOf(plain).reason(), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(InfoOf(plain).domain(), "carescore.gov.uk");
  EXPECT_EQ(InfoOf(ToGrpcStatus(absl::UnavailableError("down"))).reason(), "SERVICE_UNAVAILABLE");
  EXPECT_EQ(InfoOf(ToGrpcStatus(absl::InvalidArgumentError("bad"))).reason(), "INVALID_FIELD");

  grpc::Status own = ToGrpcStatus(LaNotFound("999"));
  EXPECT_EQ(InfoOf(own).reason(), "LA_NOT_FOUND");
  EXPECT_EQ(InfoOf(own).metadata().at("la_code"), "999");
  EXPECT_EQ(own.error_message(), "no LA with code 999");

  // And back on the client side, reason and code intact.
  absl::Status back = FromGrpcStatus(own);
  EXPECT_EQ(back.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrorReason(back), "LA_NOT_FOUND");
}

TEST(GrpcStatusTest, HugeInputNeverMakesAHugeError) {
  const std::string ten_mb(10 * 1024 * 1024, 'x');
  grpc::Status one = ToGrpcStatus(LaNotFound(ten_mb));
  EXPECT_LT(one.error_message().size(), 200u);
  EXPECT_LT(one.error_details().size(), 1024u);

  RowErrors rows;
  for (int i = 1; i <= 500; ++i)
    rows.Add(i, "value", absl::StrCat("'", ten_mb, "' is not a number"));
  grpc::Status many = ToGrpcStatus(rows.ToStatus("values"));
  EXPECT_EQ(many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Message and details (base64 in the trailer) well under 8 KB together.
  EXPECT_LT(many.error_message().size() * 3 + many.error_details().size() * 4 / 3, 8000u);
  EXPECT_NE(many.error_message().find("and 492 more problems"), std::string::npos);
  EXPECT_EQ(InfoOf(many).reason(), "INVALID_ROWS");
  EXPECT_EQ(InfoOf(many).metadata().at("row"), "1");

  grpc::Status long_message = ToGrpcStatus(absl::InternalError(ten_mb));
  EXPECT_LE(long_message.error_message().size(), kMaxErrorMessageBytes + 32);
}

TEST(GrpcStatusTest, QuoteInputCutsAtACharacterBoundary) {
  EXPECT_EQ(QuoteInput("short"), "short");
  const std::string pounds = "£££££";  // Two bytes each.
  const std::string cut = QuoteInput(pounds, 3);
  EXPECT_EQ(cut.rfind("£", 0), 0u);
  EXPECT_NE(cut.find("... (10 bytes)"), std::string::npos) << cut;
}

}  // namespace
}  // namespace carescore
