// Fuzzes the benchmarking service's rules: a sequence of its requests
// (fuzz_calls.proto's BenchmarkCalls), parsed from the fuzzed bytes, run in
// order against the real BenchmarkService on a fresh in-memory SQLite store,
// reading the real indicator rules (indicator_calls.h), which the sequence
// may also write to so that computed comparators have values to read.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "fuzz_calls.pb.h"
#include "services/benchmarks/benchmark_service.h"
#include "services/benchmarks/sqlite_benchmark_store.h"
#include "services/indicators/direct_indicator_reader.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/indicator_calls.h"

namespace carescore::fuzz {
namespace {

void Run(const BenchmarkCalls& calls) {
  IndicatorWorld indicators;
  indicators::DirectIndicatorReader reader(indicators.service());
  absl::StatusOr<std::unique_ptr<benchmarks::SqliteBenchmarkStore>> store =
      benchmarks::SqliteBenchmarkStore::Open(":memory:");
  if (!store.ok()) std::abort();
  benchmarks::BenchmarkService s(**store, reader);
  for (const BenchmarkCall& call : calls.calls()) {
    switch (call.request_case()) {
      case BenchmarkCall::kImportNeighbours:
        Drop(s.ImportNeighbours(call.import_neighbours()));
        break;
      case BenchmarkCall::kListNeighbours:
        Drop(s.ListNeighbours(call.list_neighbours()));
        break;
      case BenchmarkCall::kListModels:
        Drop(s.ListModels(call.list_models()));
        break;
      case BenchmarkCall::kImportPublishedComparators:
        Drop(s.ImportPublishedComparators(call.import_published_comparators()));
        break;
      case BenchmarkCall::kListPublishedComparators:
        Drop(s.ListPublishedComparators(call.list_published_comparators()));
        break;
      case BenchmarkCall::kGetBenchmark:
        Drop(s.GetBenchmark(call.get_benchmark()));
        break;
      case BenchmarkCall::kListRanks:
        Drop(s.ListRanks(call.list_ranks()));
        break;
      case BenchmarkCall::kBatchGetBenchmarks:
        Drop(s.BatchGetBenchmarks(call.batch_get_benchmarks()));
        break;
      case BenchmarkCall::kGetComparatorsVersion:
        Drop(s.GetComparatorsVersion(call.get_comparators_version()));
        break;
      case BenchmarkCall::kIndicators:
        indicators.Run(call.indicators());
        break;
      case BenchmarkCall::REQUEST_NOT_SET:
        break;
    }
  }
}

}  // namespace
}  // namespace carescore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  carescore::fuzz::BenchmarkCalls calls;
  if (!carescore::fuzz::ParseInput(data, size, calls)) return 0;
  carescore::fuzz::Run(calls);
  return 0;
}
