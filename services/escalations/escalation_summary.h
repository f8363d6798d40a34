#ifndef CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SUMMARY_H_
#define CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SUMMARY_H_

// The summaries of the IRO annual report, from the records alone: per month,
// the escalations that entered each stage of the ladder and the audits by
// grade; the themes of the escalations raised in a period; and how long they
// took to resolve. Months are UK calendar months. Pure functions, thread-safe.

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"
#include "common/period.h"
#include "services/escalations/ladder.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {

// Working calendars by LA code. An LA missing from the map is taken to have
// bank holidays only.
using CalendarsByLa = std::map<std::string, WorkingCalendar>;

// The summary of `escalations` (any order) over the months `from`..`to`
// (inclusive, from <= to), with the days in `uk`:
// - months: one entry per month, in order, zeros included. A RAISED or
//   ESCALATED transition counts for the stage it moved to, in the month it
//   happened; a REFERRED_TO_CAFCASS transition counts as a referral and for
//   the referral stage. `stages` has every stage of `ladder`; the deprecated
//   stage_1..stage_4 are filled too; stage_1_from_audits counts the stage 1
//   entries of escalations an audit opened.
// - themes, resolved, the median and p90 (type 7) working days to resolve
//   and the share resolved within `ladder.target_working_days`: over the
//   escalations raised in the months; "to resolve" counts working days
//   (raised day, closed day] in the LA's calendar, for those resolved.
// Themes are most frequent first, ties in alphabetical order.
v1::GetEscalationSummaryResponse SummariseStages(const std::vector<v1::Escalation>& escalations,
                                                 Month from, Month to, const Ladder& ladder,
                                                 const CalendarsByLa& calendars, absl::TimeZone uk);

// Audits per month of review date, by grade, over `from`..`to` (inclusive,
// from <= to): one entry per month, in order, zeros included. A grade
// outside the table (unspecified) counts as not recorded. Audits reviewed
// outside the months are left out.
v1::GetAuditSummaryResponse SummariseAudits(const std::vector<v1::Audit>& audits, Month from,
                                            Month to);

// The first and last days of a month.
absl::CivilDay FirstDayOf(Month month);
absl::CivilDay LastDayOf(Month month);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_ESCALATION_SUMMARY_H_
