#include "common/call_scope.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(CallScopeTest, NoScopeHasNoDeadlineAndIsNeverCancelled) {
  const CallScope& none = CallScope::Current();
  EXPECT_EQ(none.deadline(), absl::InfiniteFuture());
  EXPECT_FALSE(none.Cancelled());
  EXPECT_TRUE(none.Check().ok());
}

TEST(CallScopeTest, PassedDeadlineIsDeadlineExceeded) {
  CallScope scope(absl::Now() - absl::Milliseconds(1), nullptr);
  EXPECT_EQ(scope.Check("printing").code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(scope.Check("printing").message().find("printing"), absl::string_view::npos);
}

TEST(CallScopeTest, CancelledCallerIsCancelledEvenBeforeTheDeadline) {
  std::atomic<bool> gone = false;
  CallScope scope(absl::Now() + absl::Hours(1), [&gone] { return gone.load(); });
  EXPECT_TRUE(scope.Check().ok());
  gone = true;
  EXPECT_TRUE(scope.Cancelled());
  EXPECT_EQ(scope.Check().code(), absl::StatusCode::kCancelled);
}

TEST(CallScopeTest, ScopedCallScopeNestsAndRestores) {
  const absl::Time outer_deadline = absl::Now() + absl::Seconds(5);
  const absl::Time inner_deadline = absl::Now() + absl::Seconds(1);
  {
    ScopedCallScope outer(CallScope(outer_deadline, nullptr));
    EXPECT_EQ(CallScope::Current().deadline(), outer_deadline);
    {
      ScopedCallScope inner(CallScope(inner_deadline, nullptr));
      EXPECT_EQ(CallScope::Current().deadline(), inner_deadline);
    }
    EXPECT_EQ(CallScope::Current().deadline(), outer_deadline);
  }
  EXPECT_EQ(CallScope::Current().deadline(), absl::InfiniteFuture());
}

TEST(CallScopeTest, AnotherThreadSeesTheScopeOnlyWhenItIsCarriedThere) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  ScopedCallScope scoped(CallScope(deadline, nullptr));
  absl::Time seen_bare;
  absl::Time seen_carried;
  std::thread bare([&] { seen_bare = CallScope::Current().deadline(); });
  bare.join();
  std::thread carried([&seen_carried, scope = CallScope::Current()] {
    ScopedCallScope installed(scope);
    seen_carried = CallScope::Current().deadline();
  });
  carried.join();
  EXPECT_EQ(seen_bare, absl::InfiniteFuture());
  EXPECT_EQ(seen_carried, deadline);
}

}  // namespace
}  // namespace carescore
