#include "common/version_lease.h"

#include <thread>

namespace carescore {

void WriteFence::AfterCommit() const {
  if (lease_ <= absl::ZeroDuration()) return;
  // steady_clock, as the readers' leases: wall-clock steps must not shorten
  // the wait.
  std::this_thread::sleep_for(absl::ToChronoNanoseconds(lease_));
}

google::protobuf::Duration LeaseToProto(absl::Duration lease) {
  const int64_t ns = absl::ToInt64Nanoseconds(lease);
  google::protobuf::Duration d;
  d.set_seconds(ns / 1000000000);
  d.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return d;
}

absl::Duration LeaseFromProto(const google::protobuf::Duration& lease) {
  return absl::Seconds(lease.seconds()) + absl::Nanoseconds(lease.nanos());
}

}  // namespace carescore
