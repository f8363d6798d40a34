#include "services/escalations/escalation_summary.h"

#include <algorithm>
#include <utility>

#include "common/measure.h"
#include "common/proto_time.h"
#include "services/escalations/due_dates.h"

namespace carescore::escalations {
namespace {

std::string MonthOf(absl::CivilDay day) {
  return Month(static_cast<int>(day.year()), day.month()).ToString();
}

// The fixed stage_1..stage_4 fields are deprecated for readers but still
// written for clients that have not moved to `stages`.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void AddToFixedStageField(v1::MonthStageCounts& c, int stage) {
  switch (stage) {
    case 1:
      c.set_stage_1(c.stage_1() + 1);
      break;
    case 2:
      c.set_stage_2(c.stage_2() + 1);
      break;
    case 3:
      c.set_stage_3(c.stage_3() + 1);
      break;
    case 4:
      c.set_stage_4(c.stage_4() + 1);
      break;
    default:
      break;
  }
}
#pragma GCC diagnostic pop

struct MonthTally {
  v1::MonthStageCounts counts;
  std::map<int, int> by_stage;
};

}  // namespace

v1::GetEscalationSummaryResponse SummariseStages(const std::vector<v1::Escalation>& escalations,
                                                 Month from, Month to, const Ladder& ladder,
                                                 const CalendarsByLa& calendars,
                                                 absl::TimeZone uk) {
  std::map<std::string, MonthTally> months;
  for (Month m = from; m <= to; m = m.Plus(1)) months[m.ToString()].counts.set_month(m.ToString());
  std::map<std::string, int> themes;
  std::vector<double> days_to_resolve;
  int within_target = 0;
  const WorkingCalendar bank_holidays_only;
  for (const v1::Escalation& e : escalations) {
    for (const v1::Transition& t : e.transitions()) {
      auto m = months.find(MonthOf(UkDay(TimeFromProto(t.at()), uk)));
      if (m == months.end()) continue;
      MonthTally& tally = m->second;
      if (t.kind() == v1::TRANSITION_KIND_REFERRED_TO_CAFCASS) {
        tally.counts.set_cafcass_referral(tally.counts.cafcass_referral() + 1);
        ++tally.by_stage[t.to_stage()];
      } else if (t.kind() == v1::TRANSITION_KIND_RAISED ||
                 t.kind() == v1::TRANSITION_KIND_ESCALATED) {
        ++tally.by_stage[t.to_stage()];
        AddToFixedStageField(tally.counts, t.to_stage());
        if (t.to_stage() == 1 && !e.audit_id().empty()) {
          tally.counts.set_stage_1_from_audits(tally.counts.stage_1_from_audits() + 1);
        }
      }
    }
    const absl::CivilDay raised = UkDay(TimeFromProto(e.raised_at()), uk);
    if (months.count(MonthOf(raised)) == 0) continue;
    for (const std::string& theme : e.themes()) ++themes[theme];
    if (e.status() == v1::ESCALATION_STATUS_RESOLVED && e.has_closed_at()) {
      auto cal = calendars.find(e.la_code());
      const WorkingCalendar& calendar = cal == calendars.end() ? bank_holidays_only : cal->second;
      const int days = calendar.WorkingDaysBetween(raised, UkDay(TimeFromProto(e.closed_at()), uk));
      days_to_resolve.push_back(days);
      if (days <= ladder.target_working_days) ++within_target;
    }
  }
  v1::GetEscalationSummaryResponse response;
  for (auto& [month, tally] : months) {
    for (const v1::Stage& stage : ladder.stages) {
      v1::StageCount* s = tally.counts.add_stages();
      s->set_stage(stage.number());
      s->set_count(tally.by_stage[stage.number()]);
      s->set_referral(stage.number() == ladder.ReferralStage());
    }
    *response.add_months() = std::move(tally.counts);
  }
  // The map is alphabetical, so the stable sort leaves ties in that order.
  std::vector<std::pair<std::string, int>> sorted(themes.begin(), themes.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [theme, count] : sorted) {
    v1::ThemeCount* t = response.add_themes();
    t->set_theme(theme);
    t->set_count(count);
  }
  response.set_target_working_days(ladder.target_working_days);
  response.set_resolved(static_cast<int32_t>(days_to_resolve.size()));
  if (!days_to_resolve.empty()) {
    std::sort(days_to_resolve.begin(), days_to_resolve.end());
    response.set_median_working_days_to_resolve(Quantile7(days_to_resolve, 0.5));
    response.set_p90_working_days_to_resolve(Quantile7(days_to_resolve, 0.9));
    response.set_resolved_within_target_pct(100.0 * within_target /
                                            static_cast<double>(days_to_resolve.size()));
  }
  return response;
}

v1::GetAuditSummaryResponse SummariseAudits(const std::vector<v1::Audit>& audits, Month from,
                                            Month to) {
  std::map<std::string, v1::MonthGradeCounts> months;
  for (Month m = from; m <= to; m = m.Plus(1)) months[m.ToString()].set_month(m.ToString());
  for (const v1::Audit& a : audits) {
    auto m = months.find(a.review_date().substr(0, 7));
    if (m == months.end()) continue;
    v1::MonthGradeCounts& c = m->second;
    switch (a.grade()) {
      case v1::AUDIT_GRADE_OUTSTANDING:
        c.set_outstanding(c.outstanding() + 1);
        break;
      case v1::AUDIT_GRADE_GOOD:
        c.set_good(c.good() + 1);
        break;
      case v1::AUDIT_GRADE_REQUIRES_IMPROVEMENT:
        c.set_requires_improvement(c.requires_improvement() + 1);
        break;
      case v1::AUDIT_GRADE_INADEQUATE:
        c.set_inadequate(c.inadequate() + 1);
        break;
      default:
        c.set_grade_not_recorded(c.grade_not_recorded() + 1);
    }
    c.set_total(c.total() + 1);
  }
  v1::GetAuditSummaryResponse response;
  for (auto& [month, counts] : months) *response.add_months() = std::move(counts);
  return response;
}

absl::CivilDay FirstDayOf(Month month) { return absl::CivilDay(month.year(), month.month(), 1); }

absl::CivilDay LastDayOf(Month month) {
  return absl::CivilDay(absl::CivilMonth(month.year(), month.month()) + 1) - 1;
}

}  // namespace carescore::escalations
