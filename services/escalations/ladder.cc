#include "services/escalations/ladder.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/row_errors.h"

namespace carescore::escalations {

std::vector<std::string> DefaultThemes() {
  return {"care_plan_quality",
          "pre_meeting_report_missing",
          "review_decisions_not_actioned",
          "legal_plan_delay",
          "permanence_drift",
          "placement_suitability",
          "placement_with_parents_risk",
          "education_provision",
          "health_needs",
          "contact",
          "transition_to_adult_services",
          "social_worker_change",
          "access_to_records",
          "semi_independent_living",
          "qac_audit_inadequate"};
}

Ladder Ladder::Default() {
  Ladder ladder;
  auto add = [&ladder](int n, const char* by, const char* to, int days, bool referral) {
    v1::Stage s;
    s.set_number(n);
    s.set_raised_by(by);
    s.set_raised_to(to);
    s.set_response_working_days(days);
    s.set_referral(referral);
    ladder.stages.push_back(s);
  };
  add(1, "Independent Reviewing Officer", "Team Manager", 1, false);
  add(2, "IRO Operations Manager", "Service Manager", 5, false);
  add(3, "Head of Service (Safeguarding)", "Head of Service", 4, false);
  add(4, "Head of Service (Safeguarding)", "Deputy Director or Director", 5, false);
  add(5, "Independent Reviewing Officer", "CAFCASS (referral)", 0, true);
  ladder.themes = DefaultThemes();
  return ladder;
}

absl::StatusOr<Ladder> Ladder::FromCsv(const CsvTable& table) {
  absl::Status columns =
      table.RequireColumns({"stage", "raised_by", "raised_to", "response_working_days"});
  if (!columns.ok()) return columns;
  Ladder ladder;
  ladder.themes = DefaultThemes();
  RowErrors errors;
  int expected = 1;
  for (const CsvRow& row : table.rows()) {
    v1::Stage s;
    int number = 0;
    if (!absl::SimpleAtoi(table.Field(row, "stage"), &number) || number != expected) {
      errors.Add(row.line, "stage",
                 absl::StrCat("stages must be numbered 1, 2, ... in order; expected ", expected));
    }
    ++expected;
    s.set_number(number);
    s.set_raised_by(std::string(table.Field(row, "raised_by")));
    s.set_raised_to(std::string(table.Field(row, "raised_to")));
    const absl::string_view days = table.Field(row, "response_working_days");
    if (days.empty()) {
      s.set_referral(true);
    } else {
      int d = 0;
      if (!absl::SimpleAtoi(days, &d) || d < 1) {
        errors.Add(row.line, "response_working_days", "must be a whole number of days, 1 or more");
      }
      s.set_response_working_days(d);
    }
    ladder.stages.push_back(s);
  }
  if (ladder.stages.empty()) errors.Add(0, "stage", "the ladder has no stages");
  absl::Status s = errors.ToStatus("escalation ladder");
  if (!s.ok()) return s;
  return ladder;
}

const v1::Stage* Ladder::Find(int number) const {
  for (const v1::Stage& s : stages) {
    if (s.number() == number) return &s;
  }
  return nullptr;
}

int Ladder::LastStage() const {
  int last = 0;
  for (const v1::Stage& s : stages) {
    if (!s.referral()) last = std::max(last, s.number());
  }
  return last;
}

int Ladder::ReferralStage() const {
  for (const v1::Stage& s : stages) {
    if (s.referral()) return s.number();
  }
  return 0;
}

bool Ladder::IsTheme(const std::string& theme) const {
  return std::find(themes.begin(), themes.end(), theme) != themes.end();
}

}  // namespace carescore::escalations
