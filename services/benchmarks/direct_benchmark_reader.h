#ifndef CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_
#define CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_

// A BenchmarkReader that calls the real benchmark rules in the same
// process, without gRPC: for tests of the services that read benchmarks
// (the gRPC reader is tested against a real server in benchmarks_test).

#include <string>
#include <utility>

#include "services/benchmarks/benchmark_reader.h"
#include "services/benchmarks/benchmark_service.h"

namespace carescore::benchmarks {

class DirectBenchmarkReader final : public BenchmarkReader {
 public:
  // `service` outlives *this.
  explicit DirectBenchmarkReader(BenchmarkService& service) : service_(service) {}
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override {
    v1::ListPublishedComparatorsRequest r;
    r.set_la_code(std::string(la_code));
    r.set_page_size(5000);
    // Every page into the first, as GrpcBenchmarkReader.
    auto all = service_.ListPublishedComparators(r);
    while (all.ok() && !all->next_page_token().empty()) {
      r.set_page_token(all->next_page_token());
      auto page = service_.ListPublishedComparators(r);
      if (!page.ok()) return page.status();
      for (v1::PublishedComparator& c : *page->mutable_comparators()) {
        *all->add_comparators() = std::move(c);
      }
      all->set_next_page_token(page->next_page_token());
    }
    return all;
  }
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) override {
    return service_.BatchGetBenchmarks(request);
  }
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() override {
    return service_.GetComparatorsVersion(v1::GetComparatorsVersionRequest());
  }

 private:
  BenchmarkService& service_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_DIRECT_BENCHMARK_READER_H_
