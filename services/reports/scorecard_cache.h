#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_

// Where computed scorecards are kept, by a key that names everything they
// were built from (LA, month, as-of, data version, comparators' version), so
// a new write never meets a stale entry: it changes the key. A cache is an
// optimisation: Get answers nothing on a miss or on any error, and Put may
// drop the value; the caller then computes. Implementations are thread-safe.

#include <atomic>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/status/statusor.h"

namespace carescore::reports {

class ScorecardCache {
 public:
  virtual ~ScorecardCache() = default;
  virtual std::optional<std::string> Get(const std::string& key) = 0;
  virtual void Put(const std::string& key, const std::string& value) = 0;
  // "redis" or "in-process", for logs and answers.
  virtual const char* Name() const = 0;
};

// The embedded default: the most recently used `capacity` entries in memory.
class InProcessScorecardCache final : public ScorecardCache {
 public:
  explicit InProcessScorecardCache(size_t capacity = 256) : capacity_(capacity) {}
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;
  const char* Name() const override { return "in-process"; }

 private:
  using Entry = std::pair<std::string, std::string>;
  const size_t capacity_;
  absl::Mutex mu_;
  std::list<Entry> order_ ABSL_GUARDED_BY(mu_);  // Most recent first.
  std::unordered_map<std::string, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
};

// Runs one computation per key at a time: callers that ask for a key while
// it is being computed wait for that result instead of computing it again.
class SingleFlight {
 public:
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

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_
