#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_

// The escalation rules, with no gRPC in them: raising and moving cases up
// the ladder, response deadlines in working days (England and Wales, plus
// the LA's closure days, in UK local time: due_dates.h), QAC audits, overdue
// lists (case_history.h) and summaries (escalation_summary.h). This class
// checks requests and orchestrates the store, the clock and those pure
// functions. Every read and change is written to the access log under the
// request's actor. Thread-safe if the store and reader are.
// Errors: InvalidArgument (bad input, naming the field), NotFound,
// FailedPrecondition (a transition the case's state does not allow),
// Aborted (changed by someone else meanwhile), and the store's errors.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"
#include "services/escalations/change_feed.h"
#include "services/escalations/escalation_store.h"
#include "services/escalations/escalation_summary.h"
#include "services/escalations/ladder.h"
#include "services/escalations/working_calendar.h"
#include "services/indicators/indicator_reader.h"

namespace carescore::escalations {

class EscalationService {
 public:
  // `store`, `indicators` and `feed` outlive *this; `now` is the clock.
  EscalationService(
      EscalationStore& store, indicators::IndicatorReader& indicators, Ladder ladder,
      ChangeFeed& feed, std::function<absl::Time()> now = [] { return absl::Now(); });

  absl::StatusOr<v1::RaiseEscalationResponse> RaiseEscalation(
      const v1::RaiseEscalationRequest& request);
  absl::StatusOr<v1::RespondToEscalationResponse> RespondToEscalation(
      const v1::RespondToEscalationRequest& request);
  absl::StatusOr<v1::EscalateEscalationResponse> EscalateEscalation(
      const v1::EscalateEscalationRequest& request);
  absl::StatusOr<v1::ResolveEscalationResponse> ResolveEscalation(
      const v1::ResolveEscalationRequest& request);
  absl::StatusOr<v1::WithdrawEscalationResponse> WithdrawEscalation(
      const v1::WithdrawEscalationRequest& request);
  absl::StatusOr<v1::ReferToCafcassResponse> ReferToCafcass(
      const v1::ReferToCafcassRequest& request);
  absl::StatusOr<v1::GetEscalationResponse> GetEscalation(const v1::GetEscalationRequest& request);
  absl::StatusOr<v1::ListEscalationsResponse> ListEscalations(
      const v1::ListEscalationsRequest& request);
  absl::StatusOr<v1::ListOverdueEscalationsResponse> ListOverdueEscalations(
      const v1::ListOverdueEscalationsRequest& request);
  absl::StatusOr<v1::GetEscalationSummaryResponse> GetEscalationSummary(
      const v1::GetEscalationSummaryRequest& request);
  absl::StatusOr<v1::RecordAuditResponse> RecordAudit(const v1::RecordAuditRequest& request);
  absl::StatusOr<v1::GetAuditSummaryResponse> GetAuditSummary(
      const v1::GetAuditSummaryRequest& request);
  absl::StatusOr<v1::GetLadderResponse> GetLadder(const v1::GetLadderRequest& request);
  absl::StatusOr<v1::AddWorkingDaysResponse> AddWorkingDays(
      const v1::AddWorkingDaysRequest& request);
  absl::StatusOr<v1::AddClosureDaysResponse> AddClosureDays(
      const v1::AddClosureDaysRequest& request);

  // InvalidArgument for a malformed filter; logs the watcher's access.
  [[nodiscard]] absl::Status StartWatch(const v1::WatchEscalationsRequest& request);
  ChangeFeed& feed() { return feed_; }

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
  // then stores, publishes and logs it.
  absl::StatusOr<v1::Escalation> Transition(
      const std::string& id, const std::string& actor, v1::TransitionKind kind,
      const google::protobuf::Timestamp* at, const std::string& note,
      const std::function<absl::Status(v1::Escalation&, absl::Time, WorkingCalendar&)>& change);
  void Publish(const v1::Escalation& escalation, v1::TransitionKind kind);
  void Log(const std::string& actor, absl::string_view action, absl::string_view subject);

  EscalationStore& store_;
  indicators::IndicatorReader& indicators_;
  const Ladder ladder_;
  ChangeFeed& feed_;
  std::function<absl::Time()> now_;
  const absl::TimeZone uk_;
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
