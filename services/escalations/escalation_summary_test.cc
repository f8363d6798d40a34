#include "services/escalations/escalation_summary.h"

#include "common/proto_time.h"
#include "gtest/gtest.h"
#include "services/escalations/due_dates.h"

namespace carescore::escalations {
namespace {

absl::Time UkTime(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), UkTimeZone());
}

// An escalation raised at `stage` at `raised`, then moved through `moves`
// (kind, to stage, when).
struct Move {
  v1::TransitionKind kind;
  int to_stage;
  absl::Time at;
};
v1::Escalation Case(const std::string& la, int stage, absl::Time raised,
                    std::vector<Move> moves = {}, std::vector<std::string> themes = {"contact"}) {
  v1::Escalation e;
  e.set_la_code(la);
  e.set_stage(stage);
  e.set_status(v1::ESCALATION_STATUS_OPEN);
  *e.mutable_raised_at() = TimeToProto(raised);
  for (const std::string& t : themes) e.add_themes(t);
  moves.insert(moves.begin(), Move{v1::TRANSITION_KIND_RAISED, stage, raised});
  for (const Move& m : moves) {
    v1::Transition* t = e.add_transitions();
    t->set_kind(m.kind);
    t->set_from_stage(e.stage());
    t->set_to_stage(m.to_stage);
    *t->mutable_at() = TimeToProto(m.at);
    e.set_stage(m.to_stage);
    if (m.kind == v1::TRANSITION_KIND_RESOLVED) {
      e.set_status(v1::ESCALATION_STATUS_RESOLVED);
      *e.mutable_closed_at() = TimeToProto(m.at);
    }
  }
  return e;
}

Ladder SixResponseStages() {
  Ladder ladder = Ladder::Default();
  ladder.stages.clear();
  for (int n = 1; n <= 6; ++n) {
    v1::Stage s;
    s.set_number(n);
    s.set_response_working_days(5);
    ladder.stages.push_back(s);
  }
  return ladder;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // The fixed fields, still filled.
TEST(StageSummaryTest, CountsEveryStageOfTheLadderPerMonth) {
  std::vector<v1::Escalation> cases = {
      // January: raised at 1, escalated to 2 in January and to 6 in February.
      Case("372", 1, UkTime(2019, 1, 7),
           {{v1::TRANSITION_KIND_ESCALATED, 2, UkTime(2019, 1, 9)},
            {v1::TRANSITION_KIND_ESCALATED, 6, UkTime(2019, 2, 4)}}),
      // Raised at 5 in February.
      Case("372", 5, UkTime(2019, 2, 11)),
      // Raised in December: only its March escalation to 3 is in range.
      Case("372", 1, UkTime(2018, 12, 3), {{v1::TRANSITION_KIND_ESCALATED, 3, UkTime(2019, 3, 1)}}),
  };
  cases.push_back(Case("372", 1, UkTime(2019, 1, 8)));
  cases.back().set_audit_id("QAC-000001");
  v1::GetEscalationSummaryResponse s =
      SummariseStages(cases, Month(2019, 1), Month(2019, 3), SixResponseStages(), {}, UkTimeZone());
  ASSERT_EQ(s.months_size(), 3);
  const std::vector<std::vector<int>> expected = {
      {2, 1, 0, 0, 0, 0},  // January
      {0, 0, 0, 0, 1, 1},  // February
      {0, 0, 1, 0, 0, 0},  // March
  };
  for (int m = 0; m < 3; ++m) {
    const v1::MonthStageCounts& c = s.months(m);
    EXPECT_EQ(c.month(), Month(2019, m + 1).ToString());
    ASSERT_EQ(c.stages_size(), 6);
    for (int i = 0; i < 6; ++i) {
      EXPECT_EQ(c.stages(i).stage(), i + 1);
      EXPECT_EQ(c.stages(i).count(), expected[static_cast<size_t>(m)][static_cast<size_t>(i)])
          << c.month() << " stage " << i + 1;
    }
    EXPECT_EQ(c.stage_1(), expected[static_cast<size_t>(m)][0]);
    EXPECT_EQ(c.stage_2(), expected[static_cast<size_t>(m)][1]);
    EXPECT_EQ(c.stage_3(), expected[static_cast<size_t>(m)][2]);
    EXPECT_EQ(c.stage_4(), expected[static_cast<size_t>(m)][3]);
    EXPECT_EQ(c.cafcass_referral(), 0);
  }
  EXPECT_EQ(s.months(0).stage_1_from_audits(), 1);
  EXPECT_EQ(s.months(1).stage_1_from_audits(), 0);
}
#pragma GCC diagnostic pop

TEST(StageSummaryTest, ReferralsCountForTheReferralStage) {
  std::vector<v1::Escalation> cases = {
      Case("372", 3, UkTime(2019, 3, 4),
           {{v1::TRANSITION_KIND_REFERRED_TO_CAFCASS, 5, UkTime(2019, 3, 11)}})};
  v1::GetEscalationSummaryResponse s =
      SummariseStages(cases, Month(2019, 3), Month(2019, 3), Ladder::Default(), {}, UkTimeZone());
  ASSERT_EQ(s.months_size(), 1);
  ASSERT_EQ(s.months(0).stages_size(), 5);
  EXPECT_EQ(s.months(0).stages(2).count(), 1);
  EXPECT_EQ(s.months(0).stages(4).stage(), 5);
  EXPECT_EQ(s.months(0).stages(4).count(), 1);
  EXPECT_EQ(s.months(0).cafcass_referral(), 1);
  // Only the referral stage says it is one, so readers need not guess.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.months(0).stages(i).referral(), i == 4) << i + 1;
}

TEST(StageSummaryTest, MonthsAreUkMonths) {
  // 23:30 UTC on 31 May 2019 is 00:30 BST on 1 June.
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(2019, 5, 31, 23, 30, 0), absl::UTCTimeZone());
  v1::GetEscalationSummaryResponse s = SummariseStages(
      {Case("372", 1, t)}, Month(2019, 5), Month(2019, 6), Ladder::Default(), {}, UkTimeZone());
  EXPECT_EQ(s.months(0).stages(0).count(), 0);
  EXPECT_EQ(s.months(1).stages(0).count(), 1);
}

