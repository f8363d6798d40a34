#ifndef CARESCORE_SERVICES_ESCALATIONS_LADDER_H_
#define CARESCORE_SERVICES_ESCALATIONS_LADDER_H_

// The escalation process as configured: the ladder of stages (who raises,
// who responds, the response time in working days; a stage without one is
// the referral to CAFCASS), the themes an escalation may have, and the
// target for the whole process. Value type.
//
// Stage roles: each stage says which casework roles may move a case INTO it
// (Stage.raise_roles: raise at it, escalate to it, refer to CAFCASS for the
// referral stage, or record the inadequate audit that raises at stage 1) and
// which may RESPOND at it (Stage.respond_roles: respond to, or resolve, a
// case while it is at that stage). A case may be withdrawn by the raise
// roles of stage 1 or of its current stage. `admin` may always act and is
// never listed. The roles are the casework roles of
// common/auth/authorization.cc: iro, team_manager, service_manager,
// head_of_service (and admin).
//
// Where a stage does not configure its roles, they are derived from its
// titles: raise_roles from raised_by, respond_roles from raised_to, by these
// keywords (whole words, any case; a title may name several):
//   "Independent Reviewing Officer" or "IRO"  -> iro
//   "Team Manager"                           -> team_manager
//   "Service Manager"                        -> service_manager
//   "Head of Service"                        -> head_of_service
//   "Director"                               -> head_of_service
// so Rotherham's default ladder gives: stage 1 raise iro, respond
// team_manager; stage 2 ("IRO Operations Manager", who has the iro role)
// raise iro, respond service_manager; stages 3 and 4 raise head_of_service
// (Safeguarding), respond head_of_service (the Director's response is
// entered by the Head of Service); the referral raise iro, respond nobody
// ("CAFCASS" is no role; a referral closes the case anyway). A title that
// names none of these leaves that list empty: admin only.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/escalations.pb.h"
#include "common/csv.h"

namespace carescore::escalations {

// The ErrorInfo reason of a caller whose roles may not act at a stage.
inline constexpr absl::string_view kStageNotAllowed = "STAGE_NOT_ALLOWED";

struct Ladder {
  std::vector<v1::Stage> stages;  // Numbered 1.. in order, roles filled in.
  std::vector<std::string> themes;
  int target_working_days = 20;

  // The default: Rotherham's ladder (1, 5, 4, 5 working days, then
  // referral to CAFCASS), its stage roles derived as above, 20 working
  // days, and the default themes.
  static Ladder Default();
  // Stages from a file in the format of escalation_stages.csv
  // (stage,raised_by,raised_to,response_working_days and optionally
  // raise_roles,respond_roles), with the default themes. A role cell holds
  // role names separated by spaces or ';' ("admin" alone: admin only); an
  // empty cell or an absent column means the roles derived from the title.
  // InvalidArgument naming the line ("row N" is the file's line) and the
  // column for a bad row, such as an unknown role name.
  static absl::StatusOr<Ladder> FromCsv(const CsvTable& table);

  // Nullptr if there is no such stage.
  const v1::Stage* Find(int number) const;
  // The highest stage that is not a referral.
  int LastStage() const;
  // The referral stage's number, 0 if none.
  int ReferralStage() const;
  bool IsTheme(const std::string& theme) const;

  // OK if a caller with `roles` may move a case into stage `number` (its
  // raise_roles, or admin). Otherwise PermissionDenied with ErrorInfo reason
  // STAGE_NOT_ALLOWED (metadata: stage, allowed_roles) and a message naming
  // `doing` (e.g. "escalating to"), the stage and the roles that may; never
  // case contents. A stage the ladder does not have allows admin only.
  absl::Status MayEnter(int number, const std::vector<std::string>& roles,
                        absl::string_view doing) const;
  // The same for responding or resolving at stage `number` (respond_roles).
  absl::Status MayRespond(int number, const std::vector<std::string>& roles,
                          absl::string_view doing) const;
  // The same for withdrawing a case at stage `current`: the raise roles of
  // stage 1 or of `current`.
  absl::Status MayWithdraw(int current, const std::vector<std::string>& roles) const;
};

// The default theme list.
std::vector<std::string> DefaultThemes();

// The roles a stage may name, in this order: iro, team_manager,
// service_manager, head_of_service (admin is always allowed, never listed).
const std::vector<std::string>& StageRoleNames();
// The roles a raised_by or raised_to title names, by the keywords above, in
// StageRoleNames() order without repeats.
std::vector<std::string> RolesFromTitle(absl::string_view title);
// A role cell: names separated by spaces or ';', each a stage role or
// "admin" (dropped, as always allowed). InvalidArgument naming the first
// unknown name.
absl::StatusOr<std::vector<std::string>> ParseStageRoles(absl::string_view cell);

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_LADDER_H_
