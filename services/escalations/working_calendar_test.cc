#include "services/escalations/working_calendar.h"

#include <map>

#include "common/csv.h"
#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(BankHolidaysTest, RulesReproduceThePublishedList2012To2027) {
  auto table =
      CsvTable::ReadFile(std::string(CARESCORE_ENGLAND_DIR) + "/bank_holidays_england_wales.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  std::map<int, std::vector<absl::CivilDay>> published;
  for (const CsvRow& row : table->rows()) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(table->Field(row, "date"), "date");
    ASSERT_TRUE(day.ok()) << day.status();
    published[static_cast<int>(day->year())].push_back(*day);
  }
  ASSERT_EQ(published.size(), 16u);
  for (const auto& [year, days] : published) {
    std::vector<absl::CivilDay> computed;
    for (const BankHoliday& h : BankHolidaysOf(year)) computed.push_back(h.date);
    EXPECT_EQ(computed, days) << year;
  }
}

TEST(BankHolidaysTest, YearsAroundThePublishedListByRule) {
  // 2010 and 2011 (the royal wedding), 2028 to 2030.
  std::vector<absl::CivilDay> y2011;
  for (const BankHoliday& h : BankHolidaysOf(2011)) y2011.push_back(h.date);
  EXPECT_EQ(y2011, (std::vector<absl::CivilDay>{D(2011, 1, 3), D(2011, 4, 22), D(2011, 4, 25),
                                                D(2011, 4, 29), D(2011, 5, 2), D(2011, 5, 30),
                                                D(2011, 8, 29), D(2011, 12, 26), D(2011, 12, 27)}));
  std::vector<absl::CivilDay> y2010;
  for (const BankHoliday& h : BankHolidaysOf(2010)) y2010.push_back(h.date);
  EXPECT_EQ(y2010, (std::vector<absl::CivilDay>{D(2010, 1, 1), D(2010, 4, 2), D(2010, 4, 5),
                                                D(2010, 5, 3), D(2010, 5, 31), D(2010, 8, 30),
                                                D(2010, 12, 27), D(2010, 12, 28)}));
  std::vector<absl::CivilDay> y2030;
  for (const BankHoliday& h : BankHolidaysOf(2030)) y2030.push_back(h.date);
  EXPECT_EQ(y2030, (std::vector<absl::CivilDay>{D(2030, 1, 1), D(2030, 4, 19), D(2030, 4, 22),
                                                D(2030, 5, 6), D(2030, 5, 27), D(2030, 8, 26),
                                                D(2030, 12, 25), D(2030, 12, 26)}));
}

TEST(WorkingCalendarTest, ChristmasDeadlines2018) {
  WorkingCalendar cal;
  // Stage 1 (1 working day) raised on Friday 21 December 2018.
  EXPECT_EQ(cal.AddWorkingDays(D(2018, 12, 21), 1), D(2018, 12, 24));
  // Stage 2 (5 working days): 24, 27, 28, 31 December, 2 January.
  EXPECT_EQ(cal.AddWorkingDays(D(2018, 12, 21), 5), D(2019, 1, 2));
  EXPECT_EQ(cal.AddWorkingDays(D(2018, 12, 21), 0), D(2018, 12, 21));
}

TEST(WorkingCalendarTest, EasterMayAndJubilees) {
  WorkingCalendar cal;
  // Maundy Thursday 2019 (18 April): Good Friday and Easter Monday skipped.
  EXPECT_EQ(cal.AddWorkingDays(D(2019, 4, 18), 1), D(2019, 4, 23));
  // Friday 3 May 2019: Early May bank holiday Monday 6 May.
  EXPECT_EQ(cal.AddWorkingDays(D(2019, 5, 3), 1), D(2019, 5, 7));
  // 2020's early May holiday moved to Friday 8 May (VE day); 4 May worked.
  EXPECT_EQ(cal.AddWorkingDays(D(2020, 5, 1), 1), D(2020, 5, 4));
  EXPECT_EQ(cal.AddWorkingDays(D(2020, 5, 7), 1), D(2020, 5, 11));
  // Platinum jubilee 2022: Thursday 2 and Friday 3 June.
  EXPECT_EQ(cal.AddWorkingDays(D(2022, 6, 1), 1), D(2022, 6, 6));
  // The spring holiday moved off Monday 30 May, which was worked: 30, 31
  // May, 1 June, then (2 and 3 June off) 6 June.
  EXPECT_EQ(cal.AddWorkingDays(D(2022, 5, 27), 4), D(2022, 6, 6));
  // Diamond jubilee 2012: Monday 4 and Tuesday 5 June.
  EXPECT_EQ(cal.AddWorkingDays(D(2012, 6, 1), 1), D(2012, 6, 6));
  // Royal wedding Friday 29 April 2011, then Early May Monday 2 May.
  EXPECT_EQ(cal.AddWorkingDays(D(2011, 4, 28), 1), D(2011, 5, 3));
  // State funeral Monday 19 September 2022; coronation Monday 8 May 2023.
  EXPECT_EQ(cal.AddWorkingDays(D(2022, 9, 16), 1), D(2022, 9, 20));
  EXPECT_EQ(cal.AddWorkingDays(D(2023, 5, 5), 1), D(2023, 5, 9));
}

TEST(WorkingCalendarTest, LocalClosuresAndCounting) {
  WorkingCalendar closed({D(2018, 12, 24)});
  EXPECT_EQ(closed.AddWorkingDays(D(2018, 12, 21), 1), D(2018, 12, 27));
  WorkingCalendar cal;
  EXPECT_EQ(cal.WorkingDaysBetween(D(2018, 12, 21), D(2019, 1, 2)), 5);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2019, 1, 2), D(2018, 12, 21)), 0);
  EXPECT_FALSE(cal.IsWorkingDay(D(2018, 12, 25)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2018, 12, 27)));
}

TEST(WorkingCalendarTest, SkippedDaysNameTheHolidaysAndClosures) {
  // 5 working days from Friday 21 December 2018 end on Wednesday 2 January:
  // weekends are not listed, the holidays and the LA's closure are.
  WorkingCalendar closed({D(2018, 12, 27)});
  EXPECT_EQ(closed.AddWorkingDays(D(2018, 12, 21), 5), D(2019, 1, 3));
  EXPECT_EQ(SkippedDays(closed, D(2018, 12, 21), D(2019, 1, 3)),
            (std::vector<std::string>{"2018-12-25 Christmas Day", "2018-12-26 Boxing Day",
                                      "2018-12-27 local closure", "2019-01-01 New Year's Day"}));
  EXPECT_TRUE(SkippedDays(WorkingCalendar(), D(2019, 3, 4), D(2019, 3, 11)).empty());
}

TEST(WorkingCalendarTest, ParsesDatesStrictly) {
  EXPECT_TRUE(ParseDate("2018-12-21", "d").ok());
  EXPECT_FALSE(ParseDate("2018-02-30", "d").ok());
  EXPECT_FALSE(ParseDate("21/12/2018", "d").ok());
  EXPECT_FALSE(ParseDate("2018-12-1", "d").ok());
}

}  // namespace
}  // namespace carescore::escalations
