#include "services/escalations/escalation_service.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/testing/page_through.h"
#include "gtest/gtest.h"
#include "services/escalations/testing/escalation_fixture.h"

namespace carescore::escalations {
namespace {

using testing::At;
using testing::FailingEscalationStore;
using Op = FailingEscalationStore::Op;

class EscalationServiceTest : public testing::EscalationServiceFixture {};

TEST_F(EscalationServiceTest, DueDatesInWorkingDays) {
  v1::Escalation s1 = RaiseOk(1, At(2018, 12, 21));
  EXPECT_EQ(s1.due_date(), "2018-12-24");
  EXPECT_EQ(s1.id(), "ESC-000001");
  EXPECT_EQ(s1.status(), v1::ESCALATION_STATUS_OPEN);
  v1::Escalation s2 = RaiseOk(2, At(2018, 12, 21));
  EXPECT_EQ(s2.due_date(), "2019-01-02");
  // 20 working days for the whole process.
  EXPECT_EQ(s1.resolve_by(), "2019-01-23");
  // Late evening UTC is still the same UK day in winter; in summer 23:30 UTC
  // is already the next UK day.
  v1::Escalation summer = RaiseOk(1, At(2019, 5, 31, 0));  // 00:00 BST = 23:00 UTC 30 May
  EXPECT_EQ(summer.due_date(), "2019-06-03");
}

TEST_F(EscalationServiceTest, BadInputIsRefusedAndNothingStored) {
  struct Case {
    std::function<void(v1::RaiseEscalationRequest&)> change;
    const char* expected;
  };
  for (const Case& c : std::vector<Case>{
           {[](auto& r) { r.set_la_code("999"); }, "unknown LA"},
           {[](auto& r) { r.set_child_ref(""); }, "child_ref is required"},
           {[](auto& r) { r.set_child_ref("9434765919"); }, "pseudonymous"},
           {[](auto& r) { r.set_child_ref("Jane Smith"); }, "pseudonymous"},
           {[](auto& r) { r.clear_themes(); }, "theme"},
           {[](auto& r) { r.add_themes("vibes"); }, "unknown theme \"vibes\""},
           {[](auto& r) { r.set_stage(5); }, "stage 5 is out of range"},
           {[](auto& r) { r.set_stage(-1); }, "out of range"},
           {[](auto& r) { r.set_team(""); }, "team is required"},
           {[this](auto& r) {
              r.mutable_raised_at()->set_seconds(absl::ToUnixSeconds(now_ + absl::Hours(1)));
            },
            "in the future"},
       }) {
    v1::RaiseEscalationRequest r = Raise(1, At(2019, 5, 1));
    c.change(r);
    auto raised = service_->RaiseEscalation(r);
    ASSERT_FALSE(raised.ok()) << c.expected;
    EXPECT_EQ(raised.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(raised.status().message().find(c.expected), absl::string_view::npos)
        << raised.status();
  }
  EXPECT_EQ(Stored(), 0);
}

TEST_F(EscalationServiceTest, LadderTransitionsAndIllegalOnes) {
  v1::Escalation e = RaiseOk(1, At(2019, 3, 4));
  v1::RespondToEscalationRequest respond;
  respond.set_id(e.id());
  *respond.mutable_at() = At(2019, 3, 5);
  ASSERT_TRUE(service_->RespondToEscalation(respond).ok());
  EXPECT_EQ(service_->RespondToEscalation(respond).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::EscalateEscalationRequest escalate;
  escalate.set_id(e.id());
  *escalate.mutable_at() = At(2019, 3, 6);
  auto up = service_->EscalateEscalation(escalate);
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->escalation().stage(), 2);
  EXPECT_EQ(up->escalation().due_date(), "2019-03-13");

  escalate.set_to_stage(4);  // skip stage 3 without a reason
  *escalate.mutable_at() = At(2019, 3, 7);
  EXPECT_EQ(service_->EscalateEscalation(escalate).status().code(),
            absl::StatusCode::kFailedPrecondition);
  escalate.set_note("head of service unavailable; director asked to take it");
  auto skipped = service_->EscalateEscalation(escalate);
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_EQ(skipped->escalation().stage(), 4);
  escalate.clear_to_stage();
  EXPECT_EQ(service_->EscalateEscalation(escalate).status().code(),
            absl::StatusCode::kFailedPrecondition);  // 4 is the last stage

  v1::ResolveEscalationRequest resolve;
  resolve.set_id(e.id());
  *resolve.mutable_at() = At(2019, 3, 8);
  EXPECT_EQ(service_->ResolveEscalation(resolve).status().code(),
            absl::StatusCode::kInvalidArgument);  // no outcome
  resolve.set_outcome("permanence plan agreed at panel");
  auto resolved = service_->ResolveEscalation(resolve);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->escalation().status(), v1::ESCALATION_STATUS_RESOLVED);
  EXPECT_EQ(resolved->escalation().transitions_size(), 5);
  EXPECT_EQ(service_->ResolveEscalation(resolve).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::WithdrawEscalationRequest withdraw;
  withdraw.set_id(e.id());
  EXPECT_EQ(service_->WithdrawEscalation(withdraw).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::Escalation other = RaiseOk(3, At(2019, 3, 4));
  v1::ReferToCafcassRequest refer;
  refer.set_id(other.id());
  *refer.mutable_at() = At(2019, 3, 11);
  auto referred = service_->ReferToCafcass(refer);
  ASSERT_TRUE(referred.ok());
  EXPECT_EQ(referred->escalation().stage(), 5);
  EXPECT_EQ(referred->escalation().status(), v1::ESCALATION_STATUS_REFERRED_TO_CAFCASS);

  v1::GetEscalationRequest get;
  get.set_id("ESC-999999");
  EXPECT_EQ(service_->GetEscalation(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(EscalationServiceTest, InadequateAuditOpensExactlyOneLinkedStage1) {
  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-2002");
  audit.set_review_date("2019-05-10");
  audit.set_grade(v1::AUDIT_GRADE_GOOD);
  audit.set_iro_id("iro-3");
  audit.set_team("LAC 1");
  auto good = service_->RecordAudit(audit);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_FALSE(good->has_escalation());
  audit.set_grade(v1::AUDIT_GRADE_INADEQUATE);
  auto bad = service_->RecordAudit(audit);
  ASSERT_TRUE(bad.ok()) << bad.status();
  ASSERT_TRUE(bad->has_escalation());
  EXPECT_EQ(bad->escalation().stage(), 1);
  EXPECT_EQ(bad->escalation().audit_id(), bad->audit().id());
  EXPECT_EQ(bad->audit().escalation_id(), bad->escalation().id());
  EXPECT_EQ(bad->escalation().due_date(), "2019-05-13");
  EXPECT_EQ(Stored(), 1);
  audit.set_review_date("2019-06-02");
  EXPECT_EQ(service_->RecordAudit(audit).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Stored(), 1);
}

// The year test checks the deprecated stage_1..stage_4 fields, which must
// keep their figures until every client reads `stages`.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

// A year loaded so that its monthly counts equal the IRO annual report's:
// the inadequate audits open the stage 1 escalations (from May 2017 on the
// report's stage 1 counts equal its inadequate grades), other stage 1s and
// higher stages are raised directly.
TEST_F(EscalationServiceTest, YearSummaryEqualsTheIroReport) {
  const std::string dir = CARESCORE_IRO_DIR;
  auto stages = CsvTable::ReadFile(dir + "/escalation_stage_counts.csv");
  auto grades = CsvTable::ReadFile(dir + "/quality_audit_grades.csv");
  ASSERT_TRUE(stages.ok() && grades.ok());
  auto count = [](const CsvTable& t, const CsvRow& row, const char* col) {
    return std::stoi(std::string(t.Field(row, col)));
  };
  std::map<std::string, int> inadequate;
  int child = 0;
  for (const CsvRow& row : grades->rows()) {
    const std::string month(grades->Field(row, "month"));
    inadequate[month] = count(*grades, row, "inadequate");
    for (const auto& [col, grade] :
         {std::pair{"good", v1::AUDIT_GRADE_GOOD},
          std::pair{"requires_improvement", v1::AUDIT_GRADE_REQUIRES_IMPROVEMENT},
          std::pair{"inadequate", v1::AUDIT_GRADE_INADEQUATE},
          std::pair{"grade_not_recorded", v1::AUDIT_GRADE_NOT_RECORDED}}) {
      for (int i = 0; i < count(*grades, row, col); ++i) {
        v1::RecordAuditRequest a;
        a.set_la_code("372");
        a.set_child_ref("C-" + std::to_string(++child));
        a.set_review_date(month + "-" + (i % 2 == 0 ? "10" : "20"));
        a.set_grade(grade);
        a.set_iro_id("iro-1");
        a.set_team("LAC");
        ASSERT_TRUE(service_->RecordAudit(a).ok());
      }
    }
  }
  for (const CsvRow& row : stages->rows()) {
    const std::string month(stages->Field(row, "month"));
    const int y = std::stoi(month.substr(0, 4));
    const int m = std::stoi(month.substr(5, 2));
    const int direct_stage_1 = count(*stages, row, "stage_1") - inadequate[month];
    ASSERT_GE(direct_stage_1, 0) << month;
    for (const auto& [stage, n] :
         {std::pair{1, direct_stage_1}, std::pair{2, count(*stages, row, "stage_2")},
          std::pair{3, count(*stages, row, "stage_3")},
          std::pair{4, count(*stages, row, "stage_4")}}) {
      for (int i = 0; i < n; ++i) RaiseOk(stage, At(y, m, 15));
    }
  }
  v1::GetEscalationSummaryRequest summary;
  summary.set_la_code("372");
  summary.set_from_month("2017-04");
  summary.set_to_month("2018-03");
  auto got = service_->GetEscalationSummary(summary);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->months_size(), 12);
  int totals[5] = {0, 0, 0, 0, 0};
  for (size_t i = 0; i < stages->rows().size(); ++i) {
    const CsvRow& row = stages->rows()[i];
    const v1::MonthStageCounts& c = got->months(static_cast<int>(i));
    EXPECT_EQ(c.month(), stages->Field(row, "month"));
    EXPECT_EQ(c.stage_1(), count(*stages, row, "stage_1")) << c.month();
    EXPECT_EQ(c.stage_2(), count(*stages, row, "stage_2")) << c.month();
    EXPECT_EQ(c.stage_3(), count(*stages, row, "stage_3")) << c.month();
    EXPECT_EQ(c.stage_4(), count(*stages, row, "stage_4")) << c.month();
    EXPECT_EQ(c.cafcass_referral(), count(*stages, row, "cafcass_referral")) << c.month();
    // The repeated counts say the same for every stage of the default ladder.
    ASSERT_EQ(c.stages_size(), 5) << c.month();
    for (int stage = 1; stage <= 4; ++stage) {
      EXPECT_EQ(c.stages(stage - 1).stage(), stage);
      EXPECT_EQ(c.stages(stage - 1).count(),
                count(*stages, row, ("stage_" + std::to_string(stage)).c_str()))
          << c.month();
    }
    EXPECT_EQ(c.stages(4).stage(), 5);
    EXPECT_EQ(c.stages(4).count(), c.cafcass_referral()) << c.month();
    totals[0] += c.stage_1();
    totals[1] += c.stage_2();
    totals[2] += c.stage_3();
    totals[3] += c.stage_4();
    totals[4] += c.cafcass_referral();
  }
  EXPECT_EQ(totals[0], 277);
  EXPECT_EQ(totals[1], 20);
  EXPECT_EQ(totals[2], 19);
  EXPECT_EQ(totals[3], 6);
  EXPECT_EQ(totals[4], 0);

  v1::GetAuditSummaryRequest audits;
  audits.set_la_code("372");
  audits.set_from_month("2017-04");
  audits.set_to_month("2018-03");
  auto grade_summary = service_->GetAuditSummary(audits);
  ASSERT_TRUE(grade_summary.ok());
  int total = 0;
  for (size_t i = 0; i < grades->rows().size(); ++i) {
    const CsvRow& row = grades->rows()[i];
    const v1::MonthGradeCounts& c = grade_summary->months(static_cast<int>(i));
    EXPECT_EQ(c.good(), count(*grades, row, "good"));
    EXPECT_EQ(c.requires_improvement(), count(*grades, row, "requires_improvement"));
    EXPECT_EQ(c.inadequate(), count(*grades, row, "inadequate"));
    EXPECT_EQ(c.grade_not_recorded(), count(*grades, row, "grade_not_recorded"));
    EXPECT_EQ(c.total(), count(*grades, row, "total"));
    total += c.total();
  }
  EXPECT_EQ(total, 1411);
}
#pragma GCC diagnostic pop

// Hand-worked: four escalations raised Monday 4 March 2019, resolved after
// 2, 5, 10 and 25 working days. Type 7: median 7.5, p90 = 10 + 0.7 * 15 = 20.5.
TEST_F(EscalationServiceTest, ResolutionPercentilesAndOverdue) {
  WorkingCalendar cal;
  for (int days : {2, 5, 10, 25}) {
    v1::Escalation e = RaiseOk(1, At(2019, 3, 4));
    const absl::CivilDay done = cal.AddWorkingDays(absl::CivilDay(2019, 3, 4), days);
    v1::ResolveEscalationRequest r;
    r.set_id(e.id());
    r.set_outcome("agreed");
    *r.mutable_at() = At(static_cast<int>(done.year()), done.month(), done.day(), 15);
    ASSERT_TRUE(service_->ResolveEscalation(r).ok());
  }
  v1::Escalation open = RaiseOk(2, At(2019, 3, 4));  // stage 2: due Monday 11 March
  v1::GetEscalationSummaryRequest s;
  s.set_la_code("372");
  s.set_from_month("2019-03");
  s.set_to_month("2019-04");
  auto summary = service_->GetEscalationSummary(s);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->resolved(), 4);
  EXPECT_DOUBLE_EQ(summary->median_working_days_to_resolve(), 7.5);
  EXPECT_DOUBLE_EQ(summary->p90_working_days_to_resolve(), 20.5);
  EXPECT_DOUBLE_EQ(summary->resolved_within_target_pct(), 75.0);
  ASSERT_EQ(summary->themes_size(), 1);
  EXPECT_EQ(summary->themes(0).count(), 5);

  v1::ListOverdueEscalationsRequest overdue;
  overdue.set_la_code("372");
  // On 11 March the stage 2 case is due that day, not yet overdue; the
  // cases resolved after 10 and 25 working days were still open at stage 1,
  // due 5 March (those resolved on 6 and 11 March were closed by 18:00).
  *overdue.mutable_as_of() = At(2019, 3, 11, 18);
  auto first = service_->ListOverdueEscalations(overdue);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->overdue_size(), 2);
  for (const auto& o : first->overdue()) {
    EXPECT_NE(o.reason().find("stage 1 response was due by the end of 2019-03-05"),
              std::string::npos);
    EXPECT_EQ(o.working_days_overdue(), 4);
  }
  *overdue.mutable_as_of() = At(2019, 3, 13);
  auto some = service_->ListOverdueEscalations(overdue);
  ASSERT_EQ(some->overdue_size(), 3);
  bool found = false;
  for (const auto& o : some->overdue()) {
    if (o.escalation().id() == open.id()) {
      found = true;
      EXPECT_EQ(o.working_days_overdue(), 2);
      EXPECT_NE(o.reason().find("2019-03-11"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
  // Before anything was raised there is nothing overdue.
  *overdue.mutable_as_of() = At(2019, 3, 1);
  EXPECT_EQ(service_->ListOverdueEscalations(overdue)->overdue_size(), 0);
}

TEST_F(EscalationServiceTest, WatchersSeeChangesAndAccessIsLogged) {
  uint64_t cursor = feed_.Next();
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  auto change = feed_.Wait(&cursor, absl::Milliseconds(10));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->escalation().id(), e.id());
  EXPECT_EQ(change->change(), v1::TRANSITION_KIND_RAISED);
  EXPECT_FALSE(feed_.Wait(&cursor, absl::Milliseconds(10)).has_value());
  v1::GetEscalationRequest get;
  get.set_id(e.id());
  get.set_actor("analyst-4");
  ASSERT_TRUE(service_->GetEscalation(get).ok());
  auto log = store_->AccessLog(10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_NE((*log)[0].find("iro-7 raise ESC-000001"), std::string::npos) << (*log)[0];
  EXPECT_NE((*log)[1].find("analyst-4 read ESC-000001"), std::string::npos) << (*log)[1];
}

TEST_F(EscalationServiceTest, LostUpdatesAreRefused) {
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  v1::Escalation stale = e;
  stale.set_status(v1::ESCALATION_STATUS_WITHDRAWN);
  EXPECT_TRUE(store_->Update(stale, 1).ok());
  EXPECT_EQ(store_->Update(stale, 0).code(), absl::StatusCode::kAborted);
}

// A ladder of six stages (five with response times, then the referral):
// every stage has its count in every month, stages 5 and 6 included.
TEST_F(EscalationServiceTest, SixStageLadderCountsEveryStage) {
  absl::StatusOr<CsvTable> table = CsvTable::Parse(
      "stage,raised_by,raised_to,response_working_days\n"
      "1,IRO,Team Manager,1\n"
      "2,IRO Manager,Service Manager,5\n"
      "3,Head of Safeguarding,Head of Service,4\n"
      "4,Head of Safeguarding,Deputy Director,5\n"
      "5,Head of Safeguarding,Director,5\n"
      "6,IRO,CAFCASS (referral),\n",
      "six_stages.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<Ladder> ladder = Ladder::FromCsv(*table);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  UseLadder(*ladder);

  RaiseOk(5, At(2019, 3, 4));  // Stage 5 is raisable: the ladder's last before referral.
  v1::Escalation up = RaiseOk(4, At(2019, 3, 4));
  v1::EscalateEscalationRequest escalate;
  escalate.set_id(up.id());
  *escalate.mutable_at() = At(2019, 3, 6);
  auto five = service_->EscalateEscalation(escalate);
  ASSERT_TRUE(five.ok()) << five.status();
  EXPECT_EQ(five->escalation().stage(), 5);
  EXPECT_EQ(five->escalation().due_date(), "2019-03-13");  // 5 working days after Wed 6th.
  v1::ReferToCafcassRequest refer;
  refer.set_id(up.id());
  *refer.mutable_at() = At(2019, 4, 1);
  auto referred = service_->ReferToCafcass(refer);
  ASSERT_TRUE(referred.ok()) << referred.status();
  EXPECT_EQ(referred->escalation().stage(), 6);

  v1::GetEscalationSummaryRequest s;
  s.set_la_code("372");
  s.set_from_month("2019-03");
  s.set_to_month("2019-04");
  auto summary = service_->GetEscalationSummary(s);
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->months_size(), 2);
  const v1::MonthStageCounts& march = summary->months(0);
  ASSERT_EQ(march.stages_size(), 6);
  const std::vector<int> march_counts = {0, 0, 0, 1, 2, 0};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(march.stages(i).stage(), i + 1);
    EXPECT_EQ(march.stages(i).count(), march_counts[static_cast<size_t>(i)]) << i + 1;
  }
  const v1::MonthStageCounts& april = summary->months(1);
  ASSERT_EQ(april.stages_size(), 6);
  EXPECT_EQ(april.stages(4).count(), 0);
  EXPECT_EQ(april.stages(5).stage(), 6);
  EXPECT_EQ(april.stages(5).count(), 1);
  EXPECT_EQ(april.cafcass_referral(), 1);
}

// A store that fails mid-request: the error reaches the caller with its
// code, and nothing is stored, published or logged as if it had worked.
TEST_F(EscalationServiceTest, StoreFailureOnRaiseIsPassedThroughAndNothingWritten) {
  uint64_t cursor = feed_.Next();
  failing_store_->FailNext(Op::kInsert, absl::UnavailableError("database is locked"));
  auto raised = service_->RaiseEscalation(Raise(1, At(2019, 5, 1)));
  ASSERT_FALSE(raised.ok());
  EXPECT_EQ(raised.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(raised.status().message(), "database is locked");
  EXPECT_TRUE(InStore().empty());
  EXPECT_FALSE(feed_.Wait(&cursor, absl::Milliseconds(10)).has_value());
  EXPECT_TRUE(AccessLog().empty());

  failing_store_->FailNext(Op::kClosures, absl::DataLossError("closures table unreadable"));
  raised = service_->RaiseEscalation(Raise(1, At(2019, 5, 1)));
  EXPECT_EQ(raised.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(InStore().empty());
  EXPECT_EQ(failing_store_->Calls(Op::kInsert), 1);  // Only the first attempt got that far.
}

TEST_F(EscalationServiceTest, StoreFailureOnTransitionLeavesTheCaseAsItWas) {
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  uint64_t cursor = feed_.Next();
  failing_store_->FailNext(Op::kUpdate, absl::AbortedError("changed meanwhile"));
  v1::RespondToEscalationRequest respond;
  respond.set_id(e.id());
  respond.set_actor("tm-2");
  *respond.mutable_at() = At(2019, 5, 2);
  auto responded = service_->RespondToEscalation(respond);
  ASSERT_FALSE(responded.ok());
  EXPECT_EQ(responded.status().code(), absl::StatusCode::kAborted);
  const std::vector<v1::Escalation> stored = InStore();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status(), v1::ESCALATION_STATUS_OPEN);
  EXPECT_EQ(stored[0].transitions_size(), 1);
  EXPECT_FALSE(feed_.Wait(&cursor, absl::Milliseconds(10)).has_value());
  const std::vector<std::string> log = AccessLog();
  ASSERT_EQ(log.size(), 1u);  // The raise only.
  EXPECT_NE(log[0].find("iro-7 raise"), std::string::npos) << log[0];
  // The store is back: the same request now works.
  EXPECT_TRUE(service_->RespondToEscalation(respond).ok());
}

TEST_F(EscalationServiceTest, StoreFailureOnAuditStoresNeitherAuditNorEscalation) {
  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-2002");
  audit.set_review_date("2019-05-10");
  audit.set_grade(v1::AUDIT_GRADE_INADEQUATE);
  audit.set_iro_id("iro-3");
  audit.set_team("LAC 1");
  uint64_t cursor = feed_.Next();
  failing_store_->FailNext(Op::kInsertAudit, absl::UnavailableError("disk full"));
  auto recorded = service_->RecordAudit(audit);
  EXPECT_EQ(recorded.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(InStore().empty());
  auto audits = store_->ListAudits("372", absl::CivilDay(2019, 1, 1), absl::CivilDay(2019, 12, 31));
  ASSERT_TRUE(audits.ok());
  EXPECT_TRUE(audits->empty());
  EXPECT_FALSE(feed_.Wait(&cursor, absl::Milliseconds(10)).has_value());
}

TEST_F(EscalationServiceTest, StoreFailureOnReadsIsPassedThroughUnlogged) {
  RaiseOk(1, At(2019, 3, 4));
  const size_t logged = AccessLog().size();
  v1::GetEscalationSummaryRequest summary;
  summary.set_from_month("2019-03");
  summary.set_to_month("2019-03");
  failing_store_->FailNext(Op::kList, absl::UnavailableError("gone"));
  EXPECT_EQ(service_->GetEscalationSummary(summary).status().code(),
            absl::StatusCode::kUnavailable);
  failing_store_->FailNext(Op::kClosures, absl::UnavailableError("gone"));
  EXPECT_EQ(service_->GetEscalationSummary(summary).status().code(),
            absl::StatusCode::kUnavailable);
  v1::ListOverdueEscalationsRequest overdue;
  failing_store_->FailNext(Op::kList, absl::InternalError("bad page"));
  EXPECT_EQ(service_->ListOverdueEscalations(overdue).status().code(), absl::StatusCode::kInternal);
  v1::GetAuditSummaryRequest audits;
  audits.set_from_month("2019-03");
  audits.set_to_month("2019-03");
  failing_store_->FailNext(Op::kListAudits, absl::UnavailableError("gone"));
  EXPECT_EQ(service_->GetAuditSummary(audits).status().code(), absl::StatusCode::kUnavailable);
  // Nothing was read, so no read is logged for the failed List calls; the
  // summary whose calendars failed had read the cases, and says so.
  const std::vector<std::string> log = AccessLog();
  ASSERT_EQ(log.size(), logged + 1);
  EXPECT_NE(log.back().find("anonymous summary all"), std::string::npos) << log.back();
}

TEST_F(EscalationServiceTest, ActingOnAClosedCaseNamesItsStatus) {
  v1::Escalation e = RaiseOk(3, At(2019, 3, 4));
  v1::ReferToCafcassRequest refer;
  refer.set_id(e.id());
  *refer.mutable_at() = At(2019, 3, 5);
  ASSERT_TRUE(service_->ReferToCafcass(refer).ok());
  v1::WithdrawEscalationRequest withdraw;
  withdraw.set_id(e.id());
  auto withdrawn = service_->WithdrawEscalation(withdraw);
  EXPECT_EQ(withdrawn.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(withdrawn.status().message(), "escalation ESC-000001 is closed (referred)");
}

TEST_F(EscalationServiceTest, MissingGradeListsTheGrades) {
  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-2002");
  audit.set_review_date("2019-05-10");
  audit.set_iro_id("iro-3");
  audit.set_team("LAC 1");
  auto recorded = service_->RecordAudit(audit);
  EXPECT_EQ(recorded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(recorded.status().message(),
            "grade is required: outstanding, good, requires_improvement, inadequate or "
            "not_recorded");
}

// A read of children's records whose access log entry cannot be written (a
// full disk) is refused, not served with the entry lost.
TEST_F(EscalationServiceTest, ChildLevelReadsFailClosedWhenTheAccessLogCannotBeWritten) {
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  const size_t logged = AccessLog().size();
  const absl::Status full = absl::UnavailableError("database or disk is full");
  v1::GetEscalationRequest get;
  get.set_id(e.id());
  failing_store_->FailNext(Op::kLogAccess, full);
  auto got = service_->GetEscalation(get);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("access log"), absl::string_view::npos) << got.status();

  failing_store_->FailNext(Op::kLogAccess, full);
  EXPECT_EQ(service_->ListEscalations(v1::ListEscalationsRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  failing_store_->FailNext(Op::kLogAccess, full);
  EXPECT_EQ(service_->ListOverdueEscalations(v1::ListOverdueEscalationsRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  failing_store_->FailNext(Op::kLogAccess, full);
  EXPECT_EQ(service_->StartWatch(v1::WatchEscalationsRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  v1::GetAuditSummaryRequest audits;
  audits.set_from_month("2019-05");
  audits.set_to_month("2019-05");
  failing_store_->FailNext(Op::kLogAccess, full);
  EXPECT_EQ(service_->GetAuditSummary(audits).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(AccessLog().size(), logged);
  // The log works again: so do the reads, and each is logged.
  EXPECT_TRUE(service_->GetEscalation(get).ok());
  EXPECT_EQ(AccessLog().size(), logged + 1);
}

TEST_F(EscalationServiceTest, ImplausibleDatesAreRefusedNamingTheField) {
  google::protobuf::Timestamp y1900 = At(1900, 1, 1);
  google::protobuf::Timestamp far_past;
  far_past.set_seconds(-9223372036854);  // Year -290308: the lowest time in microseconds.
  for (const google::protobuf::Timestamp& when : {y1900, far_past, At(1999, 12, 31)}) {
    auto raised = service_->RaiseEscalation(Raise(1, when));
    ASSERT_FALSE(raised.ok());
    EXPECT_EQ(raised.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(raised.status().message().find("raised_at"), absl::string_view::npos)
        << raised.status();
  }
  EXPECT_TRUE(service_->RaiseEscalation(Raise(1, At(2000, 1, 4))).ok());
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  v1::RespondToEscalationRequest respond;
  respond.set_id(e.id());
  *respond.mutable_at() = far_past;
  auto responded = service_->RespondToEscalation(respond);
  EXPECT_EQ(responded.status().code(), absl::StatusCode::kInvalidArgument);

  v1::ListOverdueEscalationsRequest overdue;
  *overdue.mutable_as_of() = far_past;
  auto late = service_->ListOverdueEscalations(overdue);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(late.status().message().find("as_of"), absl::string_view::npos) << late.status();
  overdue.mutable_as_of()->set_seconds(absl::ToUnixSeconds(now_ + absl::Hours(24 * 400)));
  EXPECT_EQ(service_->ListOverdueEscalations(overdue).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-2002");
  audit.set_review_date("1900-05-10");
  audit.set_grade(v1::AUDIT_GRADE_GOOD);
  audit.set_iro_id("iro-3");
  audit.set_team("LAC 1");
  auto recorded = service_->RecordAudit(audit);
  EXPECT_EQ(recorded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(recorded.status().message().find("review_date"), absl::string_view::npos);

  v1::AddClosureDaysRequest closures;
  closures.add_dates("1900-01-02");
  auto closed = service_->AddClosureDays(closures);
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(closed.status().message().find("dates"), absl::string_view::npos);
  closures.set_dates(0, "2020-12-29");  // Next year's closures may be planned.
  EXPECT_TRUE(service_->AddClosureDays(closures).ok());
}

TEST_F(EscalationServiceTest, TheEarliestDateIsConfigurable) {
  EscalationPolicy policy;
  policy.earliest_date = absl::CivilDay(2019, 1, 1);
  service_ = std::make_unique<EscalationService>(*failing_store_, *reader_, Ladder::Default(),
                                                 feed_, policy, [this] { return now_; });
  EXPECT_EQ(service_->RaiseEscalation(Raise(1, At(2018, 12, 21))).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(service_->RaiseEscalation(Raise(1, At(2019, 1, 2))).ok());
}

TEST_F(EscalationServiceTest, ADuplicateInadequateAuditOpensNoSecondStage1) {
  v1::RecordAuditRequest audit;
  audit.set_la_code("372");
  audit.set_child_ref("C-2002");
  audit.set_review_date("2019-05-10");
  audit.set_grade(v1::AUDIT_GRADE_INADEQUATE);
  audit.set_iro_id("iro-3");
  audit.set_team("LAC 1");
  auto first = service_->RecordAudit(audit);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = service_->RecordAudit(audit);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find(first->audit().id()), absl::string_view::npos)
      << again.status();
  EXPECT_EQ(again.status().message().find("C-2002"), absl::string_view::npos);
  EXPECT_EQ(InStore().size(), 1u);
  // Another child, or another day, is another review.
  audit.set_child_ref("C-2003");
  EXPECT_TRUE(service_->RecordAudit(audit).ok());
  audit.set_review_date("2019-05-11");
  EXPECT_TRUE(service_->RecordAudit(audit).ok());
  EXPECT_EQ(InStore().size(), 3u);
}

TEST_F(EscalationServiceTest, OversizedInputsAreRefusedSayingTheLimit) {
  v1::RaiseEscalationRequest r = Raise(1, At(2019, 5, 1));
  r.set_note(std::string(30 * 1024 * 1024, 'x'));
  auto raised = service_->RaiseEscalation(r);
  EXPECT_EQ(raised.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(raised.status().message().find("note"), absl::string_view::npos);
  EXPECT_NE(raised.status().message().find(std::to_string(kMaxNoteChars)), absl::string_view::npos);

  r = Raise(1, At(2019, 5, 1));
  for (int i = 0; i < 1000; ++i) r.add_themes("permanence_drift");
  raised = service_->RaiseEscalation(r);
  EXPECT_EQ(raised.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(raised.status().message().find(std::to_string(kMaxThemesPerCase)),
            absl::string_view::npos)
      << raised.status();

  v1::AddClosureDaysRequest closures;
  for (int i = 0; i < kMaxClosureDatesPerRequest + 1; ++i) closures.add_dates("2019-05-01");
  auto closed = service_->AddClosureDays(closures);
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(closed.status().message().find(std::to_string(kMaxClosureDatesPerRequest)),
            absl::string_view::npos);

  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  v1::ResolveEscalationRequest resolve;
  resolve.set_id(e.id());
  resolve.set_outcome(std::string(kMaxNoteChars + 1, 'y'));
  auto resolved = service_->ResolveEscalation(resolve);
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(resolved.status().message().find("outcome"), absl::string_view::npos);
  EXPECT_EQ(InStore().size(), 1u);
}

TEST_F(EscalationServiceTest, IdentifiersInFreeTextAreRefusedAndNotEchoed) {
  struct Case {
    std::function<void(v1::RaiseEscalationRequest&)> change;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {[](auto& r) { r.set_note("NHS no 943 476 5919"); }, "note"},
           {[](auto& r) { r.set_note("ask jane.doe@example.org"); }, "note"},
           {[](auto& r) { r.set_team("943.476.5919"); }, "team"},
           {[](auto& r) { r.set_iro_id("iro.seven@council.gov.uk"); }, "iro_id"},
           {[](auto& r) { r.set_child_ref("JohnSmith"); }, "child_ref"},
           {[](auto& r) { r.set_child_ref("john.smith"); }, "child_ref"},
           {[](auto& r) { r.set_child_ref("Jane_Doe_2011-03-04"); }, "child_ref"},
           {[](auto& r) { r.set_child_ref("NHS9434765919"); }, "child_ref"},
           {[](auto& r) { r.set_child_ref("943.476.5919"); }, "child_ref"},
       }) {
    v1::RaiseEscalationRequest r = Raise(1, At(2019, 5, 1));
    c.change(r);
    auto raised = service_->RaiseEscalation(r);
    ASSERT_FALSE(raised.ok()) << c.field;
    EXPECT_EQ(raised.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(raised.status().message().find(c.field), absl::string_view::npos) << raised.status();
    for (const std::string* value : {&r.note(), &r.team(), &r.iro_id(), &r.child_ref()}) {
      if (value->empty()) continue;
      EXPECT_EQ(raised.status().message().find(*value), absl::string_view::npos)
          << "echoed " << *value;
    }
  }
  v1::Escalation e = RaiseOk(1, At(2019, 5, 1));
  v1::RespondToEscalationRequest respond;
  respond.set_id(e.id());
  respond.set_note("spoke to mum on jane@example.org");
  EXPECT_EQ(service_->RespondToEscalation(respond).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InStore().size(), 1u);
}

TEST_F(EscalationServiceTest, WatchStreamsAreCappedPerCallerAndInTotal) {
  EscalationPolicy policy;
  policy.max_watch_streams = 3;
  policy.max_watch_streams_per_actor = 2;
  service_ = std::make_unique<EscalationService>(*failing_store_, *reader_, Ladder::Default(),
                                                 feed_, policy, [this] { return now_; });
  v1::WatchEscalationsRequest watch;
  watch.set_actor("tm-2");
  std::vector<WatchStreams::Ticket> open;
  for (int i = 0; i < 2; ++i) {
    auto t = service_->StartWatch(watch);
    ASSERT_TRUE(t.ok()) << t.status();
    open.push_back(*std::move(t));
  }
  EXPECT_EQ(service_->StartWatch(watch).status().code(), absl::StatusCode::kResourceExhausted);
  watch.set_actor("sm-1");
  auto third = service_->StartWatch(watch);
  ASSERT_TRUE(third.ok());
  watch.set_actor("hos-1");
  EXPECT_EQ(service_->StartWatch(watch).status().code(), absl::StatusCode::kResourceExhausted);
  open.clear();
  EXPECT_TRUE(service_->StartWatch(watch).ok());
}

TEST_F(EscalationServiceTest, OverdueAndAllCasesPageInOrderWithBoundTokens) {
  using carescore::testing::ExpectTokensBoundToFilters;
  using carescore::testing::PageThrough;
  std::vector<std::string> raised;
  for (int day : {6, 4, 5, 4}) raised.push_back(RaiseOk(1, At(2019, 3, day)).id());
  v1::ListOverdueEscalationsRequest overdue;
  overdue.set_la_code("372");
  *overdue.mutable_as_of() = At(2019, 4, 1);
  auto list = [&](const v1::ListOverdueEscalationsRequest& r) {
    return service_->ListOverdueEscalations(r);
  };
  auto items = [](const v1::ListOverdueEscalationsResponse& r) -> const auto& {
    return r.overdue();
  };
  // Oldest first, ties by id: raised 4, 4, 5, 6 March.
  const std::vector<std::string> expected = {raised[1], raised[3], raised[2], raised[0]};
  for (int size : {1, 2}) {
    std::vector<std::string> ids;
    for (const auto& o : PageThrough(list, overdue, size, items)) {
      ids.push_back(o.escalation().id());
    }
    EXPECT_EQ(ids, expected) << "page_size " << size;
  }
  v1::ListOverdueEscalationsRequest earlier = overdue;
  *earlier.mutable_as_of() = At(2019, 3, 29);
  ExpectTokensBoundToFilters(list, overdue, earlier);

  auto all = [&](const v1::ListEscalationsRequest& r) { return service_->ListEscalations(r); };
  auto all_items = [](const v1::ListEscalationsResponse& r) -> const auto& {
    return r.escalations();
  };
  v1::ListEscalationsRequest rotherham;
  rotherham.set_la_code("372");
  std::vector<std::string> ids;
  for (const auto& e : PageThrough(all, rotherham, 1, all_items)) ids.push_back(e.id());
  EXPECT_EQ(ids, expected);
  v1::ListEscalationsRequest open = rotherham;
  open.set_status(v1::ESCALATION_STATUS_OPEN);
  ExpectTokensBoundToFilters(all, rotherham, open);
}

}  // namespace
}  // namespace carescore::escalations
