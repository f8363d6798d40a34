#ifndef CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_STORE_H_
#define CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_STORE_H_

// Where neighbour models and published comparators are kept. Validation is
// the BenchmarkService's; the store guarantees each write is all or
// nothing. Implementations must be thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "carescore/v1/benchmarks.pb.h"

namespace carescore::benchmarks {

class BenchmarkStore {
 public:
  virtual ~BenchmarkStore() = default;

  // Replaces, in `model`, the whole list of every LA that `neighbours` names
  // as la_code; other LAs' lists are kept.
  [[nodiscard]] virtual absl::Status ReplaceNeighbours(
      absl::string_view model, const std::vector<v1::Neighbour>& neighbours) = 0;
  // In rank order; empty if the LA has no list in the model.
  virtual absl::StatusOr<std::vector<v1::Neighbour>> ListNeighbours(absl::string_view model,
                                                                    absl::string_view la_code) = 0;
  // Model names, newest (greatest) first.
  virtual absl::StatusOr<std::vector<std::string>> ListModels() = 0;

  // Creates or replaces by (la_code, indicator_code, financial_year).
  [[nodiscard]] virtual absl::Status UpsertPublished(
      const std::vector<v1::PublishedComparator>& comparators) = 0;
  virtual absl::StatusOr<std::optional<v1::PublishedComparator>> FindPublished(
      absl::string_view la_code, absl::string_view indicator_code,
      absl::string_view financial_year) = 0;

  // Every published comparator of an LA, by indicator then year.
  virtual absl::StatusOr<std::vector<v1::PublishedComparator>> ListPublished(
      absl::string_view la_code) = 0;

  // Increases with every accepted write, so caches of comparators can key
  // on it.
  virtual absl::StatusOr<int64_t> Version() = 0;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_STORE_H_
