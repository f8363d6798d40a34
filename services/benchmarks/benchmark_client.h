#ifndef CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_CLIENT_H_
#define CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_CLIENT_H_

// What other services read from the benchmarking service. BenchmarkReader
// is the interface their rules depend on; GrpcBenchmarkReader is the real
// one over the gRPC API (in carescored, the in-process channel).
// Implementations must be thread-safe.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "absl/synchronization/mutex.h"
#include "common/channel_slot.h"

namespace carescore::benchmarks {

// The most indicators one BatchGetBenchmarks call may ask for.
inline constexpr int kMaxBatchBenchmarks = 500;

class BenchmarkReader {
 public:
  virtual ~BenchmarkReader() = default;
  // Every published comparator held for the LA, with the store's version.
  virtual absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) = 0;
  // Computed comparators for many indicators (BatchGetBenchmarks).
  virtual absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) = 0;
  // The comparators' version with its lease (common/version_lease.h).
  virtual absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() = 0;
};

class GrpcBenchmarkReader final : public BenchmarkReader {
 public:
  // `channel` outlives *this; each call has `timeout`.
  explicit GrpcBenchmarkReader(const ChannelSlot& channel,
                               absl::Duration timeout = absl::Seconds(30))
      : channel_(channel), timeout_(timeout) {}
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override;
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) override;
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() override;

 private:
  // The stub for the slot's channel, made once it is set; shared.
  absl::StatusOr<v1::BenchmarkService::Stub*> Stub();
  // One unary call with the timeout; errors say they came from here.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      grpc::Status (v1::BenchmarkService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
      const Request& request);

  const ChannelSlot& channel_;
  absl::Duration timeout_;
  absl::Mutex mu_;
  std::unique_ptr<v1::BenchmarkService::Stub> stub_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_CLIENT_H_
