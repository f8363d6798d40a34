#ifndef CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
#define CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_

// The --redis flag (env CARESCORE_REDIS) of the binaries that host the
// report service, and the cache it chooses: Redis when given, otherwise an
// in-process cache.

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

void AddCacheFlag(CLI::App& app, std::string& redis);
absl::StatusOr<std::unique_ptr<ScorecardCache>> MakeCache(const std::string& redis);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
