// Fuzzes the CSV reader and every import format: whatever the bytes, the
// reader and each parser return records or an error, never crash, hang or
// read out of bounds (libFuzzer with ASan and UBSan). A parsed table goes
// through every format, since the CLI decides the format by the command, not
// the content.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/csv.h"
#include "common/import_formats.h"
#include "common/period.h"
#include "tests/fuzz/fuzz_support.h"

namespace carescore::fuzz {
namespace {

void ParseEveryFormat(const CsvTable& table) {
  for (const CsvRow& row : table.rows()) {
    for (const std::string& column : table.header()) Drop(table.Field(row, column));
  }
  Drop(ParseLocalAuthorities(table));
  Drop(ParseCatalogue(table, std::nullopt, ""));
  Drop(ParseCatalogue(table, FinancialYear(2018), "372"));
  Drop(ParseValues(table, PeriodColumn::kMonth));
  Drop(ParseValues(table, PeriodColumn::kFinancialYear));
  Drop(ParseNeighbours(table));
  Drop(ParsePublishedComparators(table, std::nullopt));
  Drop(ParsePublishedComparators(table, FinancialYear(2016)));
}

}  // namespace
}  // namespace carescore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  // The first bad byte IsValidUtf8 names lies inside the text.
  size_t bad_offset = 0;
  if (!carescore::IsValidUtf8(text, bad_offset) && bad_offset >= size) __builtin_trap();
  absl::StatusOr<carescore::CsvTable> table = carescore::CsvTable::Parse(text, "fuzz.csv");
  if (table.ok()) carescore::fuzz::ParseEveryFormat(*table);
  return 0;
}
