#ifndef CARESCORE_COMMON_GRPC_STATUS_H_
#define CARESCORE_COMMON_GRPC_STATUS_H_

// The one place where absl::Status becomes grpc::Status (and back, for
// clients). Codes map one to one; error details (google.rpc.BadRequest,
// google.rpc.ErrorInfo: absl payloads under their type URLs) travel in the
// standard grpc-status-details-bin trailer. On the way out every error gets
// an ErrorInfo (DefaultReason of its code if it had none), and the message
// is bounded (kMaxErrorMessageBytes; row errors bound their own details,
// common/row_errors.h) so that the trailer stays far below gRPC's 8 KB metadata limit.

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/error_info.h"
#include "grpcpp/support/status.h"

namespace carescore {

inline constexpr size_t kMaxErrorMessageBytes = 1536;

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// WithErrorInfo and ErrorReason live in common/error_info.h (included).

// Copies the value into `response` on success; returns the status either way.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_GRPC_STATUS_H_
