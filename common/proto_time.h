#ifndef CARESCORE_COMMON_PROTO_TIME_H_
#define CARESCORE_COMMON_PROTO_TIME_H_

// google.protobuf.Timestamp <-> absl::Time, in one place. Times are kept to
// the microsecond (the stores' resolution), so a time that goes to a store
// and comes back compares equal. Pure functions, thread-safe.

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace carescore {

absl::Time TimeFromProto(const google::protobuf::Timestamp& ts);
// Truncated to the microsecond.
google::protobuf::Timestamp TimeToProto(absl::Time t);
// The same as microseconds since the Unix epoch, as the stores keep times.
int64_t MicrosFromProto(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ProtoFromMicros(int64_t micros);
// True for a Timestamp that was set to something other than the epoch: the
// API treats an unset or zero time as "not given".
bool IsSetTime(const google::protobuf::Timestamp& ts);

}  // namespace carescore

#endif  // CARESCORE_COMMON_PROTO_TIME_H_
