#include "services/reports/cache_flag.h"

#include "services/reports/redis_cache.h"
#include "spdlog/spdlog.h"

namespace carescore::reports {

void AddReportFlags(CLI::App& app, ReportFlags& flags) {
  app.add_option("--redis", flags.redis,
                 "Redis for the scorecard cache, HOST:PORT (default: an in-process cache)")
      ->envname("CARESCORE_REDIS");
  app.add_option("--chromium", flags.chromium, "Headless Chromium for PDF reports")
      ->envname("CARESCORE_CHROMIUM")
      ->capture_default_str();
}

absl::StatusOr<std::unique_ptr<ScorecardCache>> MakeCache(const std::string& redis) {
  if (redis.empty()) {
    spdlog::info("scorecard cache: in-process");
    return std::unique_ptr<ScorecardCache>(std::make_unique<InProcessScorecardCache>());
  }
  absl::StatusOr<RedisCacheOptions> options = RedisScorecardCache::ParseAddress(redis);
  if (!options.ok()) return options.status();
  spdlog::info("scorecard cache: redis at {}", redis);
  return std::unique_ptr<ScorecardCache>(std::make_unique<RedisScorecardCache>(*options));
}

}  // namespace carescore::reports
