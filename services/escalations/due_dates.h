#ifndef CARESCORE_SERVICES_ESCALATIONS_DUE_DATES_H_
#define CARESCORE_SERVICES_ESCALATIONS_DUE_DATES_H_

// The one due-date rule of the escalation process: a response (or, with the
// whole-process target, the resolution) is due by the end of the Nth working
// day after the UK day the stage began. Days begin and end in UK local time
// (Europe/London), whatever the server's zone. Pure functions, thread-safe.

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/escalations/working_calendar.h"

namespace carescore::escalations {

// Europe/London; UTC (with a warning logged) if the zone database lacks it.
absl::TimeZone UkTimeZone();

// The UK day `t` falls on, in `uk` (UkTimeZone()).
absl::CivilDay UkDay(absl::Time t, absl::TimeZone uk);

// The day a stage that began at `began` is due by the end of: the
// `working_days`th working day of `calendar` after the UK day `began` falls
// on (that day itself not counted; 0 gives that day). `working_days` >= 0.
absl::CivilDay DueDay(absl::Time began, int working_days, const WorkingCalendar& calendar,
                      absl::TimeZone uk);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_DUE_DATES_H_
