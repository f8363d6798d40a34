#include "services/escalations/change_feed.h"

#include <algorithm>
#include <string>

#include "spdlog/spdlog.h"

namespace carescore::escalations {

void ChangeFeed::Publish(const v1::WatchEscalationsResponse& change) {
  {
    // Shared: concurrent publishers send side by side; SetRelay waits.
    absl::ReaderMutexLock lock(&relay_mu_);
    if (relay_ != nullptr) {
      absl::Status sent = relay_->Send(change);
      if (sent.ok()) return;
      spdlog::warn(
          "escalation {} changed, but the change could not be sent to other replicas' "
          "watchers: {}",
          change.escalation().id(), std::string(sent.message()));
    }
  }
  Deliver(change);
}

void ChangeFeed::Deliver(const v1::WatchEscalationsResponse& change) {
  absl::MutexLock lock(&mu_);
  changes_.push_back(change);
  if (changes_.size() > capacity_) {
    changes_.pop_front();
    ++first_;
  }
}

void ChangeFeed::SetRelay(Relay* relay) {
  absl::MutexLock lock(&relay_mu_);
  relay_ = relay;
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
