#ifndef CARESCORE_SERVICES_REPORTS_REDIS_CACHE_H_
#define CARESCORE_SERVICES_REPORTS_REDIS_CACHE_H_

// ScorecardCache on Redis (hiredis). A bounded pool of connections, each
// with connect and command timeouts; a connection that has seen any error
// is discarded, never reused (hiredis 0.14 can match a late reply to the
// next command after a timeout, and forgets the command timeout after
// redisReconnect, so there is no reconnect: a fresh connection is made,
// with its timeouts, when one is needed). After a failure Redis is left
// alone for `retry_after`, so a down or paused Redis costs at most one
// timeout per interval, not one per request; then it is tried again.
// Failures are logged (once per outage) and counted. Thread-safe.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/reports/scorecard_cache.h"

struct redisContext;

namespace carescore::reports {

struct RedisCacheOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Sent with AUTH on every new connection when not empty (Redis's
  // requirepass); a refused AUTH is an outage like a failed connect. Never logged.
  std::string password;
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration command_timeout = absl::Milliseconds(200);
  // At most this many connections, whatever the number of server threads.
  int max_connections = 32;
  absl::Duration retry_after = absl::Seconds(1);
  // Entries expire: keys name their versions, so old ones are never read again.
  absl::Duration ttl = absl::Hours(24);
};

class RedisScorecardCache final : public ScorecardCache {
 public:
  explicit RedisScorecardCache(RedisCacheOptions options) : options_(std::move(options)) {}
  ~RedisScorecardCache() override;
  RedisScorecardCache(const RedisScorecardCache&) = delete;
  RedisScorecardCache& operator=(const RedisScorecardCache&) = delete;

  // "HOST:PORT" -> options; InvalidArgument otherwise.
  static absl::StatusOr<RedisCacheOptions> ParseAddress(const std::string& address);

  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value) override;
  const char* Name() const override { return "redis"; }

  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }
  int64_t errors() const { return errors_.load(); }
  // Connections open now (idle and in use).
  int open_connections();

 private:
  // A connection, or nullptr when Redis is unavailable (or resting after a
  // failure, or every connection is busy beyond the command timeout).
  redisContext* Acquire();
  // `healthy` false discards the connection.
  void Release(redisContext* context, bool healthy);
  void Failed(const std::string& what);

  const RedisCacheOptions options_;
  absl::Mutex mu_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time resting_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool outage_logged_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
  std::atomic<int64_t> errors_{0};
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REDIS_CACHE_H_
