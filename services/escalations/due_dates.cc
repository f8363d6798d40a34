#include "services/escalations/due_dates.h"

#include "spdlog/spdlog.h"

namespace carescore::escalations {

absl::TimeZone UkTimeZone() {
  absl::TimeZone uk;
  if (!absl::LoadTimeZone("Europe/London", &uk)) {
    spdlog::warn("time zone Europe/London not found (install tzdata): using UTC for due dates");
    return absl::UTCTimeZone();
  }
  return uk;
}

absl::CivilDay UkDay(absl::Time t, absl::TimeZone uk) { return absl::ToCivilDay(t, uk); }

absl::CivilDay DueDay(absl::Time began, int working_days, const WorkingCalendar& calendar,
                      absl::TimeZone uk) {
  return calendar.AddWorkingDays(UkDay(began, uk), working_days);
}

}  // namespace carescore::escalations
