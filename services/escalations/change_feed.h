#ifndef CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_
#define CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_

// Fans out escalation changes to watchers (dashboards). Keeps the last
// `capacity` changes; a watcher that falls further behind skips to the
// oldest kept. Thread-safe.
//
// On its own a feed serves the watchers of one process. Replicas that share
// a database attach a Relay (PgChangeRelay): Publish then hands each change
// to the relay instead of keeping it, and the relay Delivers every
// replica's changes, this one's included, into every replica's feed, so
// each change reaches each watcher once.

#include <cstdint>
#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "carescore/v1/escalations.pb.h"

namespace carescore::escalations {

class ChangeFeed {
 public:
  // Carries changes between the feeds of replicas.
  class Relay {
   public:
    virtual ~Relay() = default;
    // Sends `change` to every replica's feed, this one's included, which
    // receive it through Deliver (later, on the relay's thread). An error
    // means it was sent nowhere. Must not call SetRelay.
    [[nodiscard]] virtual absl::Status Send(const v1::WatchEscalationsResponse& change) = 0;
  };

  explicit ChangeFeed(size_t capacity = 1024) : capacity_(capacity) {}

  // A change made by this process: through the relay if one is attached,
  // else straight to this feed. If the relay fails to send it, it is
  // delivered here only (and a warning logged): other replicas' watchers
  // miss it, this one's do not.
  void Publish(const v1::WatchEscalationsResponse& change);
  // Adds `change` to this feed alone, for its watchers: what a relay calls.
  void Deliver(const v1::WatchEscalationsResponse& change);
  // Routes Publish through `relay` (borrowed) from now on; nullptr goes
  // back to local delivery. Waits for Publish calls still in the previous
  // relay, so once this returns that relay is no longer used.
  void SetRelay(Relay* relay);

  // The sequence number the next published change will get; a new watcher
  // starts here.
  uint64_t Next() const;
  // The change numbered `*cursor` (or the oldest kept, if that is gone),
  // advancing `*cursor`; waits up to `timeout` for one. Nothing on timeout.
  std::optional<v1::WatchEscalationsResponse> Wait(uint64_t* cursor, absl::Duration timeout);

 private:
  const size_t capacity_;
  // Separate from mu_: a relay's Send talks to the database, and watchers
  // must not wait for it.
  absl::Mutex relay_mu_;
  Relay* relay_ ABSL_GUARDED_BY(relay_mu_) = nullptr;
  mutable absl::Mutex mu_;
  std::deque<v1::WatchEscalationsResponse> changes_ ABSL_GUARDED_BY(mu_);
  uint64_t first_ ABSL_GUARDED_BY(mu_) = 0;  // Sequence number of changes_.front().
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_CHANGE_FEED_H_
