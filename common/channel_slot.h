#ifndef CARESCORE_COMMON_CHANNEL_SLOT_H_
#define CARESCORE_COMMON_CHANNEL_SLOT_H_

// Holds the channel a service uses to call another service. In carescored
// the channel is the hosting server's in-process channel, which exists only
// once the server has started, after the services were built; a standalone
// binary sets a network channel at once. Either way the caller's code path
// is the same gRPC client. The slot also holds what every call on the
// channel carries (the calling service's identity, common/auth/
// service_token.h), made on the calling thread for each call. Thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"

namespace carescore {

class ChannelSlot {
 public:
  using Metadata = std::vector<std::pair<std::string, std::string>>;
  using MetadataSource = std::function<absl::StatusOr<Metadata>()>;

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
  // Set once, before the first call.
  void SetCallMetadata(MetadataSource source) {
    absl::MutexLock lock(&mu_);
    metadata_ = std::move(source);
  }
  // The metadata for one call made now on this thread; none if unset.
  absl::StatusOr<Metadata> CallMetadata() const {
    MetadataSource source;
    {
      absl::MutexLock lock(&mu_);
      source = metadata_;
    }
    if (!source) return Metadata{};
    return source();
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
  MetadataSource metadata_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_CHANNEL_SLOT_H_
