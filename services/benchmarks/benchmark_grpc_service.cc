#include "services/benchmarks/benchmark_grpc_service.h"

#include "common/grpc_status.h"

namespace carescore::benchmarks {

grpc::Status BenchmarkGrpcService::ImportNeighbours(grpc::ServerContext* /*context*/,
                                                    const v1::ImportNeighboursRequest* request,
                                                    v1::ImportNeighboursResponse* response) {
  return Reply(service_.ImportNeighbours(*request), response);
}

grpc::Status BenchmarkGrpcService::ListNeighbours(grpc::ServerContext* /*context*/,
                                                  const v1::ListNeighboursRequest* request,
                                                  v1::ListNeighboursResponse* response) {
  return Reply(service_.ListNeighbours(*request), response);
}

grpc::Status BenchmarkGrpcService::ListModels(grpc::ServerContext* /*context*/,
                                              const v1::ListModelsRequest* request,
                                              v1::ListModelsResponse* response) {
  return Reply(service_.ListModels(*request), response);
}

grpc::Status BenchmarkGrpcService::ImportPublishedComparators(
    grpc::ServerContext* /*context*/, const v1::ImportPublishedComparatorsRequest* request,
    v1::ImportPublishedComparatorsResponse* response) {
  return Reply(service_.ImportPublishedComparators(*request), response);
}

grpc::Status BenchmarkGrpcService::ListPublishedComparators(
    grpc::ServerContext* /*context*/, const v1::ListPublishedComparatorsRequest* request,
    v1::ListPublishedComparatorsResponse* response) {
  return Reply(service_.ListPublishedComparators(*request), response);
}

grpc::Status BenchmarkGrpcService::GetBenchmark(grpc::ServerContext* /*context*/,
                                                const v1::GetBenchmarkRequest* request,
                                                v1::GetBenchmarkResponse* response) {
  return Reply(service_.GetBenchmark(*request), response);
}

grpc::Status BenchmarkGrpcService::ListRanks(grpc::ServerContext* /*context*/,
                                             const v1::ListRanksRequest* request,
                                             v1::ListRanksResponse* response) {
  return Reply(service_.ListRanks(*request), response);
}

grpc::Status BenchmarkGrpcService::BatchGetBenchmarks(grpc::ServerContext* /*context*/,
                                                      const v1::BatchGetBenchmarksRequest* request,
                                                      v1::BatchGetBenchmarksResponse* response) {
  return Reply(service_.BatchGetBenchmarks(*request), response);
}

grpc::Status BenchmarkGrpcService::GetComparatorsVersion(
    grpc::ServerContext* /*context*/, const v1::GetComparatorsVersionRequest* request,
    v1::GetComparatorsVersionResponse* response) {
  return Reply(service_.GetComparatorsVersion(*request), response);
}

}  // namespace carescore::benchmarks
