#include "services/escalations/ladder_flag.h"

#include "common/csv.h"

namespace carescore::escalations {

void AddLadderFlag(CLI::App& app, std::string& file) {
  app.add_option("--ladder", file,
                 "Escalation ladder CSV (stage,raised_by,raised_to,response_working_days); "
                 "default: 1, 5, 4, 5 working days then referral to CAFCASS")
      ->envname("CARESCORE_LADDER")
      ->check(CLI::ExistingFile);
}

absl::StatusOr<Ladder> LoadLadder(const std::string& file) {
  if (file.empty()) return Ladder::Default();
  absl::StatusOr<CsvTable> table = CsvTable::ReadFile(file);
  if (!table.ok()) return table.status();
  return Ladder::FromCsv(*table);
}

}  // namespace carescore::escalations
