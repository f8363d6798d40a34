#include "services/escalations/policy_flags.h"

#include "absl/strings/str_cat.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {

void AddPolicyFlags(CLI::App& app, PolicyFlags& flags) {
  app.add_option("--child-ref-pattern", flags.child_ref_pattern,
                 "The shape of this council's pseudonymous child references, a regular "
                 "expression the whole reference must match")
      ->envname("CARESCORE_CHILD_REF_PATTERN")
      ->capture_default_str();
  app.add_option("--earliest-date", flags.earliest_date,
                 "Dates before this (YYYY-MM-DD) are refused as implausible; so are dates after "
                 "tomorrow")
      ->envname("CARESCORE_EARLIEST_DATE")
      ->capture_default_str();
  app.add_option("--max-watch-streams", flags.max_watch_streams,
                 "Open escalation watch streams allowed in total (each holds a thread)")
      ->envname("CARESCORE_MAX_WATCH_STREAMS")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--max-watch-streams-per-caller", flags.max_watch_streams_per_actor,
                 "Open escalation watch streams allowed per caller")
      ->envname("CARESCORE_MAX_WATCH_STREAMS_PER_CALLER")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
}

absl::StatusOr<EscalationPolicy> MakePolicy(const PolicyFlags& flags) {
  EscalationPolicy policy;
  absl::StatusOr<ChildRefRule> rule = ChildRefRule::Make(flags.child_ref_pattern);
  if (!rule.ok()) return rule.status();
  policy.child_refs = *std::move(rule);
  absl::StatusOr<absl::CivilDay> earliest = ParseDate(flags.earliest_date, "--earliest-date");
  if (!earliest.ok()) return earliest.status();
  policy.earliest_date = *earliest;
  policy.max_watch_streams = flags.max_watch_streams;
  policy.max_watch_streams_per_actor = flags.max_watch_streams_per_actor;
  return policy;
}

}  // namespace carescore::escalations
