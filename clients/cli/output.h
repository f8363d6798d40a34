#ifndef CARESCORE_CLIENTS_CLI_OUTPUT_H_
#define CARESCORE_CLIENTS_CLI_OUTPUT_H_

// Prints query results as an aligned table, CSV (RFC 4180) or JSON (an
// array of objects). Cells are JSON values: null prints as empty in table
// and CSV, numbers print in their shortest exact form.

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace carescore::cli {

enum class Format { kTable, kCsv, kJson };

absl::StatusOr<Format> ParseFormat(absl::string_view word);

class Table {
 public:
  explicit Table(std::vector<std::string> columns)
      : columns_(std::move(columns)), places_(columns_.size(), -1) {}
  // `cells` has one entry per column.
  void AddRow(std::vector<nlohmann::json> cells) { rows_.push_back(std::move(cells)); }
  // Numbers in `column` print in table and CSV at `places` decimals,
  // rounded half away from zero (85 as 85.0); JSON keeps the number.
  void SetPlaces(const std::string& column, int places);
  size_t size() const { return rows_.size(); }
  void Print(Format format, std::ostream& out) const;

 private:
  std::string Text(size_t column, const nlohmann::json& cell) const;

  std::vector<std::string> columns_;
  std::vector<int> places_;  // -1: shortest exact form.
  std::vector<std::vector<nlohmann::json>> rows_;
};

// A number as text: 89.9, 658, 116.3 (no trailing zeros, no exponent for
// ordinary figures).
std::string NumberText(double v);
// One CSV field: a text a spreadsheet would run as a formula neutralised,
// then quoted as needed (common/spreadsheet_cell.h).
std::string CsvField(absl::string_view text);

}  // namespace carescore::cli

#endif  // CARESCORE_CLIENTS_CLI_OUTPUT_H_
