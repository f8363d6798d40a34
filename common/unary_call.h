#ifndef CARESCORE_COMMON_UNARY_CALL_H_
#define CARESCORE_COMMON_UNARY_CALL_H_

// The one way a service calls another service's unary RPCs: a stub made
// once for the slot's channel and shared (stubs are thread-safe), a deadline
// on every call, the slot's metadata (the service's identity) on every
// call, and errors that keep their
// code with the callee's name in front of the message ("indicator service:
// no LA with code 999"). Thread-safe.
//
//   UnaryCaller<v1::IndicatorService> caller(slot, "indicator service");
//   absl::StatusOr<v1::GetIndicatorResponse> got =
//       caller.Call(&v1::IndicatorService::Stub::GetIndicator, request);

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/channel_slot.h"
#include "common/grpc_status.h"
#include "grpcpp/client_context.h"

namespace carescore {

// The deadline other services' calls get unless told otherwise.
inline constexpr absl::Duration kDefaultPeerTimeout = absl::Seconds(30);

template <typename Service>
class UnaryCaller {
 public:
  using Stub = typename Service::Stub;

  // `channel` outlives *this. `callee` names the service in errors.
  UnaryCaller(const ChannelSlot& channel, std::string callee,
              absl::Duration timeout = kDefaultPeerTimeout)
      : channel_(channel), callee_(std::move(callee)), timeout_(timeout) {}

  // Unavailable while the slot has no channel; the metadata source's error
  // if it cannot make this call's metadata; otherwise the call's status.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) {
    absl::StatusOr<Stub*> stub = GetStub();
    if (!stub.ok()) return Prefixed(stub.status());
    absl::StatusOr<ChannelSlot::Metadata> metadata = channel_.CallMetadata();
    if (!metadata.ok()) return Prefixed(metadata.status());
    Response response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
    for (const auto& [key, value] : *metadata) context.AddMetadata(key, value);
    absl::Status status = FromGrpcStatus(((*stub)->*method)(&context, request, &response));
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
  absl::Mutex mu_;
  std::unique_ptr<Stub> stub_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_UNARY_CALL_H_
