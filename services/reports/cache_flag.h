#ifndef CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
#define CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_

// The flags of the binaries that host the report service: --redis (env
// CARESCORE_REDIS) and the cache it chooses (Redis when given, otherwise an
// in-process cache), --cache-key-file (env CARESCORE_CACHE_KEY_FILE), the
// key that signs Redis entries (signed_cache.h; default: one generated in
// the data folder), and --chromium (env CARESCORE_CHROMIUM), the browser
// that prints PDFs.

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "services/reports/scorecard_cache.h"

namespace carescore::reports {

struct ReportFlags {
  std::string redis;
  std::string cache_key_file;
  // --redis-password (CARESCORE_REDIS_PASSWORD): AUTH on every new connection.
  std::string redis_password;
  std::string chromium = "chromium";
};

void AddReportFlags(CLI::App& app, ReportFlags& flags);
// Redis entries are signed with the key LoadOrCreateCacheKey finds from
// `flags.cache_key_file` or in `data_dir`.
absl::StatusOr<std::unique_ptr<ScorecardCache>> MakeCache(const ReportFlags& flags,
                                                          const std::string& data_dir);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_CACHE_FLAG_H_
