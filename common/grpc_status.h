#ifndef CARESCORE_COMMON_GRPC_STATUS_H_
#define CARESCORE_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status (and back, for
// clients). Codes map one to one; error details (google.rpc.BadRequest,
// google.rpc.ErrorInfo: absl payloads under their type URLs) travel in the
// standard grpc-status-details-bin trailer.

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace carescore {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// `status` with a google.rpc.ErrorInfo: a stable UPPER_SNAKE `reason` in the
// carescore domain, and `metadata` naming the field or resource.
absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>> metadata = {});
// The ErrorInfo reason of `status`, or "" if it has none.
std::string ErrorReason(const absl::Status& status);

// Copies the value into `response` on success; returns the status either way.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_GRPC_STATUS_H_
