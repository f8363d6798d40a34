#include "common/single_flight.h"

namespace carescore {

absl::StatusOr<std::string> SingleFlight::Do(
    const std::string& key, const std::function<absl::StatusOr<std::string>()>& compute) {
  std::shared_ptr<Call> call;
  bool leader = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(key);
    if (it == calls_.end()) {
      call = std::make_shared<Call>();
      calls_.emplace(key, call);
      leader = true;
    } else {
      call = it->second;
    }
  }
  if (!leader) {
    call->done.WaitForNotification();
    return call->result;
  }
  call->result = compute();
  {
    absl::MutexLock lock(&mu_);
    calls_.erase(key);
  }
  call->done.Notify();
  return call->result;
}

}  // namespace carescore
