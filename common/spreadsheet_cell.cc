#include "common/spreadsheet_cell.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace carescore {
namespace {

// [+-]digits[.digits]: a number, not a formula, and kept as it is so that a
// negative figure stays a number.
bool IsPlainNumber(absl::string_view text) {
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  const size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view fraction = dot == absl::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || (dot != absl::string_view::npos && fraction.empty())) return false;
  for (absl::string_view part : {whole, fraction}) {
    for (char c : part) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

}  // namespace

std::string SpreadsheetText(absl::string_view text) {
  if (text.empty()) return std::string();
  const char first = text[0];
  const bool trigger = first == '=' || first == '+' || first == '-' || first == '@' ||
                       first == '\t' || first == '\r';
  if (!trigger || IsPlainNumber(text)) return std::string(text);
  return absl::StrCat("'", text);
}

std::string CsvField(absl::string_view text) {
  const std::string safe = SpreadsheetText(text);
  if (safe.find_first_of(",\"\r\n") == std::string::npos) return safe;
  return absl::StrCat("\"", absl::StrReplaceAll(safe, {{"\"", "\"\""}}), "\"");
}

}  // namespace carescore
