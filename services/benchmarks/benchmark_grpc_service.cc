#include "services/benchmarks/benchmark_grpc_service.h"

#include "common/auth/guarded.h"
#include "common/grpc_status.h"
#include "common/idempotency/idempotent_writes.h"

namespace carescore::benchmarks {

grpc::Status BenchmarkGrpcService::ImportNeighbours(grpc::ServerContext* context,
                                                    const v1::ImportNeighboursRequest* request,
                                                    v1::ImportNeighboursResponse* response) {
  return auth::Guarded(
      gate_, *context, "BenchmarkService/ImportNeighbours", *request, response,
      OnceOnly(writes_, "BenchmarkService/ImportNeighbours", *request,
               [&](const auth::Admitted*) { return service_.ImportNeighbours(*request); }));
}

grpc::Status BenchmarkGrpcService::ListNeighbours(grpc::ServerContext* context,
                                                  const v1::ListNeighboursRequest* request,
                                                  v1::ListNeighboursResponse* response) {
  return auth::Guarded(gate_, *context, "BenchmarkService/ListNeighbours", *request, response,
                       [&](const auth::Admitted*) { return service_.ListNeighbours(*request); });
}

grpc::Status BenchmarkGrpcService::ListModels(grpc::ServerContext* context,
                                              const v1::ListModelsRequest* request,
                                              v1::ListModelsResponse* response) {
  return auth::Guarded(gate_, *context, "BenchmarkService/ListModels", *request, response,
                       [&](const auth::Admitted*) { return service_.ListModels(*request); });
}

grpc::Status BenchmarkGrpcService::ImportPublishedComparators(
    grpc::ServerContext* context, const v1::ImportPublishedComparatorsRequest* request,
    v1::ImportPublishedComparatorsResponse* response) {
  return auth::Guarded(
      gate_, *context, "BenchmarkService/ImportPublishedComparators", *request, response,
      OnceOnly(
          writes_, "BenchmarkService/ImportPublishedComparators", *request,
          [&](const auth::Admitted*) { return service_.ImportPublishedComparators(*request); }));
}

grpc::Status BenchmarkGrpcService::ListPublishedComparators(
    grpc::ServerContext* context, const v1::ListPublishedComparatorsRequest* request,
    v1::ListPublishedComparatorsResponse* response) {
  return auth::Guarded(
      gate_, *context, "BenchmarkService/ListPublishedComparators", *request, response,
      [&](const auth::Admitted*) { return service_.ListPublishedComparators(*request); });
}

grpc::Status BenchmarkGrpcService::GetBenchmark(grpc::ServerContext* context,
                                                const v1::GetBenchmarkRequest* request,
                                                v1::GetBenchmarkResponse* response) {
  return auth::Guarded(gate_, *context, "BenchmarkService/GetBenchmark", *request, response,
                       [&](const auth::Admitted*) { return service_.GetBenchmark(*request); });
}

grpc::Status BenchmarkGrpcService::ListRanks(grpc::ServerContext* context,
                                             const v1::ListRanksRequest* request,
                                             v1::ListRanksResponse* response) {
  return auth::Guarded(gate_, *context, "BenchmarkService/ListRanks", *request, response,
                       [&](const auth::Admitted*) { return service_.ListRanks(*request); });
}

grpc::Status BenchmarkGrpcService::BatchGetBenchmarks(grpc::ServerContext* context,
                                                      const v1::BatchGetBenchmarksRequest* request,
                                                      v1::BatchGetBenchmarksResponse* response) {
  return auth::Guarded(
      gate_, *context, "BenchmarkService/BatchGetBenchmarks", *request, response,
      [&](const auth::Admitted*) { return service_.BatchGetBenchmarks(*request); });
}

grpc::Status BenchmarkGrpcService::GetComparatorsVersion(
    grpc::ServerContext* context, const v1::GetComparatorsVersionRequest* request,
    v1::GetComparatorsVersionResponse* response) {
  return auth::Guarded(
      gate_, *context, "BenchmarkService/GetComparatorsVersion", *request, response,
      [&](const auth::Admitted*) { return service_.GetComparatorsVersion(*request); });
}

}  // namespace carescore::benchmarks
