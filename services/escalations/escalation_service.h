#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_

// The escalation rules, with no gRPC in them: raising and moving cases up
// the ladder, response deadlines in working days (England and Wales, plus
// the LA's closure days, in UK local time: due_dates.h), QAC audits, overdue
// lists (case_history.h) and summaries (escalation_summary.h). This class
// checks requests and orchestrates the store, the clock and those pure
// functions. Every read and change is written to the access log under the
// actor (below); a read of child-level data (a case, a list of cases,
// overdue cases, a watch, audits) whose access log entry cannot be written
// is refused with the store's error, not served. Inputs are held to the
// limits of limits.h and the EscalationPolicy. Thread-safe if the store and
// reader are.
// Errors: InvalidArgument (bad input, naming the field), NotFound,
// FailedPrecondition (a transition the case's state does not allow, a
// duplicate inadequate audit), Aborted (changed by someone else meanwhile),
// ResourceExhausted (too many watch streams), PermissionDenied (a role the
// ladder does not allow at that stage), and the store's errors.
//
// Who acts: each write takes an optional Acting, which the edge passes for
// every call its gate admitted. With it, the actor recorded in the case's
// history and the access log is Acting::subject whatever the request's
// `actor` says, and the ladder's stage roles (ladder.h) are checked before
// anything is written: raising or escalating into a stage, or referring to
// CAFCASS, needs that stage's raise_roles; responding or resolving, the
// current stage's respond_roles; withdrawing, the raise_roles of stage 1 or
// of the current stage; recording an inadequate audit (which raises at
// stage 1), stage 1's raise_roles. admin may always act. A refusal is
// PermissionDenied with ErrorInfo reason STAGE_NOT_ALLOWED naming the stage
// and the roles that may, never the child reference. Without an Acting (no
// gate configured: the rules' own tests and wire tests) the stage check is
// SKIPPED and the actor is the request's `actor` (for a raise or audit, the
// IRO if none). Reads take the actor from the request, which the edge sets.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_store.h"
#include "services/escalations/escalation_summary.h"
#include "services/escalations/ladder.h"
#include "services/escalations/limits.h"
#include "services/escalations/pseudonym.h"
#include "services/escalations/watch_streams.h"
#include "services/escalations/working_calendar.h"
#include "services/indicators/indicator_reader.h"

namespace carescore::escalations {

// What a council or deployment configures beyond the ladder
// (policy_flags.h has the flags).
struct EscalationPolicy {
  ChildRefRule child_refs = ChildRefRule::Default();
  // Dates before this day (UK) are refused; so are dates after tomorrow.
  absl::CivilDay earliest_date = kDefaultEarliestDate;
  int max_watch_streams = kDefaultMaxWatchStreams;
  int max_watch_streams_per_actor = kDefaultMaxWatchStreamsPerActor;
};

// Who is acting on a write, as the edge's gate admitted the call: the
// token's subject (or the caller a service acts for) and their roles.
struct Acting {
  std::string subject;
  std::vector<std::string> roles;
};

class EscalationService {
 public:
  // `store`, `indicators` and `feed` outlive *this; `now` is the clock.
  EscalationService(
      EscalationStore& store, indicators::IndicatorReader& indicators, Ladder ladder,
      ChangeFeed& feed, std::function<absl::Time()> now = [] { return absl::Now(); });
  EscalationService(
      EscalationStore& store, indicators::IndicatorReader& indicators, Ladder ladder,
      ChangeFeed& feed, EscalationPolicy policy,
      std::function<absl::Time()> now = [] { return absl::Now(); });

