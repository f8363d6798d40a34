#include "services/escalations/case_history.h"

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/escalations/due_dates.h"

namespace carescore::escalations {

bool IsClosed(v1::EscalationStatus status) {
  return status == v1::ESCALATION_STATUS_RESOLVED || status == v1::ESCALATION_STATUS_WITHDRAWN ||
         status == v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS;
}

CaseState StateAt(const v1::Escalation& escalation, absl::Time as_of) {
  CaseState state;
  for (const v1::Transition& t : escalation.transitions()) {
    const absl::Time at = TimeFromProto(t.at());
    if (at > as_of) break;
    switch (t.kind()) {
      case v1::TRANSITION_KIND_RAISED:
      case v1::TRANSITION_KIND_ESCALATED:
        state.stage = t.to_stage();
        state.status = v1::ESCALATION_STATUS_OPEN;
        state.stage_began = at;
        break;
      case v1::TRANSITION_KIND_RESPONDED:
        state.status = v1::ESCALATION_STATUS_RESPONDED;
        break;
      case v1::TRANSITION_KIND_RESOLVED:
        state.status = v1::ESCALATION_STATUS_RESOLVED;
        break;
      case v1::TRANSITION_KIND_WITHDRAWN:
        state.status = v1::ESCALATION_STATUS_WITHDRAWN;
        break;
      case v1::TRANSITION_KIND_REFERRED_TO_CAFCASS:
        state.status = v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS;
        break;
      default:
        break;
    }
  }
  return state;
}

std::optional<v1::OverdueEscalation> OverdueAt(const v1::Escalation& escalation, absl::Time as_of,
                                               const Ladder& ladder,
                                               const WorkingCalendar& calendar, absl::TimeZone uk) {
  const CaseState state = StateAt(escalation, as_of);
  if (state.status == v1::ESCALATION_STATUS_UNSPECIFIED || IsClosed(state.status)) {
    return std::nullopt;
  }
  const absl::CivilDay today = UkDay(as_of, uk);
  const v1::Stage* stage = ladder.Find(state.stage);
  // A stage's own deadline comes first: it is the one someone can act on.
  if (state.status == v1::ESCALATION_STATUS_OPEN && stage != nullptr &&
      stage->response_working_days() > 0) {
    const absl::CivilDay due =
        DueDay(state.stage_began, stage->response_working_days(), calendar, uk);
    if (today > due) {
      v1::OverdueEscalation o;
      *o.mutable_escalation() = escalation;
      o.set_reason(
          absl::StrCat("stage ", state.stage, " response was due by the end of ", FormatDate(due)));
      o.set_working_days_overdue(calendar.WorkingDaysBetween(due, today));
      return o;
    }
  }
  absl::CivilDay resolve_by;
  if (absl::ParseCivilTime(escalation.resolve_by(), &resolve_by) && today > resolve_by) {
    v1::OverdueEscalation o;
    *o.mutable_escalation() = escalation;
    o.set_reason(absl::StrCat("not resolved within ", ladder.target_working_days,
                              " working days (by ", escalation.resolve_by(), ")"));
    o.set_working_days_overdue(calendar.WorkingDaysBetween(resolve_by, today));
    return o;
  }
  return std::nullopt;
}

}  // namespace carescore::escalations
