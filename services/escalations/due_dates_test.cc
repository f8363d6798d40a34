#include "services/escalations/due_dates.h"

#include "gtest/gtest.h"

namespace carescore::escalations {
namespace {

absl::TimeZone Uk() { return UkTimeZone(); }

absl::Time UkTime(int y, int m, int d, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, minute, 0), Uk());
}

absl::Time UtcTime(int y, int m, int d, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, minute, 0), absl::UTCTimeZone());
}

TEST(DueDatesTest, ChristmasTwentyEighteen) {
  const WorkingCalendar bank_holidays;
  const absl::Time friday = UkTime(2018, 12, 21, 10);
  // Stage 1 (1 working day) raised Friday 21 December: due Monday 24th.
  EXPECT_EQ(DueDay(friday, 1, bank_holidays, Uk()), absl::CivilDay(2018, 12, 24));
  // Stage 2 (5): 24, 27, 28, 31 December, then Wednesday 2 January.
  EXPECT_EQ(DueDay(friday, 5, bank_holidays, Uk()), absl::CivilDay(2019, 1, 2));
  // The whole process (20 working days): Wednesday 23 January.
  EXPECT_EQ(DueDay(friday, 20, bank_holidays, Uk()), absl::CivilDay(2019, 1, 23));
  // No response time: the day itself.
  EXPECT_EQ(DueDay(friday, 0, bank_holidays, Uk()), absl::CivilDay(2018, 12, 21));
}

TEST(DueDatesTest, TheDayIsTheUkDay) {
  const WorkingCalendar bank_holidays;
  // In winter UK time is UTC: 23:30 UTC on Friday 21 December is still that
  // Friday in the UK.
  EXPECT_EQ(UkDay(UtcTime(2018, 12, 21, 23, 30), Uk()), absl::CivilDay(2018, 12, 21));
  EXPECT_EQ(DueDay(UtcTime(2018, 12, 21, 23, 30), 1, bank_holidays, Uk()),
            absl::CivilDay(2018, 12, 24));
  // In summer 23:00 UTC on Thursday 30 May 2019 is 00:00 BST on Friday 31st:
  // one working day after the Friday is Monday 3 June, not Friday.
  EXPECT_EQ(UkDay(UtcTime(2019, 5, 30, 23), Uk()), absl::CivilDay(2019, 5, 31));
  EXPECT_EQ(DueDay(UtcTime(2019, 5, 30, 23), 1, bank_holidays, Uk()), absl::CivilDay(2019, 6, 3));
  // A minute earlier it is still Thursday in the UK: due Friday.
  EXPECT_EQ(DueDay(UtcTime(2019, 5, 30, 22, 59), 1, bank_holidays, Uk()),
            absl::CivilDay(2019, 5, 31));
}

TEST(DueDatesTest, LocalClosuresPushTheDayOn) {
  const WorkingCalendar closed({absl::CivilDay(2018, 12, 24)});
  EXPECT_EQ(DueDay(UkTime(2018, 12, 21, 10), 1, closed, Uk()), absl::CivilDay(2018, 12, 27));
}

}  // namespace
}  // namespace carescore::escalations
