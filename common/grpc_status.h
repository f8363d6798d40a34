#ifndef CARESCORE_COMMON_GRPC_STATUS_H_
#define CARESCORE_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status (and back, for
// clients). Codes map one to one; a google.rpc.BadRequest payload travels
// in the standard grpc-status-details-bin trailer.

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"

namespace carescore {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// Copies the value into `response` on success; returns the status either way.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_GRPC_STATUS_H_
