#ifndef CARESCORE_SERVICES_BENCHMARKS_TESTING_BENCHMARK_FIXTURE_H_
#define CARESCORE_SERVICES_BENCHMARKS_TESTING_BENCHMARK_FIXTURE_H_

// The benchmark service's shared test fixture: the real rules on in-memory
// SQLite stores, reading the real indicator rules through a reader that can
// be switched to fail (the indicator service down), with England's LAs
// loaded, and helpers that load the shared national and sample files.
// Needs CARESCORE_SAMPLES_DIR and CARESCORE_ENGLAND_DIR defined.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/csv.h"
#include "common/import_formats.h"
#include "gtest/gtest.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "services/indicators/indicator_service.h"
#include "services/indicators/sqlite_indicator_store.h"
#include "services/indicators/testing/switchable_indicator_reader.h"

namespace carescore::benchmarks::testing {

inline const std::string kSamples = CARESCORE_SAMPLES_DIR;
inline const std::string kEngland = CARESCORE_ENGLAND_DIR;

inline CsvTable Read(const std::string& path) {
  auto t = CsvTable::ReadFile(path);
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

class BenchmarkFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    indicator_store_ = *indicators::SqliteIndicatorStore::Open(":memory:");
    indicator_service_ = std::make_unique<indicators::IndicatorService>(*indicator_store_);
    direct_ = std::make_unique<indicators::DirectIndicatorReader>(*indicator_service_);
    reader_ = std::make_unique<indicators::testing::SwitchableIndicatorReader>(*direct_);
    store_ = *SqliteBenchmarkStore::Open(":memory:");
    service_ = std::make_unique<BenchmarkService>(*store_, *reader_);
    v1::ImportLocalAuthoritiesRequest las;
    auto parsed = ParseLocalAuthorities(Read(kEngland + "/local_authorities.csv"));
    ASSERT_TRUE(parsed.ok());
    for (auto& la : *parsed) *las.add_local_authorities() = la;
    ASSERT_TRUE(indicator_service_->ImportLocalAuthorities(las).ok());
  }

  void ImportCatalogue(const std::string& path) {
    v1::ImportIndicatorsRequest r;
    auto parsed = ParseCatalogue(Read(path), std::nullopt, "");
    ASSERT_TRUE(parsed.ok());
    for (auto& i : parsed->indicators) *r.add_indicators() = i;
    ASSERT_TRUE(indicator_service_->ImportIndicators(r).ok());
  }

  void ImportOutturns(const std::string& path) {
    auto values = ParseValues(Read(path), PeriodColumn::kFinancialYear);
    ASSERT_TRUE(values.ok());
    ASSERT_TRUE(indicator_service_->ImportValues("test", *values).ok());
  }

  void ImportNeighbours(const std::string& path, const std::string& model) {
    CsvTable t = Read(path);
    v1::ImportNeighboursRequest r;
    r.set_model(model);
    for (const CsvRow& row : t.rows()) {
      v1::Neighbour* n = r.add_neighbours();
      n->set_la_code(std::string(t.Field(row, "la_code")));
      n->set_neighbour_la_code(std::string(t.Field(row, "neighbour_la_code")));
      n->set_rank(std::stoi(std::string(t.Field(row, "rank"))));
      n->set_closeness(std::string(t.Field(row, "closeness")));
    }
    auto imported = service_->ImportNeighbours(r);
    ASSERT_TRUE(imported.ok()) << imported.status();
  }

  // Published comparators in the sample's format, all for `year`.
  void ImportPublished(const std::string& path, const std::string& year) {
    v1::ImportPublishedComparatorsRequest r;
    CsvTable t = Read(path);
    for (const CsvRow& row : t.rows()) {
      v1::PublishedComparator* c = r.add_comparators();
      c->set_la_code(std::string(t.Field(row, "la_code")));
      c->set_indicator_code(std::string(t.Field(row, "code")));
      c->set_financial_year(year);
      for (const auto& [col, setter] :
           std::vector<std::pair<std::string, void (v1::PublishedComparator::*)(double)>>{
               {"statistical_neighbour_average", &v1::PublishedComparator::set_sn_average},
               {"best_statistical_neighbour", &v1::PublishedComparator::set_best_sn},
               {"national_average", &v1::PublishedComparator::set_national_average},
               {"national_top_quartile_threshold",
                &v1::PublishedComparator::set_top_quartile_threshold}}) {
        const std::string text(t.Field(row, col));
        if (!text.empty()) (c->*setter)(std::stod(text));
      }
    }
    auto imported = service_->ImportPublishedComparators(r);
    ASSERT_TRUE(imported.ok()) << imported.status();
  }

  absl::StatusOr<v1::Benchmark> Computed(const std::string& la, const std::string& code,
                                         const std::string& year) {
    v1::GetBenchmarkRequest r;
    r.set_la_code(la);
    r.set_indicator_code(code);
    r.set_financial_year(year);
    r.set_source(v1::COMPARATOR_SOURCE_COMPUTED);
    auto got = service_->GetBenchmark(r);
    if (!got.ok()) return got.status();
    return got->benchmark();
  }

  std::unique_ptr<indicators::SqliteIndicatorStore> indicator_store_;
  std::unique_ptr<indicators::IndicatorService> indicator_service_;
  std::unique_ptr<indicators::DirectIndicatorReader> direct_;
  // The reader the service uses: passes through to direct_ until told to fail.
  std::unique_ptr<indicators::testing::SwitchableIndicatorReader> reader_;
  std::unique_ptr<SqliteBenchmarkStore> store_;
  std::unique_ptr<BenchmarkService> service_;
};

}  // namespace carescore::benchmarks::testing

#endif  // CARESCORE_SERVICES_BENCHMARKS_TESTING_BENCHMARK_FIXTURE_H_
