// Fuzzes the report service's rules: a sequence of its requests
// (fuzz_calls.proto's ReportCalls), parsed from the fuzzed bytes, run in
// order against a real ReportService over the real indicator and
// benchmarking rules holding the Rotherham sample (data/samples, loaded once
// per process: the calls only read it), with commentary in a store made
// fresh for each input. Reports are rendered as HTML, CSV or JSON; PDF (a
// Chromium process) and XLSX (a temporary file) requests are skipped.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/csv.h"
#include "common/import_formats.h"
#include "fuzz_calls.pb.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/direct_benchmark_reader.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/commentary_store.h"
#include "services/reports/report_service.h"
#include "services/reports/testing/fake_readers.h"
#include "tests/fuzz/fuzz_support.h"

namespace carescore::fuzz {
namespace {

CsvTable ReadSample(const std::string& name) {
  absl::StatusOr<CsvTable> table =
      CsvTable::ReadFile(std::string(CARESCORE_SAMPLES_DIR) + "/" + name);
  if (!table.ok()) std::abort();
  return *std::move(table);
}

// The indicator and benchmarking rules with the sample loaded, as the
// report service's fixture loads it (services/reports/testing/report_fixture.h).
struct Sample {
  Sample() {
    indicator_store = *indicators::SqliteIndicatorStore::Open(":memory:");
    indicator_service = std::make_unique<indicators::IndicatorService>(*indicator_store);
    indicator_reader = std::make_unique<indicators::DirectIndicatorReader>(*indicator_service);
    benchmark_store = *benchmarks::SqliteBenchmarkStore::Open(":memory:");
    benchmark_service =
        std::make_unique<benchmarks::BenchmarkService>(*benchmark_store, *indicator_reader);
    benchmark_reader = std::make_unique<benchmarks::DirectBenchmarkReader>(*benchmark_service);

    absl::StatusOr<std::vector<v1::LocalAuthority>> las =
        ParseLocalAuthorities(ReadSample("local_authorities.csv"));
    if (!las.ok()) std::abort();
    v1::ImportLocalAuthoritiesRequest l;
    for (v1::LocalAuthority& la : *las) *l.add_local_authorities() = std::move(la);
    if (!indicator_service->ImportLocalAuthorities(l).ok()) std::abort();
    absl::StatusOr<Catalogue> catalogue =
        ParseCatalogue(ReadSample("indicators.csv"), FinancialYear(2018), "");
    if (!catalogue.ok()) std::abort();
    v1::ImportIndicatorsRequest i;
    for (v1::Indicator& x : catalogue->indicators) *i.add_indicators() = std::move(x);
    if (!indicator_service->ImportIndicators(i).ok()) std::abort();
    v1::SetTargetsRequest t;
    for (v1::Target& x : catalogue->targets) *t.add_targets() = std::move(x);
    if (!indicator_service->SetTargets(t).ok()) std::abort();
    for (const auto& [file, column] :
         {std::pair{"monthly_values.csv", PeriodColumn::kMonth},
          std::pair{"annual_outturns.csv", PeriodColumn::kFinancialYear}}) {
      absl::StatusOr<std::vector<v1::ValueInput>> values = ParseValues(ReadSample(file), column);
      if (!values.ok() || !indicator_service->ImportValues(file, *values).ok()) std::abort();
    }
    absl::StatusOr<std::vector<v1::PublishedComparator>> published =
        ParsePublishedComparators(ReadSample("published_benchmarks.csv"), FinancialYear(2016));
    if (!published.ok()) std::abort();
    v1::ImportPublishedComparatorsRequest p;
    for (v1::PublishedComparator& c : *published) *p.add_comparators() = std::move(c);
    if (!benchmark_service->ImportPublishedComparators(p).ok()) std::abort();
  }

  std::unique_ptr<indicators::SqliteIndicatorStore> indicator_store;
  std::unique_ptr<indicators::IndicatorService> indicator_service;
  std::unique_ptr<indicators::DirectIndicatorReader> indicator_reader;
  std::unique_ptr<benchmarks::SqliteBenchmarkStore> benchmark_store;
  std::unique_ptr<benchmarks::BenchmarkService> benchmark_service;
  std::unique_ptr<benchmarks::DirectBenchmarkReader> benchmark_reader;
};

void Run(Sample& sample, const ReportCalls& calls) {
  absl::StatusOr<std::unique_ptr<reports::SqliteCommentaryStore>> commentary =
      reports::SqliteCommentaryStore::Open(":memory:");
  if (!commentary.ok()) std::abort();
  reports::FakeEscalationReader escalations;
  reports::ReportDependencies deps;
  deps.commentary = commentary->get();
  deps.escalations = &escalations;
  deps.chromium = "/nonexistent/chromium";
  deps.now = [] {
    return absl::FromCivil(absl::CivilSecond(2018, 11, 15, 9, 0, 0), absl::UTCTimeZone());
  };
  reports::ReportService s(*sample.indicator_reader, *sample.benchmark_reader, std::move(deps));
  for (const ReportCall& call : calls.calls()) {
    switch (call.request_case()) {
      case ReportCall::kGetScorecard:
        Drop(s.GetScorecard(call.get_scorecard()));
        Drop(s.GetScorecardBytes(call.get_scorecard()));
        break;
      case ReportCall::kGetReport:
        if (call.get_report().format() == v1::REPORT_FORMAT_PDF ||
            call.get_report().format() == v1::REPORT_FORMAT_XLSX) {
          break;
        }
        Drop(s.GetReport(call.get_report()));
        break;
      case ReportCall::kGetHighlights:
        Drop(s.GetHighlights(call.get_highlights()));
        break;
      case ReportCall::kSetCommentary:
        Drop(s.SetCommentary(call.set_commentary()));
        break;
      case ReportCall::kListCommentary:
        Drop(s.ListCommentary(call.list_commentary()));
        break;
      case ReportCall::REQUEST_NOT_SET:
        break;
    }
  }
}

}  // namespace
}  // namespace carescore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static carescore::fuzz::Sample* const sample = new carescore::fuzz::Sample();
  carescore::fuzz::ReportCalls calls;
  if (!carescore::fuzz::ParseInput(data, size, calls)) return 0;
  carescore::fuzz::Run(*sample, calls);
  return 0;
}
