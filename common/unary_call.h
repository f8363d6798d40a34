#ifndef CARESCORE_COMMON_UNARY_CALL_H_
#define CARESCORE_COMMON_UNARY_CALL_H_

// The one way a service calls another service's unary RPCs: a stub made
// once for the slot's channel and shared (stubs are thread-safe), a deadline
// on every call, the slot's metadata (the service's identity) on every
// call, and errors that keep their
// code with the callee's name in front of the message ("indicator service:
// no LA with code 999"). Thread-safe.
//
// Deadlines: a call made while a served call's CallScope is current on
// this thread (common/call_scope.h) gets the earlier of that call's
// deadline and the caller's own timeout, so the work a request causes ends
// when the request's does; if that deadline has already passed, or the
// served call was cancelled, the peer is not called at all
// (DeadlineExceeded / Cancelled). Work moved to another thread must carry
// the scope there (ScopedCallScope). Every call (unless made kFailFast)
// waits for the channel to be ready (wait_for_ready) within that deadline,
// so a peer that is restarting is waited for rather than failed at once;
// the channel's retry policy (common/grpc_limits.h) retries UNAVAILABLE
// answers.
//
//   UnaryCaller<v1::IndicatorService> caller(slot, "indicator service");
//   absl::StatusOr<v1::GetIndicatorResponse> got =
//       caller.Call(&v1::IndicatorService::Stub::GetIndicator, request);

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/call_scope.h"
#include "common/channel_slot.h"
#include "common/grpc_status.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace carescore {

// The longest a call to another service may take unless told otherwise
// (a served call's earlier deadline wins).
inline constexpr absl::Duration kDefaultPeerTimeout = absl::Seconds(30);

// Whether a call waits, within its deadline, for a peer that cannot be
// reached (restarting) or fails at once with UNAVAILABLE.
enum class PeerReadiness { kWaitForReady, kFailFast };

template <typename Service>
class UnaryCaller {
 public:
  using Stub = typename Service::Stub;

  // `channel` outlives *this. `callee` names the service in errors.
  // `readiness`: kFailFast for a peer whose answer is optional (a caller
  // that carries on without it should not wait out its deadline for it).
  UnaryCaller(const ChannelSlot& channel, std::string callee,
              absl::Duration timeout = kDefaultPeerTimeout,
              PeerReadiness readiness = PeerReadiness::kWaitForReady)
      : channel_(channel), callee_(std::move(callee)), timeout_(timeout), readiness_(readiness) {}

  // Unavailable while the slot has no channel, or if the peer could not be
  // reached before the deadline; Cancelled or DeadlineExceeded (without
  // calling) if the current CallScope's call has gone or its deadline
  // passed; the metadata source's error if it cannot make this call's
  // metadata; otherwise the call's status.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) {
    const CallScope& scope = CallScope::Current();
    absl::Status live = scope.Check("a call to another service");
    if (!live.ok()) return Prefixed(live);
    absl::StatusOr<Stub*> stub = GetStub();
    if (!stub.ok()) return Prefixed(stub.status());
    absl::StatusOr<ChannelSlot::Metadata> metadata = channel_.CallMetadata();
    if (!metadata.ok()) return Prefixed(metadata.status());
    Response response;
    grpc::ClientContext context;
    const absl::Time start = absl::Now();
    absl::Time deadline = start + timeout_;
    if (scope.deadline() != absl::InfiniteFuture()) {
      // Keep back a little of the caller's time (a tenth, at most a second)
      // to send the answer back: a caller whose peer is down then hears why,
      // not only that its own deadline passed.
      const absl::Duration left = scope.deadline() - start;
      deadline = std::min(deadline, scope.deadline() - std::min(absl::Seconds(1), left / 10));
    }
    context.set_deadline(absl::ToChronoTime(deadline));
    context.set_wait_for_ready(readiness_ == PeerReadiness::kWaitForReady);
    for (const auto& [key, value] : *metadata) context.AddMetadata(key, value);
    absl::Status status = FromGrpcStatus(((*stub)->*method)(&context, request, &response));
    if (status.code() == absl::StatusCode::kDeadlineExceeded && !PeerReady()) {
      // Waiting for the peer took the whole deadline: say why, as a failed
      // connection would have.
      const absl::Duration waited = absl::Now() - start;
      const std::string waited_ms = absl::StrCat(absl::ToInt64Milliseconds(waited));
      return Prefixed(
          WithErrorInfo(absl::UnavailableError(absl::StrCat(
                            "not reachable (waited ", absl::FormatDuration(waited), " for it)")),
                        v1::PEER_UNAVAILABLE, {{"peer", callee_}, {"waited_ms", waited_ms}}));
    }
    // A transport failure has no reason of its own: it is the peer's absence.
    if (status.code() == absl::StatusCode::kUnavailable && ErrorReason(status).empty()) {
      return Prefixed(WithErrorInfo(status, v1::PEER_UNAVAILABLE, {{"peer", callee_}}));
    }
    if (!status.ok()) return Prefixed(status);
    return response;
  }

 private:
  absl::StatusOr<Stub*> GetStub() {
    absl::MutexLock lock(&mu_);
    if (stub_ == nullptr) {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
      if (!channel.ok()) return channel.status();
      stub_ = Service::NewStub(*channel);
    }
    return stub_.get();
  }

  bool PeerReady() const {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = channel_.Get();
    return channel.ok() && (*channel)->GetState(false) == GRPC_CHANNEL_READY;
  }

  // Same code and payloads (error details), the callee named in front.
  absl::Status Prefixed(const absl::Status& status) const {
    absl::Status out(status.code(), absl::StrCat(callee_, ": ", status.message()));
    status.ForEachPayload([&out](absl::string_view type_url, const absl::Cord& payload) {
      out.SetPayload(type_url, payload);
    });
    return out;
  }

  const ChannelSlot& channel_;
  const std::string callee_;
  const absl::Duration timeout_;
  const PeerReadiness readiness_;
  absl::Mutex mu_;
  std::unique_ptr<Stub> stub_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_UNARY_CALL_H_