  absl::StatusOr<v1::RaiseEscalationResponse> RaiseEscalation(
      const v1::RaiseEscalationRequest& request,
      const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::RespondToEscalationResponse> RespondToEscalation(
      const v1::RespondToEscalationRequest& request,
      const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::EscalateEscalationResponse> EscalateEscalation(
      const v1::EscalateEscalationRequest& request,
      const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::ResolveEscalationResponse> ResolveEscalation(
      const v1::ResolveEscalationRequest& request,
      const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::WithdrawEscalationResponse> WithdrawEscalation(
      const v1::WithdrawEscalationRequest& request,
      const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::ReferToCafcassResponse> ReferToCafcass(
      const v1::ReferToCafcassRequest& request, const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::GetEscalationResponse> GetEscalation(const v1::GetEscalationRequest& request);
  absl::StatusOr<v1::ListEscalationsResponse> ListEscalations(
      const v1::ListEscalationsRequest& request);
  absl::StatusOr<v1::ListOverdueEscalationsResponse> ListOverdueEscalations(
      const v1::ListOverdueEscalationsRequest& request);
  absl::StatusOr<v1::GetEscalationSummaryResponse> GetEscalationSummary(
      const v1::GetEscalationSummaryRequest& request);
  absl::StatusOr<v1::RecordAuditResponse> RecordAudit(
      const v1::RecordAuditRequest& request, const std::optional<Acting>& acting = std::nullopt);
  absl::StatusOr<v1::GetAuditSummaryResponse> GetAuditSummary(
      const v1::GetAuditSummaryRequest& request);
  absl::StatusOr<v1::GetLadderResponse> GetLadder(const v1::GetLadderRequest& request);
  absl::StatusOr<v1::AddWorkingDaysResponse> AddWorkingDays(
      const v1::AddWorkingDaysRequest& request);
  absl::StatusOr<v1::AddClosureDaysResponse> AddClosureDays(
      const v1::AddClosureDaysRequest& request);

  // InvalidArgument for a malformed filter, ResourceExhausted past the
  // watch stream caps; logs the watcher's access. The stream counts as open
  // until the ticket is destroyed.
  absl::StatusOr<WatchStreams::Ticket> StartWatch(const v1::WatchEscalationsRequest& request);
  ChangeFeed& feed() { return feed_; }
  // The LA of case `id`, for the edge's LA scope check: NotFound if there is
  // no such case. Not written to the access log (no casework is read out).
  absl::StatusOr<std::string> CaseLa(absl::string_view id);

 private:
  absl::StatusOr<WorkingCalendar> CalendarFor(const std::string& la_code);
  // The calendar of every LA that `escalations` belong to.
  absl::StatusOr<CalendarsByLa> CalendarsFor(const std::vector<v1::Escalation>& escalations);
  // A new open escalation at `stage`, raised at `raised`, with its due dates.
  absl::StatusOr<v1::Escalation> NewEscalation(const std::string& la_code,
                                               const std::string& child_ref,
                                               const std::string& iro_id, const std::string& team,
                                               const std::vector<std::string>& themes, int stage,
                                               absl::Time raised, const std::string& actor,
                                               const std::string& note);
  [[nodiscard]] absl::Status CheckLa(const std::string& la_code);
  // Applies `change` to a stored, open escalation under optimistic locking,
  // then stores, publishes and logs it. `actor` is who acts (already
  // resolved from the Acting); `change` checks the stage roles. A non-empty
  // `etag` other than the case's current one is Aborted (STALE_ETAG); a
  // step the case's state does not allow is FailedPrecondition
  // (ILLEGAL_TRANSITION).
  absl::StatusOr<v1::Escalation> Transition(
      const std::string& id, const std::string& actor, v1::TransitionKind kind,
      const google::protobuf::Timestamp* at, const std::string& note, const std::string& etag,
      const std::function<absl::Status(v1::Escalation&, absl::Time, WorkingCalendar&)>& change);
  void Publish(const v1::Escalation& escalation, v1::TransitionKind kind);
  void Log(const std::string& actor, absl::string_view action, absl::string_view subject);
  // Logs a read of child-level data; its error means the read is refused.
  [[nodiscard]] absl::Status LogRead(const std::string& actor, absl::string_view action,
                                     absl::string_view subject);
  // InvalidArgument naming `field` for a day outside the plausible window:
  // policy_.earliest_date to tomorrow (UK).
  [[nodiscard]] absl::Status CheckDay(absl::CivilDay day, absl::string_view field);
  [[nodiscard]] absl::Status CheckTime(absl::Time time, absl::string_view field);
  // The same for a closure day, which may be up to kMaxClosureDaysAhead ahead.
  [[nodiscard]] absl::Status CheckClosureDay(absl::CivilDay day);

  EscalationStore& store_;
  indicators::IndicatorReader& indicators_;
  const Ladder ladder_;
  ChangeFeed& feed_;
  std::function<absl::Time()> now_;
  const absl::TimeZone uk_;
  const EscalationPolicy policy_;
  WatchStreams watch_streams_;
  // Held across the duplicate check and the insert of an inadequate audit.
  absl::Mutex inadequate_audits_mu_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
