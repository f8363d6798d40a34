#ifndef CARESCORE_SERVICES_ESCALATIONS_LADDER_H_
#define CARESCORE_SERVICES_ESCALATIONS_LADDER_H_

// The escalation process as configured: the ladder of stages (who raises,
// who responds, the response time in working days; a stage without one is
// the referral to CAFCASS), the themes an escalation may have, and the
// target for the whole process. Value type.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carescore/v1/escalations.pb.h"
#include "common/csv.h"

namespace carescore::escalations {

struct Ladder {
  std::vector<v1::Stage> stages;  // Numbered 1.. in order.
  std::vector<std::string> themes;
  int target_working_days = 20;

  // The default: Rotherham's ladder (1, 5, 4, 5 working days, then
  // referral to CAFCASS), 20 working days, and the default themes.
  static Ladder Default();
  // Stages from a file in the format of escalation_stages.csv
  // (stage,raised_by,raised_to,response_working_days), with the default
  // themes. InvalidArgument naming the line for a bad row.
  static absl::StatusOr<Ladder> FromCsv(const CsvTable& table);

  // Nullptr if there is no such stage.
  const v1::Stage* Find(int number) const;
  // The highest stage that is not a referral.
  int LastStage() const;
  // The referral stage's number, 0 if none.
  int ReferralStage() const;
  bool IsTheme(const std::string& theme) const;
};

// The default theme list.
std::vector<std::string> DefaultThemes();

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_LADDER_H_
