#include "services/reports/cache_flag.h"

#include "services/reports/redis_cache.h"
#include "services/reports/signed_cache.h"
#include "spdlog/spdlog.h"

namespace carescore::reports {

void AddReportFlags(CLI::App& app, ReportFlags& flags) {
  app.add_option("--redis", flags.redis,
                 "Redis for the scorecard cache, HOST:PORT (default: an in-process cache)")
      ->envname("CARESCORE_REDIS");
  app.add_option("--redis-password", flags.redis_password,
                 "Password Redis requires (requirepass), sent with AUTH on each connection; "
                 "prefer the environment variable, which other users cannot see")
      ->envname("CARESCORE_REDIS_PASSWORD");
  app.add_option("--cache-key-file", flags.cache_key_file,
                 "Key (32 bytes or more) that signs Redis cache entries (default: one generated "
                 "in the data folder, cache.key)")
      ->envname("CARESCORE_CACHE_KEY_FILE");
  app.add_option("--chromium", flags.chromium, "Headless Chromium for PDF reports")
      ->envname("CARESCORE_CHROMIUM")
      ->capture_default_str();
}

absl::StatusOr<std::unique_ptr<ScorecardCache>> MakeCache(const ReportFlags& flags,
                                                          const std::string& data_dir) {
  const std::string& redis = flags.redis;
  if (redis.empty()) {
    spdlog::info("scorecard cache: in-process");
    return std::unique_ptr<ScorecardCache>(std::make_unique<InProcessScorecardCache>());
  }
  absl::StatusOr<RedisCacheOptions> options = RedisScorecardCache::ParseAddress(redis);
  if (!options.ok()) return options.status();
  options->password = flags.redis_password;
  absl::StatusOr<std::string> key = LoadOrCreateCacheKey(flags.cache_key_file, data_dir);
  if (!key.ok()) return key.status();
  spdlog::info("scorecard cache: redis at {}, entries signed", redis);
  return std::unique_ptr<ScorecardCache>(std::make_unique<SignedScorecardCache>(
      std::make_unique<RedisScorecardCache>(*options), *std::move(key)));
}

}  // namespace carescore::reports
