#ifndef CARESCORE_COMMON_SERVER_CALL_SCOPE_H_
#define CARESCORE_COMMON_SERVER_CALL_SCOPE_H_

// The CallScope (common/call_scope.h) of a call a server is handling: its
// deadline as the client sent it and its cancellation as gRPC sees it. The
// scope refers to `context`: use it only until the call is finished.

#include <chrono>

#include "absl/time/time.h"
#include "common/call_scope.h"
#include "grpcpp/server_context.h"

namespace carescore {

inline CallScope ServerCallScope(const grpc::ServerContextBase& context) {
  const std::chrono::system_clock::time_point deadline = context.deadline();
  // gRPC gives the clock's largest time for a call with no deadline.
  const absl::Time until = deadline >= std::chrono::system_clock::time_point::max()
                               ? absl::InfiniteFuture()
                               : absl::FromChrono(deadline);
  return CallScope(until, [&context] { return context.IsCancelled(); });
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_SERVER_CALL_SCOPE_H_
