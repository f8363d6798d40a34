#include "common/proto_time.h"

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(ProtoTimeTest, RoundTripsToTheMicrosecond) {
  const absl::Time t = absl::FromUnixMicros(1541408400123456);  // 2018-11-05T09:00:00.123456Z
  const google::protobuf::Timestamp ts = TimeToProto(t);
  EXPECT_EQ(ts.seconds(), 1541408400);
  EXPECT_EQ(ts.nanos(), 123456000);
  EXPECT_EQ(TimeFromProto(ts), t);
  EXPECT_EQ(TimeToProto(t + absl::Nanoseconds(999)).nanos(), 123456000);
}

TEST(ProtoTimeTest, TimesBeforeTheEpochKeepNanosPositive) {
  const google::protobuf::Timestamp ts = TimeToProto(absl::FromUnixMicros(-1));
  EXPECT_EQ(ts.seconds(), -1);
  EXPECT_EQ(ts.nanos(), 999999000);
  EXPECT_EQ(TimeFromProto(ts), absl::FromUnixMicros(-1));
}

TEST(ProtoTimeTest, MicrosAsTheStoresKeepThem) {
  EXPECT_EQ(MicrosFromProto(ProtoFromMicros(1541408400123456)), 1541408400123456);
  EXPECT_EQ(ProtoFromMicros(-1).seconds(), -1);
  EXPECT_EQ(MicrosFromProto(ProtoFromMicros(-1)), -1);
}

TEST(ProtoTimeTest, ZeroIsNotSet) {
  EXPECT_FALSE(IsSetTime(google::protobuf::Timestamp()));
  EXPECT_TRUE(IsSetTime(TimeToProto(absl::FromUnixSeconds(1))));
}

}  // namespace
}  // namespace carescore
