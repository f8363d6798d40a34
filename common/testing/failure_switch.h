#ifndef CARESCORE_COMMON_TESTING_FAILURE_SWITCH_H_
#define CARESCORE_COMMON_TESTING_FAILURE_SWITCH_H_

// The failure switch the tests' fakes share: OK until Fail(status), OK
// again after Recover(). A fake asks status() at the start of every call and
// answers with it when it is not OK. Thread-safe. For tests only.

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace carescore::testing {

class FailureSwitch {
 public:
  void Fail(absl::Status status) {
    absl::MutexLock lock(&mu_);
    status_ = std::move(status);
  }
  void Recover() { Fail(absl::OkStatus()); }
  absl::Status status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  absl::Mutex mu_;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::testing

#endif  // CARESCORE_COMMON_TESTING_FAILURE_SWITCH_H_
