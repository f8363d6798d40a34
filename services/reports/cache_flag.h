#ifndef CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
#define CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_

// The flags of the binaries that host the report service: --redis (env
// CARESCORE_REDIS) and the cache it chooses (Redis when given, otherwise an
// in-process cache), and --chromium (env CARESCORE_CHROMIUM), the browser
// that prints PDFs.

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

struct ReportFlags {
  std::string redis;
  std::string chromium = "chromium";
};

void AddReportFlags(CLI::App& app, ReportFlags& flags);
absl::StatusOr<std::unique_ptr<ScorecardCache>> MakeCache(const std::string& redis);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
