#include "common/call_scope.h"

#include "absl/strings/str_cat.h"

namespace carescore {
namespace {

// A pointer, not a scope: installing one must not copy its function, and a
// thread with none installed reads the shared empty scope.
thread_local const CallScope* current_scope = nullptr;

}  // namespace

absl::Status CallScope::Check(absl::string_view what) const {
  // Cancellation first: a caller that has gone needs no deadline message.
  if (Cancelled()) return absl::CancelledError(absl::StrCat("the caller cancelled ", what));
  if (absl::Now() >= deadline_) {
    return absl::DeadlineExceededError(absl::StrCat("the caller's deadline passed during ", what));
  }
  return absl::OkStatus();
}

const CallScope& CallScope::Current() {
  static const CallScope* const kNone = new CallScope();
  return current_scope != nullptr ? *current_scope : *kNone;
}

ScopedCallScope::ScopedCallScope(CallScope scope)
    : scope_(std::move(scope)), previous_(current_scope) {
  current_scope = &scope_;
}

ScopedCallScope::~ScopedCallScope() { current_scope = previous_; }

}  // namespace carescore
