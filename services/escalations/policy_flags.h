#ifndef CARESCORE_SERVICES_ESCALATIONS_POLICY_FLAGS_H_
#define CARESCORE_SERVICES_ESCALATIONS_POLICY_FLAGS_H_

// The flags of the binaries that host the escalation service that set its
// EscalationPolicy: --child-ref-pattern (env CARESCORE_CHILD_REF_PATTERN),
// --earliest-date (CARESCORE_EARLIEST_DATE), --max-watch-streams and
// --max-watch-streams-per-caller (CARESCORE_MAX_WATCH_STREAMS, _PER_CALLER).

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "services/escalations/escalation_service.h"

namespace carescore::escalations {

struct PolicyFlags {
  std::string child_ref_pattern = std::string(kDefaultChildRefPattern);
  std::string earliest_date = "2000-01-01";
  int max_watch_streams = kDefaultMaxWatchStreams;
  int max_watch_streams_per_actor = kDefaultMaxWatchStreamsPerActor;
};

void AddPolicyFlags(CLI::App& app, PolicyFlags& flags);
// InvalidArgument for a pattern that is not a regular expression or a date
// that is not YYYY-MM-DD.
absl::StatusOr<EscalationPolicy> MakePolicy(const PolicyFlags& flags);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_POLICY_FLAGS_H_
