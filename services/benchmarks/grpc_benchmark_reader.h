#ifndef CARESCORE_SERVICES_BENCHMARKS_GRPC_BENCHMARK_READER_H_
#define CARESCORE_SERVICES_BENCHMARKS_GRPC_BENCHMARK_READER_H_

// The BenchmarkReader other services use: the benchmarking service's gRPC
// API (in carescored the in-process channel) through the shared
// UnaryCaller. Errors keep their codes, with "benchmark service: " in front.
// Thread-safe.

#include "absl/time/time.h"
#include "carescore/v1/benchmarks.grpc.pb.h"
#include "common/channel_slot.h"
#include "common/unary_call.h"
#include "services/benchmarks/benchmark_reader.h"

namespace carescore::benchmarks {

class GrpcBenchmarkReader final : public BenchmarkReader {
 public:
  // `channel` outlives *this; each call has `timeout`.
  explicit GrpcBenchmarkReader(const ChannelSlot& channel,
                               absl::Duration timeout = kDefaultPeerTimeout)
      : caller_(channel, "benchmark service", timeout) {}
  absl::StatusOr<v1::ListPublishedComparatorsResponse> ListPublished(
      absl::string_view la_code) override;
  absl::StatusOr<v1::BatchGetBenchmarksResponse> BatchGet(
      const v1::BatchGetBenchmarksRequest& request) override;
  absl::StatusOr<v1::GetComparatorsVersionResponse> GetVersion() override;

 private:
  UnaryCaller<v1::BenchmarkService> caller_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_GRPC_BENCHMARK_READER_H_
