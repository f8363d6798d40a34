#ifndef CARESCORE_COMMON_IMPORT_FORMATS_H_
#define CARESCORE_COMMON_IMPORT_FORMATS_H_

// The public CSV import formats (those of shared/data), turned into API
// records. Each parser checks every row and returns either all records or
// InvalidArgument naming every bad row by file line and column, so that
// nothing is sent for a file with any bad row. Rules that need the server
// (known LA and indicator codes) are the server's.
//
//   LAs:        la_code,ons_code,name,region[,status]
//   catalogue:  code,section,title,polarity,unit,period_type[,rag_basis,
//               red_threshold,green_threshold,range_low,range_high,
//               range_tolerance_pct,council_plan,national_ref,definition,
//               decimal_places,quartiles,source_measure]
//   values:     la_code,code,period,value[,numerator,denominator]
//   outturns:   la_code,code,financial_year,value[,numerator,denominator]
//   neighbours: la_code,neighbour_la_code,rank[,closeness]
//   published comparators: la_code,code,statistical_neighbour_average,
//               best_statistical_neighbour,national_average,
//               national_top_quartile_threshold[,year]
//
// A value of "", "-", "c", "x" or ".." is missing (suppressed or not
// recorded) and stays missing.
//
// Used by the CLI to send files and by the services' tests and benchmarks to
// load the sample data; no transport.

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "carescore/v1/benchmarks.pb.h"
#include "carescore/v1/indicators.pb.h"
#include "common/csv.h"
#include "common/period.h"

namespace carescore {

absl::StatusOr<std::vector<v1::LocalAuthority>> ParseLocalAuthorities(const CsvTable& table);

struct Catalogue {
  std::vector<v1::Indicator> indicators;
  // Targets from the threshold columns, for `year` only; empty without it.
  std::vector<v1::Target> targets;
  // Rows with thresholds that were not turned into targets (no year given).
  int ignored_thresholds = 0;
};

// With `year`, every high/low indicator with red and green thresholds gets
// a thresholds target, every range indicator with a range gets a range
// target, and every other rated indicator an explicit "no target" for that
// year; `la_code` (optional) makes them that LA's own.
absl::StatusOr<Catalogue> ParseCatalogue(const CsvTable& table, std::optional<FinancialYear> year,
                                         const std::string& la_code);

enum class PeriodColumn { kMonth, kFinancialYear };

// Each input's `row` is its file line.
absl::StatusOr<std::vector<v1::ValueInput>> ParseValues(const CsvTable& table, PeriodColumn period);

// Each neighbour's `row` is its file line.
absl::StatusOr<std::vector<v1::Neighbour>> ParseNeighbours(const CsvTable& table);

// The comparator year comes from a `year` column, or `year` for rows
// without one; a row with neither is an error. Each `row` is the file line.
absl::StatusOr<std::vector<v1::PublishedComparator>> ParsePublishedComparators(
    const CsvTable& table, std::optional<FinancialYear> year);

}  // namespace carescore

#endif  // CARESCORE_COMMON_IMPORT_FORMATS_H_
