#ifndef CARESCORE_SERVICES_ESCALATIONS_WATCH_STREAMS_H_
#define CARESCORE_SERVICES_ESCALATIONS_WATCH_STREAMS_H_

// Counts open WatchEscalations streams, in total and per caller, and
// refuses one past either cap: each open stream holds a server thread, so
// without a cap a caller could take every thread (1,000 streams made 1,030
// threads). Thread-safe; outlives its tickets.

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace carescore::escalations {

class WatchStreams {
 public:
  // A place among the open streams, given back when destroyed. Move-only.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : owner_(other.owner_), actor_(std::move(other.actor_)) {
      other.owner_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();

   private:
    friend class WatchStreams;
    Ticket(WatchStreams* owner, std::string actor) : owner_(owner), actor_(std::move(actor)) {}
    WatchStreams* owner_;
    std::string actor_;
  };

  WatchStreams(int max_total, int max_per_actor)
      : max_total_(max_total), max_per_actor_(max_per_actor) {}

  // ResourceExhausted, saying which cap, when `actor` already has
  // max_per_actor streams open or max_total are open.
  absl::StatusOr<Ticket> Open(const std::string& actor);
  int open() const;

 private:
  void Close(const std::string& actor);

  const int max_total_;
  const int max_per_actor_;
  mutable absl::Mutex mu_;
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int> by_actor_ ABSL_GUARDED_BY(mu_);
};

}  // namespace carescore::escalations

#endif  // CARESCORE_SERVICES_ESCALATIONS_WATCH_STREAMS_H_
