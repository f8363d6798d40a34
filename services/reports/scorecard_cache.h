#ifndef CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_
#define CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_

// Where computed scorecards are kept, by a key that names everything they
// were built from (LA, month, as-of, data version, comparators' version), so
// a new write never meets a stale entry: it changes the key. A cache is an
// optimisation: Get answers nothing on a miss or on any error, and Put may
// drop the value; the caller then computes. Implementations are thread-safe.
// redis_cache.h has the Redis one.

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

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

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_SCORECARD_CACHE_H_
