#ifndef CARESCORE_COMMON_VERSION_LEASE_H_
#define CARESCORE_COMMON_VERSION_LEASE_H_

// Version leases: how a service lets its callers keep a data version for a
// short while, instead of asking for it on every request, and still never
// lets them serve anything older than a write that has been answered.
//
// The rule, shared by both sides:
// - a reader that sent its version request at S (its own monotonic clock)
//   may go on using the answer until S + lease, where `lease` comes with the
//   answer;
// - a writer answers a write only once `lease` has passed since the write
//   committed (its own monotonic clock).
// A version read before the commit came from a request sent before it, so
// it lapses before the write is answered; whoever hears of the write and
// then asks a reader gets a version at least as new. Only the clocks' rates
// matter, not their agreement, so this holds across machines.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"

namespace carescore {

// The writer's side. Thread-safe.
class WriteFence {
 public:
  // A zero lease lets no reader keep a version (every request asks).
  explicit WriteFence(absl::Duration lease) : lease_(lease) {}
  absl::Duration lease() const { return lease_; }
  // Call after a write has committed, before answering it: waits out the
  // lease.
  void AfterCommit() const;

 private:
  absl::Duration lease_;
};

// A lease on the wire, and back.
google::protobuf::Duration LeaseToProto(absl::Duration lease);
absl::Duration LeaseFromProto(const google::protobuf::Duration& lease);

// The reader's side: the last version read per key, with when it lapses.
// V is what the fetch returns; `lease_of` says how long the answer is good
// for. Thread-safe. A fetch runs outside the lock, so concurrent callers for
// a lapsed key may each fetch (they are cheap); each answer is good for its
// own lease, so whichever is kept last is sound.
template <typename V>
class LeasedVersions {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Fetch = std::function<absl::StatusOr<V>(const std::string& key)>;

  LeasedVersions(
      Fetch fetch, std::function<absl::Duration(const V&)> lease_of,
      Clock clock = [] { return std::chrono::steady_clock::now(); })
      : fetch_(std::move(fetch)), lease_of_(std::move(lease_of)), clock_(std::move(clock)) {}

  // The held version for `key` if its lease has not lapsed; never fetches.
  std::optional<V> Peek(const std::string& key) {
    const auto now = clock_();
    absl::MutexLock lock(&mu_);
    auto it = held_.find(key);
    if (it != held_.end() && now < it->second.lapses) return it->second.value;
    return std::nullopt;
  }

  // The version for `key`: the held one if its lease has not lapsed,
  // otherwise a fresh one. Errors are the fetch's, and are not held.
  absl::StatusOr<V> Get(const std::string& key) {
    const auto now = clock_();
    {
      absl::MutexLock lock(&mu_);
      auto it = held_.find(key);
      if (it != held_.end() && now < it->second.lapses) return it->second.value;
    }
    // The lease runs from before the request is sent.
    const auto sent = clock_();
    absl::StatusOr<V> fresh = fetch_(key);
    if (!fresh.ok()) return fresh;
    const absl::Duration lease = lease_of_(*fresh);
    if (lease > absl::ZeroDuration()) {
      absl::MutexLock lock(&mu_);
      if (held_.size() > kMaxKeys) held_.clear();  // Bounded; refilled on demand.
      held_[key] = Held{*fresh, sent + absl::ToChronoNanoseconds(lease)};
    }
    return fresh;
  }

 private:
  static constexpr size_t kMaxKeys = 4096;
  struct Held {
    V value;
    std::chrono::steady_clock::time_point lapses;
  };
  Fetch fetch_;
  std::function<absl::Duration(const V&)> lease_of_;
  Clock clock_;
  absl::Mutex mu_;
  std::map<std::string, Held> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_VERSION_LEASE_H_
