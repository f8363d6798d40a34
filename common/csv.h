#ifndef CARESCORE_COMMON_CSV_H_
#define CARESCORE_COMMON_CSV_H_

// A strict CSV reader (RFC 4180: quoted fields may hold commas, quotes and
// line breaks) for the public import formats. Refuses what would otherwise
// load silently wrong: a file that is empty, not UTF-8, has a malformed
// quote, or has a row whose field count differs from the header's.
// Value type, thread-compatible.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace carescore {

struct CsvRow {
  int line;  // The file line on which the record starts, counting from 1.
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Parses a whole file's text. InvalidArgument naming the line for every
  // problem listed above; `name` (e.g. the file path) starts the message.
  static absl::StatusOr<CsvTable> Parse(absl::string_view text, absl::string_view name);
  // Reads and parses a file. NotFound if it cannot be opened.
  static absl::StatusOr<CsvTable> ReadFile(const std::string& path);

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }

  // Index of a column, by name (case-sensitive, surrounding spaces ignored).
  std::optional<size_t> Column(absl::string_view name) const;
  // InvalidArgument naming every missing column.
  absl::Status RequireColumns(const std::vector<std::string>& names) const;
  // The field of `row` in `column`, or "" if the file has no such column.
  absl::string_view Field(const CsvRow& row, absl::string_view column) const;

 private:
  std::string name_;
  std::vector<std::string> header_;
  std::map<std::string, size_t, std::less<>> columns_;
  std::vector<CsvRow> rows_;
};

// True if `text` is well-formed UTF-8; otherwise sets `bad_offset` to the
// first bad byte.
bool IsValidUtf8(absl::string_view text, size_t& bad_offset);

}  // namespace carescore

#endif  // CARESCORE_COMMON_CSV_H_
