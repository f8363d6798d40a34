#ifndef CARESCORE_COMMON_SPREADSHEET_CELL_H_
#define CARESCORE_COMMON_SPREADSHEET_CELL_H_

// Text cells for files people open in a spreadsheet (CSV exports, XLSX).
// A cell that starts with '=', '+', '-', '@', a tab or a carriage return is
// read by Excel, LibreOffice and Google Sheets as a formula
// (=HYPERLINK(...), =cmd|...): such a cell is neutralised by a leading
// single quote (OWASP's CSV injection rule), unless the whole cell is a
// plain decimal number ("-1.5", "+3"), which no spreadsheet runs. Every
// CSV and XLSX writer passes its text cells through here. Pure functions.

#include <string>

#include "absl/strings/string_view.h"

namespace carescore {

// `text`, with "'" put in front if a spreadsheet would take it for a formula.
std::string SpreadsheetText(absl::string_view text);

// SpreadsheetText(`text`) as a CSV field: quoted (quotes doubled) if it
// holds a comma, a quote or a line break (RFC 4180).
std::string CsvField(absl::string_view text);

}  // namespace carescore

#endif  // CARESCORE_COMMON_SPREADSHEET_CELL_H_
