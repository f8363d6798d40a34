#ifndef CARESCORE_COMMON_CALL_SCOPE_H_
#define CARESCORE_COMMON_CALL_SCOPE_H_

// What the call being served allows the work done for it: a deadline and a
// way to ask whether the caller has gone (cancelled, or disconnected). No
// gRPC here: the wire edge fills a scope from its ServerContext
// (common/server_call_scope.h) and the rules, the renderers and the peer
// calls (common/unary_call.h) read it, so long work stops once nobody waits
// for its answer and calls to other services carry what is left of the
// caller's deadline.
//
// The edge installs the scope on its thread with ScopedCallScope for as long
// as the call runs; CallScope::Current() reads it there. Work handed to
// another thread does not see a thread's scope: capture Current() (a copy)
// in the task and install it there with ScopedCallScope. A scope made by
// the edge asks the call itself whether it was cancelled, so use it (and
// its copies) only while that call is being served. Copies are cheap and
// thread-safe to read.

#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace carescore {

class CallScope {
 public:
  // True once the caller has gone. Must be safe to call from any thread.
  using CancelledFn = std::function<bool()>;

  // No deadline and never cancelled: work done for nobody in particular
  // (start-up, background jobs, tests).
  CallScope() = default;
  // `cancelled` may be empty (never cancelled).
  CallScope(absl::Time deadline, CancelledFn cancelled)
      : deadline_(deadline), cancelled_(std::move(cancelled)) {}

  // absl::InfiniteFuture() when the caller set none.
  absl::Time deadline() const { return deadline_; }
  // The caller has cancelled the call or gone away.
  bool Cancelled() const { return cancelled_ && cancelled_(); }
  // OK while the work may go on; Cancelled if the caller has gone;
  // DeadlineExceeded once the deadline has passed. `what` names the work
  // in the message ("printing the PDF").
  absl::Status Check(absl::string_view what = "the call") const;

  // The scope installed on this thread, or a scope with no deadline.
  static const CallScope& Current();

 private:
  absl::Time deadline_ = absl::InfiniteFuture();
  CancelledFn cancelled_;
};

// Makes `scope` this thread's CallScope::Current() until destroyed (then
// the one before it is current again). Not copyable; destroy on the
// thread that made it.
class ScopedCallScope {
 public:
  explicit ScopedCallScope(CallScope scope);
  ~ScopedCallScope();
  ScopedCallScope(const ScopedCallScope&) = delete;
  ScopedCallScope& operator=(const ScopedCallScope&) = delete;

 private:
  CallScope scope_;
  const CallScope* previous_;
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_CALL_SCOPE_H_
