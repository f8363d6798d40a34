#include "services/escalations/ladder_flag.h"

#include "common/csv.h"
#include "spdlog/spdlog.h"

namespace carescore::escalations {

void AddLadderFlag(CLI::App& app, std::string& file) {
  app.add_option("--ladder", file,
                 "Escalation ladder CSV (stage,raised_by,raised_to,response_working_days, "
                 "optionally raise_roles,respond_roles: roles separated by spaces or ';'); "
                 "default: 1, 5, 4, 5 working days then referral to CAFCASS")
      ->envname("CARESCORE_LADDER")
      ->check(CLI::ExistingFile);
}

absl::StatusOr<Ladder> LoadLadder(const std::string& file) {
  if (file.empty()) return Ladder::Default();
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file);
  if (!table.ok()) return table.status();
  absl::StatusOr<Ladder> ladder = Ladder::FromCsv(*table);
  if (!ladder.ok()) return ladder;
  // Loads, since admin can still act, but a council would want to know that
  // its casework roles cannot.
  for (const v1::Stage& s : ladder->stages) {
    if (s.raise_roles().empty()) {
      spdlog::warn(
          "ladder {}: stage {}: no role but admin may move a case into it (give "
          "raise_roles, or a raised_by naming a role)",
          file, s.number());
    }
    if (s.respond_roles().empty() && !s.referral()) {
      spdlog::warn(
          "ladder {}: stage {}: no role but admin may respond at it (give "
          "respond_roles, or a raised_to naming a role)",
          file, s.number());
    }
  }
  return ladder;
}

}  // namespace carescore::escalations
