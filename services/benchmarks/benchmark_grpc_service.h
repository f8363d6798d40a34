#ifndef CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_GRPC_SERVICE_H_
#define CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_GRPC_SERVICE_H_

// The wire edge of BenchmarkService: one line per RPC. Thread-safe.

#include "carescore/v1/benchmarks.grpc.pb.h"
#include "common/auth/gate.h"
#include "common/idempotency/idempotent_writes.h"
#include "services/benchmarks/benchmark_service.h"

namespace carescore::benchmarks {

class BenchmarkGrpcService final : public v1::BenchmarkService::Service {
 public:
  // `gate` (null: every call let in, for the rules' wire tests) outlives
  // *this, as does `service`.
  // `writes` (null: request ids only checked, for the rules' wire tests)
  // keeps the answers to writes sent with a request_id; it outlives *this.
  explicit BenchmarkGrpcService(BenchmarkService& service, auth::AuthGate* gate = nullptr,
                                IdempotentWrites* writes = nullptr)
      : service_(service), gate_(gate), writes_(writes) {}

  grpc::Status ImportNeighbours(grpc::ServerContext* context,
                                const v1::ImportNeighboursRequest* request,
                                v1::ImportNeighboursResponse* response) override;
  grpc::Status ListNeighbours(grpc::ServerContext* context,
                              const v1::ListNeighboursRequest* request,
                              v1::ListNeighboursResponse* response) override;
  grpc::Status ListModels(grpc::ServerContext* context, const v1::ListModelsRequest* request,
                          v1::ListModelsResponse* response) override;
  grpc::Status ImportPublishedComparators(
      grpc::ServerContext* context, const v1::ImportPublishedComparatorsRequest* request,
      v1::ImportPublishedComparatorsResponse* response) override;
  grpc::Status ListPublishedComparators(grpc::ServerContext* context,
                                        const v1::ListPublishedComparatorsRequest* request,
                                        v1::ListPublishedComparatorsResponse* response) override;
  grpc::Status GetBenchmark(grpc::ServerContext* context, const v1::GetBenchmarkRequest* request,
                            v1::GetBenchmarkResponse* response) override;
  grpc::Status ListRanks(grpc::ServerContext* context, const v1::ListRanksRequest* request,
                         v1::ListRanksResponse* response) override;
  grpc::Status BatchGetBenchmarks(grpc::ServerContext* context,
                                  const v1::BatchGetBenchmarksRequest* request,
                                  v1::BatchGetBenchmarksResponse* response) override;
  grpc::Status GetComparatorsVersion(grpc::ServerContext* context,
                                     const v1::GetComparatorsVersionRequest* request,
                                     v1::GetComparatorsVersionResponse* response) override;

 private:
  BenchmarkService& service_;
  auth::AuthGate* gate_;
  IdempotentWrites* writes_;
};

}  // namespace carescore::benchmarks

#endif  // CARESCORE_SERVICES_BENCHMARKS_BENCHMARK_GRPC_SERVICE_H_
