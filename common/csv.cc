#include "common/csv.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace carescore {

bool IsValidUtf8(absl::string_view text, size_t& bad_offset) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1FU;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0FU;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07U;
    } else {
      bad_offset = i;
      return false;
    }
    if (i + len > text.size()) {
      bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (cc & 0x3FU);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

absl::StatusOr<CsvTable> CsvTable::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path);
}

absl::StatusOr<CsvTable> CsvTable::Parse(absl::string_view text, absl::string_view name) {
  CsvTable table;
  table.name_ = std::string(name);
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // Excel's BOM.
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": the file is empty"));
  }
  size_t bad = 0;
  if (!IsValidUtf8(text, bad)) {
    int line = 1;
    for (size_t i = 0; i < bad; ++i) line += text[i] == '\n' ? 1 : 0;
    return absl::InvalidArgumentError(absl::StrCat(name, ": line ", line,
                                                   ": the file is not UTF-8 (byte ", bad + 1,
                                                   "); save it as CSV UTF-8"));
  }

  std::vector<CsvRow> records;
  CsvRow current{1, {}};
  std::string field;
  int line = 1;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool record_has_content = false;
  auto end_field = [&] {
    current.fields.push_back(field);
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    // A blank line is not a record.
    if (record_has_content || current.fields.size() > 1) records.push_back(current);
    current = CsvRow{line, {}};
    record_has_content = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty() || field_was_quoted) {
          return absl::InvalidArgumentError(absl::StrCat(
              name, ": line ", line, ": a quote inside an unquoted field; quote the whole field"));
        }
        in_quotes = true;
        field_was_quoted = true;
        record_has_content = true;
        break;
      case ',':
        end_field();
        record_has_content = true;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;
        ++line;
        end_record();
        break;
      case '\n':
        ++line;
        end_record();
        break;
      default:
        if (field_was_quoted) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, ": line ", line, ": text after a closing quote"));
        }
        field.push_back(c);
        record_has_content = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": line ", current.line, ": a quoted field is never closed"));
  }
  if (record_has_content || !field.empty()) end_record();
  if (records.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": the file is empty"));
  }

  table.header_ = records.front().fields;
  for (size_t i = 0; i < table.header_.size(); ++i) {
    const std::string col(absl::StripAsciiWhitespace(table.header_[i]));
    if (col.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": line 1: column ", i + 1, " has no name"));
    }
    if (!table.columns_.emplace(col, i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": line 1: column \"", col, "\" appears twice"));
    }
  }
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != table.header_.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": line ", records[r].line, ": ", records[r].fields.size(),
                       " fields, but the header has ", table.header_.size()));
    }
    table.rows_.push_back(std::move(records[r]));
  }
  return table;
}

std::optional<size_t> CsvTable::Column(absl::string_view name) const {
  auto it = columns_.find(name);
  if (it == columns_.end()) return std::nullopt;
  return it->second;
}

absl::Status CsvTable::RequireColumns(const std::vector<std::string>& names) const {
  std::vector<std::string> missing;
  for (const std::string& n : names) {
    if (!Column(n)) missing.push_back(n);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      name_, ": line 1: missing required column", missing.size() > 1 ? "s " : " ",
      absl::StrJoin(missing, ", "), " (the header has ", absl::StrJoin(header_, ","), ")"));
}

absl::string_view CsvTable::Field(const CsvRow& row, absl::string_view column) const {
  std::optional<size_t> i = Column(column);
  if (!i || *i >= row.fields.size()) return "";
  return absl::StripAsciiWhitespace(row.fields[*i]);
}

}  // namespace carescore
