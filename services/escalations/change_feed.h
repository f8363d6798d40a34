#ifndef CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_
#define CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_

// Fans out escalation changes to watchers (dashboards). Keeps the last
// `capacity` changes; a watcher that falls further behind skips to the
// oldest kept. Thread-safe.

#include <cstdint>
#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"

namespace carescore::escalations {

class ChangeFeed {
 public:
  explicit ChangeFeed(size_t capacity = 1024) : capacity_(capacity) {}

  void Publish(const v1::WatchEscalationsResponse& change);
  // The sequence number the next published change will get; a new watcher
  // starts here.
  uint64_t Next() const;
  // The change numbered `*cursor` (or the oldest kept, if that is gone),
  // advancing `*cursor`; waits up to `timeout` for one. Nothing on timeout.
  std::optional<v1::WatchEscalationsResponse> Wait(uint64_t* cursor, absl::Duration timeout);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<v1::WatchEscalationsResponse> changes_ ABSL_GUARDED_BY(mu_);
  uint64_t first_ ABSL_GUARDED_BY(mu_) = 0;  // Sequence number of changes_.front().
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_
