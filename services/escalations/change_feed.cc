#include "services/escalations/change_feed.h"

#include <algorithm>

namespace carescore::escalations {

void ChangeFeed::Publish(const v1::WatchEscalationsResponse& change) {
  absl::MutexLock lock(&mu_);
  changes_.push_back(change);
  if (changes_.size() > capacity_) {
    changes_.pop_front();
    ++first_;
  }
}

uint64_t ChangeFeed::Next() const {
  absl::MutexLock lock(&mu_);
  return first_ + changes_.size();
}

std::optional<v1::WatchEscalationsResponse> ChangeFeed::Wait(uint64_t* cursor,
                                                             absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto available = [this, cursor]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return *cursor < first_ + changes_.size();
  };
  mu_.AwaitWithTimeout(absl::Condition(&available), timeout);
  if (!available()) return std::nullopt;
  *cursor = std::max(*cursor, first_);
  v1::WatchEscalationsResponse change = changes_[static_cast<size_t>(*cursor - first_)];
  ++*cursor;
  return change;
}

}  // namespace carescore::escalations
