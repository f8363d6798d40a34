#ifndef CARESCORE_SERVICES_ESCALATIONS_CASE_HISTORY_H_
#define CARESCORE_SERVICES_ESCALATIONS_CASE_HISTORY_H_

// A case as it stood at a moment, from its history (the transitions, which
// are kept in time order), and what was overdue about it then. Used by the
// overdue list "as of" a past time. Pure functions, thread-safe.

#include <optional>

#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"
#include "services/escalations/ladder.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {

// True for resolved, withdrawn and referred: nothing more can happen.
bool IsClosed(v1::EscalationStatus status);

struct CaseState {
  // The stage the case was at; 0 before it was raised.
  int stage = 0;
  // UNSPECIFIED before it was raised.
  v1::EscalationStatus status = v1::ESCALATION_STATUS_UNSPECIFIED;
  // When the case entered `stage` (raised or escalated).
  absl::Time stage_began;
};

// The case after replaying its transitions at or before `as_of`.
CaseState StateAt(const v1::Escalation& escalation, absl::Time as_of);

// Whether the case was overdue at `as_of`, judged by its state then and the
// UK day `as_of` falls on: open at a stage with a response time and past
// that stage's due day (DueDay from when the stage began), or else not
// closed and past the stored `resolve_by` day. The reason names the day
// missed; the working days overdue count (due, today]. Nothing if it was not
// overdue, not yet raised, or closed.
std::optional<v1::OverdueEscalation> OverdueAt(const v1::Escalation& escalation, absl::Time as_of,
                                               const Ladder& ladder,
                                               const WorkingCalendar& calendar, absl::TimeZone uk);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_CASE_HISTORY_H_
