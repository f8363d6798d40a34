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
// the edge knows better (a case named by id: its LA).

#include <string>
#include <utility>
#include <vector>

#include "common/auth/authorization.h"
#include "common/auth/gate.h"
#include "common/grpc_status.h"

namespace carescore::auth {

template <typename Response, typename Fn>
grpc::Status GuardedFor(AuthGate* gate, const grpc::ServerContextBase& context,
                        absl::string_view method, const std::vector<std::string>& la_codes,
                        absl::string_view resource, Response* response, Fn&& fn) {
  if (gate == nullptr) return Reply(fn(static_cast<const Admitted*>(nullptr)), response);
  absl::StatusOr<Admitted> admitted = gate->Admit(context, method, la_codes, resource);
  if (!admitted.ok()) return ToGrpcStatus(admitted.status());
  ScopedCallToken scoped(admitted->token);
  auto result = fn(&*admitted);
  absl::Status recorded = gate->Record(*admitted, method, la_codes, resource, result.status());
  if (!recorded.ok()) return ToGrpcStatus(recorded);
  return Reply(std::move(result), response);
}

template <typename Request, typename Response, typename Fn>
grpc::Status Guarded(AuthGate* gate, const grpc::ServerContextBase& context,
                     absl::string_view method, const Request& request, Response* response,
                     Fn&& fn) {
  return GuardedFor(gate, context, method, LaCodesOf(request), "", response, std::forward<Fn>(fn));
}

}  // namespace carescore::auth

#endif  // CARESCORE_COMMON_AUTH_GUARDED_H_
