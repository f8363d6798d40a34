#include "services/escalations/case_history.h"

#include "common/proto_time.h"
#include "gtest/gtest.h"
#include "services/escalations/due_dates.h"

namespace carescore::escalations {
namespace {

absl::Time UkTime(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), UkTimeZone());
}

void Add(v1::Escalation& e, v1::TransitionKind kind, int to_stage, absl::Time at) {
  v1::Transition* t = e.add_transitions();
  t->set_kind(kind);
  t->set_from_stage(e.stage());
  t->set_to_stage(to_stage);
  *t->mutable_at() = TimeToProto(at);
  e.set_stage(to_stage);
}

// Raised at stage 1 on Monday 4 March 2019, responded Tuesday 5th,
// escalated to stage 2 Wednesday 6th, resolved Friday 15th.
v1::Escalation History() {
  v1::Escalation e;
  e.set_id("ESC-000001");
  e.set_la_code("372");
  e.set_resolve_by("2019-04-01");  // 20 working days after 4 March.
  Add(e, v1::TRANSITION_KIND_RAISED, 1, UkTime(2019, 3, 4));
  Add(e, v1::TRANSITION_KIND_RESPONDED, 1, UkTime(2019, 3, 5));
  Add(e, v1::TRANSITION_KIND_ESCALATED, 2, UkTime(2019, 3, 6));
  Add(e, v1::TRANSITION_KIND_RESOLVED, 2, UkTime(2019, 3, 15));
  e.set_status(v1::ESCALATION_STATUS_RESOLVED);
  return e;
}

TEST(CaseHistoryTest, StateAtEachMoment) {
  const v1::Escalation e = History();
  CaseState before = StateAt(e, UkTime(2019, 3, 4, 9));
  EXPECT_EQ(before.status, v1::ESCALATION_STATUS_UNSPECIFIED);
  EXPECT_EQ(before.stage, 0);

  CaseState raised = StateAt(e, UkTime(2019, 3, 4, 10));  // At the very moment: included.
  EXPECT_EQ(raised.status, v1::ESCALATION_STATUS_OPEN);
  EXPECT_EQ(raised.stage, 1);
  EXPECT_EQ(raised.stage_began, UkTime(2019, 3, 4));

  CaseState responded = StateAt(e, UkTime(2019, 3, 5, 18));
  EXPECT_EQ(responded.status, v1::ESCALATION_STATUS_RESPONDED);
  EXPECT_EQ(responded.stage, 1);

  CaseState escalated = StateAt(e, UkTime(2019, 3, 12));
  EXPECT_EQ(escalated.status, v1::ESCALATION_STATUS_OPEN);
  EXPECT_EQ(escalated.stage, 2);
  EXPECT_EQ(escalated.stage_began, UkTime(2019, 3, 6));

  CaseState resolved = StateAt(e, UkTime(2019, 6, 1));
  EXPECT_EQ(resolved.status, v1::ESCALATION_STATUS_RESOLVED);
  EXPECT_TRUE(IsClosed(resolved.status));
  EXPECT_FALSE(IsClosed(escalated.status));
  EXPECT_TRUE(IsClosed(v1::ESCALATION_STATUS_WITHDRAWN));
  EXPECT_TRUE(IsClosed(v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS));
  EXPECT_FALSE(IsClosed(v1::ESCALATION_STATUS_RESPONDED));
}

TEST(CaseHistoryTest, OverdueAtAStageDeadline) {
  const v1::Escalation e = History();
  const Ladder ladder = Ladder::Default();
  const WorkingCalendar cal;
  // Stage 2 began Wednesday 6 March with 5 working days: due Wednesday 13th.
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 3, 13, 17), ladder, cal, UkTimeZone()).has_value());
  std::optional<v1::OverdueEscalation> late =
      OverdueAt(e, UkTime(2019, 3, 14), ladder, cal, UkTimeZone());
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->reason(), "stage 2 response was due by the end of 2019-03-13");
  EXPECT_EQ(late->working_days_overdue(), 1);
  EXPECT_EQ(late->escalation().id(), "ESC-000001");
  // Responded at stage 1 on the day it was due (Tuesday 5th): not overdue.
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 3, 5, 18), ladder, cal, UkTimeZone()).has_value());
  // Resolved: never overdue again, nor before it was raised.
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 6, 1), ladder, cal, UkTimeZone()).has_value());
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 3, 1), ladder, cal, UkTimeZone()).has_value());
}

TEST(CaseHistoryTest, OverduePastTheWholeProcessTarget) {
  v1::Escalation e;
  e.set_resolve_by("2019-04-01");
  Add(e, v1::TRANSITION_KIND_RAISED, 1, UkTime(2019, 3, 4));
  Add(e, v1::TRANSITION_KIND_RESPONDED, 1, UkTime(2019, 3, 5));
  const Ladder ladder = Ladder::Default();
  const WorkingCalendar cal;
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 4, 1, 17), ladder, cal, UkTimeZone()).has_value());
  // Thursday 4 April: 2, 3 and 4 April past Monday 1st.
  std::optional<v1::OverdueEscalation> late =
      OverdueAt(e, UkTime(2019, 4, 4), ladder, cal, UkTimeZone());
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->reason(), "not resolved within 20 working days (by 2019-04-01)");
  EXPECT_EQ(late->working_days_overdue(), 3);
}

TEST(CaseHistoryTest, AStageWithoutAResponseTimeHasNoStageDeadline) {
  v1::Escalation e;
  e.set_resolve_by("2019-04-01");
  Add(e, v1::TRANSITION_KIND_RAISED, 9, UkTime(2019, 3, 4));  // Not on the ladder.
  EXPECT_FALSE(OverdueAt(e, UkTime(2019, 3, 20), Ladder::Default(), WorkingCalendar(), UkTimeZone())
                   .has_value());
}

}  // namespace
}  // namespace carescore::escalations
