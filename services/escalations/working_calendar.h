#ifndef CARESCORE_SERVICES_ESCALATIONS_WORKING_CALENDAR_H_
#define CARESCORE_SERVICES_ESCALATIONS_WORKING_CALENDAR_H_

// Working days in England and Wales: Monday to Friday, less bank holidays
// and any local closure days. Bank holidays come by rule for any year (New
// Year's Day, Good Friday, Easter Monday, the early May, spring and summer
// bank holidays, Christmas and Boxing Day, with substitute days when they
// fall at a weekend) plus the one-off changes since 2010: the 2011 royal
// wedding, the 2012 diamond jubilee (spring holiday moved to 4 June), the
// 2020 early May holiday moved to VE day, the 2022 platinum jubilee (spring
// holiday moved to 2 June) and state funeral, and the 2023 coronation.
// Value type; thread-compatible (const use is thread-safe).

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace carescore::escalations {

struct BankHoliday {
  absl::CivilDay date;
  std::string name;
};

// The bank holidays of England and Wales in `year`, in date order.
std::vector<BankHoliday> BankHolidaysOf(int year);

// "2018-12-21" -> CivilDay; InvalidArgument naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text, absl::string_view field);
std::string FormatDate(absl::CivilDay day);

class WorkingCalendar {
 public:
  // Bank holidays by rule; no local closures.
  WorkingCalendar() = default;
  // Also closed on `closures` (a council's own closure days).
  explicit WorkingCalendar(std::set<absl::CivilDay> closures) : closures_(std::move(closures)) {}

  bool IsBankHoliday(absl::CivilDay day) const;
  bool IsWorkingDay(absl::CivilDay day) const;
  // The Nth working day after `start` (`start` itself not counted); a
  // response is due by the end of it. `n` >= 0; n = 0 gives `start`.
  absl::CivilDay AddWorkingDays(absl::CivilDay start, int n) const;
  // Working days in (from, to]: 0 if `to` is not after `from`.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

 private:
  std::set<absl::CivilDay> closures_;
};

// The weekdays strictly between `from` and `to` that `calendar` does not
// work, in date order, each as "2018-12-25 Christmas Day": the bank
// holiday's name, or "local closure". What AddWorkingDays(from, n) == `to`
// skipped on the way.
std::vector<std::string> SkippedDays(const WorkingCalendar& calendar, absl::CivilDay from,
                                     absl::CivilDay to);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_WORKING_CALENDAR_H_