// Hand-worked: four escalations raised Monday 4 March 2019, resolved after
// 2, 5, 10 and 25 working days. Type 7: median 7.5, p90 = 10 + 0.7 * 15 =
// 20.5; three of four within 20 working days.
TEST(StageSummaryTest, TimeToResolve) {
  const WorkingCalendar cal;
  std::vector<v1::Escalation> cases;
  for (int days : {2, 5, 10, 25}) {
    const absl::CivilDay done = cal.AddWorkingDays(absl::CivilDay(2019, 3, 4), days);
    cases.push_back(Case("372", 1, UkTime(2019, 3, 4),
                         {{v1::TRANSITION_KIND_RESOLVED, 1,
                           UkTime(static_cast<int>(done.year()), done.month(), done.day(), 15)}},
                         {"permanence_drift"}));
  }
  cases.push_back(Case("372", 2, UkTime(2019, 3, 4), {}, {"contact", "health_needs"}));
  cases.push_back(Case("372", 2, UkTime(2019, 2, 4), {}, {"legal_plan_delay"}));  // Not raised
                                                                                  // in range.
  v1::GetEscalationSummaryResponse s =
      SummariseStages(cases, Month(2019, 3), Month(2019, 4), Ladder::Default(), {}, UkTimeZone());
  EXPECT_EQ(s.resolved(), 4);
  EXPECT_DOUBLE_EQ(s.median_working_days_to_resolve(), 7.5);
  EXPECT_DOUBLE_EQ(s.p90_working_days_to_resolve(), 20.5);
  EXPECT_DOUBLE_EQ(s.resolved_within_target_pct(), 75.0);
  EXPECT_EQ(s.target_working_days(), 20);
  // Most frequent first; ties alphabetical.
  ASSERT_EQ(s.themes_size(), 3);
  EXPECT_EQ(s.themes(0).theme(), "permanence_drift");
  EXPECT_EQ(s.themes(0).count(), 4);
  EXPECT_EQ(s.themes(1).theme(), "contact");
  EXPECT_EQ(s.themes(2).theme(), "health_needs");
  EXPECT_EQ(s.themes(2).count(), 1);
}

