#ifndef CARESCORE_SERVICES_REPORTS_TESTING_REPORT_FIXTURE_H_
#define CARESCORE_SERVICES_REPORTS_TESTING_REPORT_FIXTURE_H_

// The one fixture of the report service's tests (rules and wire edge).

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "common/csv.h"
#include "common/import_formats.h"
#include "gtest/gtest.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/direct_benchmark_reader.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/reports/report_service.h"
#include "services/reports/testing/fake_readers.h"

namespace carescore::reports {

inline const std::string kSamples = CARESCORE_SAMPLES_DIR;

using benchmarks::DirectBenchmarkReader;

inline CsvTable ReadSample(const std::string& name) {
  auto t = CsvTable::ReadFile(kSamples + "/" + name);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// The real indicator and benchmark rules on in-memory SQLite, loaded with
// the Rotherham sample (data/samples), read through readers with failure
// switches; a report service over them without a cache.
class ReportServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    indicator_store_ = *indicators::SqliteIndicatorStore::Open(":memory:");
    indicators_ = std::make_unique<indicators::IndicatorService>(*indicator_store_);
    reader_ = std::make_unique<indicators::DirectIndicatorReader>(*indicators_);
    benchmark_store_ = *benchmarks::SqliteBenchmarkStore::Open(":memory:");
    benchmarks_ = std::make_unique<benchmarks::BenchmarkService>(*benchmark_store_, *reader_);
    benchmark_reader_ = std::make_unique<DirectBenchmarkReader>(*benchmarks_);
    switchable_indicators_ = std::make_unique<SwitchableIndicatorReader>(*reader_);
    switchable_benchmarks_ = std::make_unique<SwitchableBenchmarkReader>(*benchmark_reader_);
    service_ = std::make_unique<ReportService>(*reader_, *benchmark_reader_);

    auto las = ParseLocalAuthorities(ReadSample("local_authorities.csv"));
    ASSERT_TRUE(las.ok());
    v1::ImportLocalAuthoritiesRequest l;
    for (auto& la : *las) *l.add_local_authorities() = la;
    ASSERT_TRUE(indicators_->ImportLocalAuthorities(l).ok());
    auto catalogue = ParseCatalogue(ReadSample("indicators.csv"), FinancialYear(2018), "");
    ASSERT_TRUE(catalogue.ok());
    v1::ImportIndicatorsRequest i;
    for (auto& x : catalogue->indicators) *i.add_indicators() = x;
    ASSERT_TRUE(indicators_->ImportIndicators(i).ok());
    v1::SetTargetsRequest t;
    for (auto& x : catalogue->targets) *t.add_targets() = x;
    ASSERT_TRUE(indicators_->SetTargets(t).ok());
    for (const auto& [file, column] :
         {std::pair{"monthly_values.csv", PeriodColumn::kMonth},
          std::pair{"annual_outturns.csv", PeriodColumn::kFinancialYear}}) {
      auto values = ParseValues(ReadSample(file), column);
      ASSERT_TRUE(values.ok());
      ASSERT_TRUE(indicators_->ImportValues(file, *values).ok());
    }
    v1::ImportPublishedComparatorsRequest p;
    auto published =
        ParsePublishedComparators(ReadSample("published_benchmarks.csv"), FinancialYear(2016));
    ASSERT_TRUE(published.ok());
    for (auto& c : *published) *p.add_comparators() = c;
    ASSERT_TRUE(benchmarks_->ImportPublishedComparators(p).ok());
  }

  static v1::GetScorecardRequest OctoberRequest() {
    v1::GetScorecardRequest r;
    r.set_la_code("372");
    r.set_month("2018-10");
    return r;
  }

  static std::map<std::string, v1::ScorecardLine> LinesOf(const v1::Scorecard& card) {
    std::map<std::string, v1::ScorecardLine> lines;
    for (const auto& line : card.lines()) lines[line.code()] = line;
    return lines;
  }

  // A service over the switchable readers, with `deps` (the fake
  // escalation reader unless `deps` names another).
  std::unique_ptr<ReportService> MakeService(ReportDependencies deps = {}) {
    if (deps.escalations == nullptr) deps.escalations = &escalations_;
    return std::make_unique<ReportService>(*switchable_indicators_, *switchable_benchmarks_,
                                           std::move(deps));
  }

  std::map<std::string, v1::ScorecardLine> October() {
    auto card = service_->GetScorecard(OctoberRequest());
    EXPECT_TRUE(card.ok()) << card.status();
    return LinesOf(card->scorecard());
  }

  std::unique_ptr<indicators::SqliteIndicatorStore> indicator_store_;
  std::unique_ptr<indicators::IndicatorService> indicators_;
  std::unique_ptr<indicators::DirectIndicatorReader> reader_;
  std::unique_ptr<benchmarks::SqliteBenchmarkStore> benchmark_store_;
  std::unique_ptr<benchmarks::BenchmarkService> benchmarks_;
  std::unique_ptr<DirectBenchmarkReader> benchmark_reader_;
  std::unique_ptr<SwitchableIndicatorReader> switchable_indicators_;
  std::unique_ptr<SwitchableBenchmarkReader> switchable_benchmarks_;
  FakeEscalationReader escalations_;
  std::unique_ptr<ReportService> service_;
};

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_TESTING_REPORT_FIXTURE_H_
