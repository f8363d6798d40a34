#include "services/escalations/ladder.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "common/row_errors.h"

namespace carescore::escalations {
namespace {

// One keyword of the title mapping (ladder.h), as lower-case words.
struct TitleKeyword {
  std::vector<std::string> words;
  const char* role;
};

const std::vector<TitleKeyword>& TitleKeywords() {
  static const auto* const keywords = new std::vector<TitleKeyword>{
      {{"independent", "reviewing", "officer"}, "iro"},
      {{"iro"}, "iro"},
      {{"team", "manager"}, "team_manager"},
      {{"service", "manager"}, "service_manager"},
      {{"head", "of", "service"}, "head_of_service"},
      {{"director"}, "head_of_service"},
  };
  return *keywords;
}

bool HasRole(const std::vector<std::string>& roles, absl::string_view role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// `wanted` in StageRoleNames() order.
std::vector<std::string> InRoleOrder(const std::vector<std::string>& wanted) {
  std::vector<std::string> out;
  for (const std::string& role : StageRoleNames()) {
    if (HasRole(wanted, role)) out.push_back(role);
  }
  return out;
}

// OK if `roles` holds admin or one of `allowed`; else STAGE_NOT_ALLOWED.
absl::Status Allow(const std::vector<std::string>& allowed, absl::string_view list, int stage,
                   const std::vector<std::string>& roles, absl::string_view doing) {
  if (HasRole(roles, "admin")) return absl::OkStatus();
  for (const std::string& role : allowed) {
    if (HasRole(roles, role)) return absl::OkStatus();
  }
  std::vector<std::string> may = allowed;
  may.emplace_back("admin");
  const std::string may_text = absl::StrJoin(may, ", ");
  const std::string stage_text = absl::StrCat(stage);
  return WithErrorInfo(
      absl::PermissionDeniedError(absl::StrCat(
          doing, " stage ", stage, " needs one of the roles ", may_text, " (the stage's ", list,
          "); the caller has ", roles.empty() ? "none" : absl::StrJoin(roles, ", "))),
      kStageNotAllowed, {{"stage", stage_text}, {"allowed_roles", may_text}});
}

// Roles not configured are derived from the titles.
void FillRoles(v1::Stage& s) {
  if (s.raise_roles().empty()) {
    for (std::string& r : RolesFromTitle(s.raised_by())) s.add_raise_roles(std::move(r));
  }
  if (s.respond_roles().empty()) {
    for (std::string& r : RolesFromTitle(s.raised_to())) s.add_respond_roles(std::move(r));
  }
}

}  // namespace

const std::vector<std::string>& StageRoleNames() {
  static const auto* const roles =
      new std::vector<std::string>{"iro", "team_manager", "service_manager", "head_of_service"};
  return *roles;
}

std::vector<std::string> RolesFromTitle(absl::string_view title) {
  std::vector<std::string> words = absl::StrSplit(
      absl::AsciiStrToLower(title), absl::ByAnyChar(" \t()[],;:/&-.'\""), absl::SkipEmpty());
  std::vector<std::string> found;
  for (const TitleKeyword& k : TitleKeywords()) {
    const auto at = std::search(words.begin(), words.end(), k.words.begin(), k.words.end());
    if (at != words.end()) found.emplace_back(k.role);
  }
  return InRoleOrder(found);
}

absl::StatusOr<std::vector<std::string>> ParseStageRoles(absl::string_view cell) {
  std::vector<std::string> named;
  for (absl::string_view name : absl::StrSplit(cell, absl::ByAnyChar(" \t;"), absl::SkipEmpty())) {
    if (name == "admin") continue;
    if (!HasRole(StageRoleNames(), name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown role \"", name, "\": use ",
                                                     absl::StrJoin(StageRoleNames(), ", "),
                                                     " or admin, separated by spaces or ';'"));
    }
    named.emplace_back(name);
  }
  return InRoleOrder(named);
}

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
  for (v1::Stage& s : ladder.stages) FillRoles(s);
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
    // An empty cell (or no column) derives the roles from the title; a
    // cell naming only admin closes the stage to everyone else.
    for (const auto& [column, title, roles] :
         {std::tuple{"raise_roles", s.raised_by(), s.mutable_raise_roles()},
          std::tuple{"respond_roles", s.raised_to(), s.mutable_respond_roles()}}) {
      const absl::string_view cell = absl::StripAsciiWhitespace(table.Field(row, column));
      absl::StatusOr<std::vector<std::string>> parsed =
          cell.empty() ? RolesFromTitle(title) : ParseStageRoles(cell);
      if (!parsed.ok()) {
        errors.Add(row.line, column, parsed.status().message());
        continue;
      }
      for (std::string& r : *parsed) roles->Add(std::move(r));
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

absl::Status Ladder::MayEnter(int number, const std::vector<std::string>& roles,
                              absl::string_view doing) const {
  const v1::Stage* stage = Find(number);
  const std::vector<std::string> allowed =
      stage == nullptr
          ? std::vector<std::string>()
          : std::vector<std::string>(stage->raise_roles().begin(), stage->raise_roles().end());
  return Allow(allowed, "raise_roles", number, roles, doing);
}

absl::Status Ladder::MayRespond(int number, const std::vector<std::string>& roles,
                                absl::string_view doing) const {
  const v1::Stage* stage = Find(number);
  const std::vector<std::string> allowed =
      stage == nullptr
          ? std::vector<std::string>()
          : std::vector<std::string>(stage->respond_roles().begin(), stage->respond_roles().end());
  return Allow(allowed, "respond_roles", number, roles, doing);
}

absl::Status Ladder::MayWithdraw(int current, const std::vector<std::string>& roles) const {
  // Whoever may open a case may take it back, as may whoever raised it to
  // where it now is.
  std::vector<std::string> allowed;
  for (int number : {1, current}) {
    const v1::Stage* stage = Find(number);
    if (stage == nullptr) continue;
    allowed.insert(allowed.end(), stage->raise_roles().begin(), stage->raise_roles().end());
  }
  return Allow(InRoleOrder(allowed), "raise_roles, or stage 1's", current, roles, "withdrawing at");
}

}  // namespace carescore::escalations