TEST(StageSummaryTest, TimeToResolveUsesTheLasOwnCalendar) {
  // Raised Monday 4 March, resolved Friday 8th: 4 working days, or 3 where
  // the LA was closed on Wednesday 6th.
  std::vector<v1::Escalation> cases = {
      Case("372", 1, UkTime(2019, 3, 4), {{v1::TRANSITION_KIND_RESOLVED, 1, UkTime(2019, 3, 8)}}),
      Case("373", 1, UkTime(2019, 3, 4), {{v1::TRANSITION_KIND_RESOLVED, 1, UkTime(2019, 3, 8)}})};
  CalendarsByLa calendars;
  calendars.emplace("372", WorkingCalendar({absl::CivilDay(2019, 3, 6)}));
  v1::GetEscalationSummaryResponse s = SummariseStages(cases, Month(2019, 3), Month(2019, 3),
                                                       Ladder::Default(), calendars, UkTimeZone());
  EXPECT_EQ(s.resolved(), 2);
  EXPECT_DOUBLE_EQ(s.median_working_days_to_resolve(), 3.5);
}

TEST(StageSummaryTest, NothingResolvedLeavesTheFiguresUnset) {
  v1::GetEscalationSummaryResponse s =
      SummariseStages({}, Month(2019, 3), Month(2019, 3), Ladder::Default(), {}, UkTimeZone());
  ASSERT_EQ(s.months_size(), 1);
  EXPECT_EQ(s.resolved(), 0);
  EXPECT_EQ(s.median_working_days_to_resolve(), 0.0);
  EXPECT_EQ(s.themes_size(), 0);
}

v1::Audit Graded(const std::string& review_date, v1::AuditGrade grade) {
  v1::Audit a;
  a.set_review_date(review_date);
  a.set_grade(grade);
  return a;
}

TEST(AuditSummaryTest, GradesByMonth) {
  const std::vector<v1::Audit> audits = {
      Graded("2017-04-10", v1::AUDIT_GRADE_GOOD),
      Graded("2017-04-20", v1::AUDIT_GRADE_GOOD),
      Graded("2017-04-30", v1::AUDIT_GRADE_INADEQUATE),
      Graded("2017-06-01", v1::AUDIT_GRADE_OUTSTANDING),
      Graded("2017-06-02", v1::AUDIT_GRADE_REQUIRES_IMPROVEMENT),
      Graded("2017-06-03", v1::AUDIT_GRADE_NOT_RECORDED),
      Graded("2017-06-04", v1::AUDIT_GRADE_UNSPECIFIED),  // Counts as not recorded.
      Graded("2017-07-01", v1::AUDIT_GRADE_GOOD),         // Outside the months.
  };
  v1::GetAuditSummaryResponse s = SummariseAudits(audits, Month(2017, 4), Month(2017, 6));
  ASSERT_EQ(s.months_size(), 3);
  EXPECT_EQ(s.months(0).month(), "2017-04");
  EXPECT_EQ(s.months(0).good(), 2);
  EXPECT_EQ(s.months(0).inadequate(), 1);
  EXPECT_EQ(s.months(0).total(), 3);
  EXPECT_EQ(s.months(1).month(), "2017-05");
  EXPECT_EQ(s.months(1).total(), 0);
  EXPECT_EQ(s.months(2).outstanding(), 1);
  EXPECT_EQ(s.months(2).requires_improvement(), 1);
  EXPECT_EQ(s.months(2).grade_not_recorded(), 2);
  EXPECT_EQ(s.months(2).total(), 4);
}

TEST(AuditSummaryTest, MonthDays) {
  EXPECT_EQ(FirstDayOf(Month(2018, 2)), absl::CivilDay(2018, 2, 1));
  EXPECT_EQ(LastDayOf(Month(2018, 2)), absl::CivilDay(2018, 2, 28));
  EXPECT_EQ(LastDayOf(Month(2020, 2)), absl::CivilDay(2020, 2, 29));
  EXPECT_EQ(LastDayOf(Month(2018, 12)), absl::CivilDay(2018, 12, 31));
}

}  // namespace
}  // namespace carescore::escalations
