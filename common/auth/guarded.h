#ifndef CARESCORE_COMMON_AUTH_GUARDED_H_
#define CARESCORE_COMMON_AUTH_GUARDED_H_

// The one line each edge method is: admit the call through the gate, run
// the rules with the caller known, record the outcome, reply.
//
//   return Guarded(gate_, *context, "IndicatorService/ListValues", *request, response,
//                  [&](const auth::Admitted*) { return service_.ListValues(*request); });
//
// With no gate (null: the rules' own wire tests), calls run unchecked with
// no caller. The LAs a request names come from its la_code fields unless
// the edge knows better (a case named by id: its LA). Either way the call's
// CallScope (common/call_scope.h) is current while `fn` runs.

#include <string>
#include <utility>
#include <vector>

#include "common/auth/authorization.h"
#include "common/auth/gate.h"
#include "common/enum_check.h"
#include "common/grpc_status.h"
#include "common/server_call_scope.h"

namespace carescore::auth {

// A call that failed because a peer could not be reached although it was
// waited for until (nearly) the call's deadline: the answer tells the
// caller's gRPC retry policy not to try again (server pushback, a negative
// grpc-retry-pushback-ms), as a retry could only run out of time.
inline void NoRetryAfterWaitingForAPeer(grpc::ServerContextBase& context,
                                        const absl::Status& status) {
  if (status.code() == absl::StatusCode::kUnavailable &&
      !ErrorMetadataValue(status, "waited_ms").empty()) {
    context.AddTrailingMetadata("grpc-retry-pushback-ms", "-1");
  }
}

template <typename Response, typename Fn>
grpc::Status GuardedFor(AuthGate* gate, grpc::ServerContextBase& context, absl::string_view method,
                        const std::vector<std::string>& la_codes, absl::string_view resource,
                        Response* response, Fn&& fn) {
  // The rules and their calls to other services see this call's deadline
  // and cancellation (common/call_scope.h).
  ScopedCallScope call_scope(ServerCallScope(context));
  if (gate == nullptr) {
    auto result = fn(static_cast<const Admitted*>(nullptr));
    NoRetryAfterWaitingForAPeer(context, result.status());
    return Reply(std::move(result), response);
  }
  absl::StatusOr<Admitted> admitted = gate->Admit(context, method, la_codes, resource);
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  ScopedCallToken scoped(admitted->token);
  auto result = fn(&*admitted);
  absl::Status recorded = gate->Record(*admitted, method, la_codes, resource, result.status());
  if (!recorded.ok()) return ToGrpcStatus(recorded);
  NoRetryAfterWaitingForAPeer(context, result.status());
  return Reply(std::move(result), response);
}

template <typename Request, typename Response, typename Fn>
grpc::Status Guarded(AuthGate* gate, grpc::ServerContextBase& context, absl::string_view method,
                     const Request& request, Response* response, Fn&& fn) {
  // Admitted (and audited) first; then an enum number the request's schema
  // does not define is refused before the rules see it (common/enum_check.h).
  return GuardedFor(gate, context, method, LaCodesOf(request), "", response,
                    [&](const Admitted* admitted) -> decltype(fn(admitted)) {
                      if (absl::Status enums = CheckEnums(request); !enums.ok()) return enums;
                      return fn(admitted);
                    });
}

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_GUARDED_H_
