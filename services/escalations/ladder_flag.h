#ifndef CARESCORE_SERVICES_ESCALATIONS_LADDER_FLAG_H_
#define CARESCORE_SERVICES_ESCALATIONS_LADDER_FLAG_H_

// The --ladder flag (env CARESCORE_LADDER) of the binaries that host the
// escalation service, and loading what it names.

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "services/escalations/ladder.h"

namespace carescore::escalations {

void AddLadderFlag(CLI::App& app, std::string& file);
// The ladder in `file` (escalation_stages.csv format), or the default if
// `file` is empty. Logs a warning for each stage that only admin may act at.
absl::StatusOr<Ladder> LoadLadder(const std::string& file);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_LADDER_FLAG_H_
