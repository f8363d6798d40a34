#include "common/enum_check.h"

#include "carescore/v1/escalations.pb.h"
#include "carescore/v1/indicators.pb.h"
#include "common/error_info.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/type.pb.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

void ExpectUndefined(const absl::Status& status, const std::string& path) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(ErrorReason(status), "INVALID_ENUM_VALUE") << status;
  EXPECT_NE(status.message().find(path), absl::string_view::npos) << status;
}

TEST(EnumCheckTest, DefinedValuesAndUnsetFieldsPass) {
  v1::RecordAuditRequest request;
  EXPECT_TRUE(CheckEnums(request).ok());
  request.set_grade(v1::AuditGrade_MAX);
  EXPECT_TRUE(CheckEnums(request).ok());
  v1::ImportIndicatorsRequest indicators;
  indicators.add_indicators()->set_polarity(v1::Polarity_MAX);
  EXPECT_TRUE(CheckEnums(indicators).ok());
}

TEST(EnumCheckTest, AnUndefinedSingularNumberNamesFieldAndNumber) {
  v1::RecordAuditRequest request;
  request.set_grade(static_cast<v1::AuditGrade>(77));
  absl::Status status = CheckEnums(request);
  ExpectUndefined(status, "grade");
  EXPECT_EQ(status.message(), "grade: 77 is not a value of carescore.v1.AuditGrade");
}

TEST(EnumCheckTest, NestedRepeatedMessagesGiveThePath) {
  v1::ImportIndicatorsRequest request;
  for (int i = 0; i < 4; ++i) request.add_indicators()->set_code("x");
  request.mutable_indicators(3)->set_polarity(static_cast<v1::Polarity>(99));
  absl::Status status = CheckEnums(request);
  ExpectUndefined(status, "indicators[3].polarity");
  EXPECT_NE(status.message().find("99"), absl::string_view::npos) << status;
}

TEST(EnumCheckTest, MapValuesAndRepeatedMessagesAreChecked) {
  // Struct is map<string, Value>, Value holds the enum NullValue.
  google::protobuf::Struct s;
  (*s.mutable_fields())["ok"].set_null_value(google::protobuf::NULL_VALUE);
  EXPECT_TRUE(CheckEnums(s).ok());
  (*s.mutable_fields())["bad"].set_null_value(static_cast<google::protobuf::NullValue>(5));
  ExpectUndefined(CheckEnums(s), "fields[\"bad\"].null_value");

  google::protobuf::Type type;
  type.add_fields()->set_kind(google::protobuf::Field::TYPE_STRING);
  type.add_fields()->set_kind(static_cast<google::protobuf::Field::Kind>(40));
  EXPECT_EQ(ErrorReason(CheckEnums(type)), "INVALID_ENUM_VALUE");
  absl::Status status = CheckEnums(type);
  EXPECT_EQ(status.message(), "fields[1].kind: 40 is not a value of google.protobuf.Field.Kind");
}

}  // namespace
}  // namespace carescore
