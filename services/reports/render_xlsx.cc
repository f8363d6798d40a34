#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/spreadsheet_cell.h"
#include "services/reports/report_renderer.h"
#include "services/reports/scorecard_csv.h"
#include "services/reports/scorecard_text.h"

namespace carescore::reports {

namespace fs = std::filesystem;

absl::StatusOr<std::string> RenderXlsx(const v1::ReportDocument& doc) {
  const fs::path path =
      fs::temp_directory_path() /
      absl::StrCat("carescore-report-", getpid(), "-", absl::ToUnixNanos(absl::Now()), ".xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return absl::InternalError("cannot create the XLSX workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  const v1::Scorecard& card = doc.scorecard();

  // The summary: the CSV's rows, numbers as numbers.
  lxw_worksheet* summary = workbook_add_worksheet(wb, "Summary");
  const std::vector<std::string> header = ScorecardCsvHeader(card);
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(summary, 0, static_cast<lxw_col_t>(c),
                           SpreadsheetText(header[c]).c_str(), bold);
  }
  lxw_row_t r = 1;
  for (const v1::ScorecardLine& line : card.lines()) {
    const std::vector<std::string> cells = ScorecardCsvRow(line, card.month());
    for (size_t c = 0; c < cells.size(); ++c) {
      char* end = nullptr;
      const double v = std::strtod(cells[c].c_str(), &end);
      const auto col = static_cast<lxw_col_t>(c);
      if (!cells[c].empty() && end != nullptr && *end == '\0') {
        worksheet_write_number(summary, r, col, v, nullptr);
      } else {
        worksheet_write_string(summary, r, col, SpreadsheetText(cells[c]).c_str(), nullptr);
      }
    }
    ++r;
  }
  worksheet_set_column(summary, 2, 2, 60, nullptr);

  // A sheet per section: each indicator's months.
  std::map<std::string, int> used;
  for (const auto& [section, section_lines] : BySection(card)) {
    std::string name;
    for (char ch : section) {
      if (std::string("[]:*?/\\").find(ch) == std::string::npos) name.push_back(ch);
    }
    name = name.substr(0, 28);
    if (++used[name] > 1) name = absl::StrCat(name.substr(0, 26), " ", used[name]);
    lxw_worksheet* sheet = workbook_add_worksheet(wb, name.c_str());
    lxw_row_t row = 0;
    for (const v1::ScorecardLine* l : section_lines) {
      worksheet_write_string(
          sheet, row, 0, SpreadsheetText(absl::StrCat(l->code(), " ", l->title())).c_str(), bold);
      ++row;
      worksheet_write_string(sheet, row, 0, "month", bold);
      worksheet_write_string(sheet, row, 1, "value", bold);
      worksheet_write_string(sheet, row, 2, "numerator", bold);
      worksheet_write_string(sheet, row, 3, "denominator", bold);
      ++row;
      for (const v1::MonthFigure& f : l->months()) {
        worksheet_write_string(sheet, row, 0, SpreadsheetText(f.month()).c_str(), nullptr);
        if (f.has_value()) worksheet_write_number(sheet, row, 1, f.value(), nullptr);
        if (f.has_numerator()) worksheet_write_number(sheet, row, 2, f.numerator(), nullptr);
        if (f.has_denominator()) worksheet_write_number(sheet, row, 3, f.denominator(), nullptr);
        ++row;
      }
      ++row;
    }
    worksheet_set_column(sheet, 0, 0, 14, nullptr);
  }
  const lxw_error closed = workbook_close(wb);
  if (closed != LXW_NO_ERROR) {
    fs::remove(path);
    return absl::InternalError(absl::StrCat("writing the XLSX failed: ", lxw_strerror(closed)));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  fs::remove(path);
  return bytes.str();
}

}  // namespace carescore::reports
