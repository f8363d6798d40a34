#include "services/benchmarks/grpc_benchmark_reader.h"

#include <optional>
#include <string>
#include <utility>

namespace carescore::benchmarks {
namespace {

using Stub = v1::BenchmarkService::Stub;

}  // namespace

absl::StatusOr<v1::ListPublishedComparatorsResponse> GrpcBenchmarkReader::ListPublished(
    absl::string_view la_code) {
  v1::ListPublishedComparatorsRequest request;
  request.set_la_code(std::string(la_code));
  request.set_page_size(5000);
  // Every page into the first; its version is the one kept, so a write
  // between pages makes the answer look older than it is, never newer.
  std::optional<v1::ListPublishedComparatorsResponse> all;
  do {
    absl::StatusOr<v1::ListPublishedComparatorsResponse> page =
        caller_.Call(&Stub::ListPublishedComparators, request);
    if (!page.ok()) return page.status();
    request.set_page_token(page->next_page_token());
    if (!all.has_value()) {
      all = *std::move(page);
    } else {
      for (v1::PublishedComparator& c : *page->mutable_comparators()) {
        *all->add_comparators() = std::move(c);
      }
    }
  } while (!request.page_token().empty());
  all->clear_next_page_token();
  return *std::move(all);
}

absl::StatusOr<v1::BatchGetBenchmarksResponse> GrpcBenchmarkReader::BatchGet(
    const v1::BatchGetBenchmarksRequest& request) {
  return caller_.Call(&Stub::BatchGetBenchmarks, request);
}

absl::StatusOr<v1::GetComparatorsVersionResponse> GrpcBenchmarkReader::GetVersion() {
  return caller_.Call(&Stub::GetComparatorsVersion, v1::GetComparatorsVersionRequest());
}

}  // namespace carescore::benchmarks
