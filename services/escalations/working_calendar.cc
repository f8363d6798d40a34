#include "services/escalations/working_calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace carescore::escalations {
namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm
// (Meeus/Jones/Butcher).
absl::CivilDay EasterSunday(int y) {
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(y, month, day);
}

absl::CivilDay FirstMonday(int year, int month) {
  absl::CivilDay d(year, month, 1);
  while (absl::GetWeekday(d) != absl::Weekday::monday) ++d;
  return d;
}

absl::CivilDay LastMonday(int year, int month) {
  absl::CivilDay d = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  while (absl::GetWeekday(d) != absl::Weekday::monday) --d;
  return d;
}

// The first weekday on or after `day` that is not already taken.
absl::CivilDay Substitute(absl::CivilDay day, const std::vector<BankHoliday>& taken) {
  while (IsWeekend(day) || std::any_of(taken.begin(), taken.end(),
                                       [day](const BankHoliday& h) { return h.date == day; })) {
    ++day;
  }
  return day;
}

std::vector<BankHoliday> Compute(int year) {
  std::vector<BankHoliday> out;
  const absl::CivilDay new_year(year, 1, 1);
  out.push_back({Substitute(new_year, out), "New Year's Day"});
  const absl::CivilDay easter = EasterSunday(year);
  out.push_back({easter - 2, "Good Friday"});
  out.push_back({easter + 1, "Easter Monday"});
  if (year == 2020) {
    out.push_back({absl::CivilDay(2020, 5, 8), "Early May bank holiday (VE day)"});
  } else {
    out.push_back({FirstMonday(year, 5), "Early May bank holiday"});
  }
  if (year == 2012) {
    out.push_back({absl::CivilDay(2012, 6, 4), "Spring bank holiday"});
    out.push_back({absl::CivilDay(2012, 6, 5), "Queen's Diamond Jubilee"});
  } else if (year == 2022) {
    out.push_back({absl::CivilDay(2022, 6, 2), "Spring bank holiday"});
    out.push_back({absl::CivilDay(2022, 6, 3), "Platinum Jubilee bank holiday"});
  } else {
    out.push_back({LastMonday(year, 5), "Spring bank holiday"});
  }
  out.push_back({LastMonday(year, 8), "Summer bank holiday"});
  // Christmas first, then Boxing Day: when either falls at a weekend the
  // substitutes are the next free weekdays, in that order.
  const absl::CivilDay christmas(year, 12, 25);
  const absl::CivilDay boxing(year, 12, 26);
  if (!IsWeekend(christmas)) {
    out.push_back({christmas, "Christmas Day"});
    out.push_back({Substitute(boxing, out), "Boxing Day"});
  } else if (absl::GetWeekday(christmas) == absl::Weekday::saturday) {
    out.push_back({absl::CivilDay(year, 12, 27), "Christmas Day (substitute)"});
    out.push_back({absl::CivilDay(year, 12, 28), "Boxing Day (substitute)"});
  } else {  // Sunday: Boxing Day keeps Monday 26th, Christmas moves to Tuesday.
    out.push_back({boxing, "Boxing Day"});
    out.push_back({absl::CivilDay(year, 12, 27), "Christmas Day (substitute)"});
  }
  if (year == 2011) out.push_back({absl::CivilDay(2011, 4, 29), "Royal wedding"});
  if (year == 2022) {
    out.push_back({absl::CivilDay(2022, 9, 19), "State Funeral of Queen Elizabeth II"});
  }
  if (year == 2023) out.push_back({absl::CivilDay(2023, 5, 8), "Coronation of King Charles III"});
  std::sort(out.begin(), out.end(),
            [](const BankHoliday& a, const BankHoliday& b) { return a.date < b.date; });
  return out;
}

}  // namespace

std::vector<BankHoliday> BankHolidaysOf(int year) { return Compute(year); }

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text, absl::string_view field) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || FormatDate(day) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not a date (YYYY-MM-DD)"));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

bool WorkingCalendar::IsBankHoliday(absl::CivilDay day) const {
  // Small per-year table; computed on demand because years are unbounded.
  const std::vector<BankHoliday> holidays = Compute(static_cast<int>(day.year()));
  return std::any_of(holidays.begin(), holidays.end(),
                     [day](const BankHoliday& h) { return h.date == day; });
}

bool WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  return !IsWeekend(day) && closures_.count(day) == 0 && !IsBankHoliday(day);
}

absl::CivilDay WorkingCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  absl::CivilDay day = start;
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

int WorkingCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) count += IsWorkingDay(day) ? 1 : 0;
  return count;
}

std::vector<std::string> SkippedDays(const WorkingCalendar& calendar, absl::CivilDay from,
                                     absl::CivilDay to) {
  std::vector<std::string> skipped;
  for (absl::CivilDay d = from + 1; d < to; ++d) {
    if (IsWeekend(d) || calendar.IsWorkingDay(d)) continue;
    std::string name = "local closure";
    for (const BankHoliday& h : BankHolidaysOf(static_cast<int>(d.year()))) {
      if (h.date == d) name = h.name;
    }
    skipped.push_back(absl::StrCat(FormatDate(d), " ", name));
  }
  return skipped;
}

}  // namespace carescore::escalations
