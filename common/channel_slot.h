#ifndef CARESCORE_COMMON_CHANNEL_SLOT_H_
#define CARESCORE_COMMON_CHANNEL_SLOT_H_

// Holds the channel a service uses to call another service. In carescored
// the channel is the hosting server's in-process channel, which exists only
// once the server has started, after the services were built; a standalone
// binary sets a network channel at once. Either way the caller's code path
// is the same gRPC client. Thread-safe.

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"

namespace carescore {

class ChannelSlot {
 public:
  void Set(std::shared_ptr<grpc::Channel> channel) {
    absl::MutexLock lock(&mu_);
    channel_ = std::move(channel);
  }
  // Unavailable until Set().
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Get() const {
    absl::MutexLock lock(&mu_);
    if (channel_ == nullptr) return absl::UnavailableError("the server is still starting");
    return channel_;
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_CHANNEL_SLOT_H_
