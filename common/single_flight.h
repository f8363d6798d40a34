#ifndef CARESCORE_COMMON_SINGLE_FLIGHT_H_
#define CARESCORE_COMMON_SINGLE_FLIGHT_H_

// Runs one computation per key at a time: callers that ask for a key while
// it is being computed wait for that result (value or error) instead of
// computing it again. Nothing is kept once the computation ends: a later
// call computes afresh (put a cache in front for that). Thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace carescore {

class SingleFlight {
 public:
  // `compute` runs on the calling thread of the first caller for `key`;
  // the others block until it returns and get a copy of its result.
  absl::StatusOr<std::string> Do(const std::string& key,
                                 const std::function<absl::StatusOr<std::string>()>& compute);

 private:
  struct Call {
    absl::Notification done;
    absl::StatusOr<std::string> result;
  };
  absl::Mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Call>> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_SINGLE_FLIGHT_H_
