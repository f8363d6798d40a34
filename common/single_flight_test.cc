#include "common/single_flight.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(SingleFlightTest, ConcurrentMissesComputeOnce) {
  SingleFlight flights;
  std::atomic<int> computed{0};
  std::vector<std::thread> threads;
  absl::Notification go;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      go.WaitForNotification();
      auto r = flights.Do("key", [&]() -> absl::StatusOr<std::string> {
        computed.fetch_add(1);
        absl::SleepFor(absl::Milliseconds(200));
        return std::string("card");
      });
      EXPECT_EQ(r.value_or(""), "card");
    });
  }
  go.Notify();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(computed.load(), 1);
}

TEST(SingleFlightTest, ErrorsAreSharedAndNotKept) {
  SingleFlight flights;
  auto failed = flights.Do(
      "key", []() -> absl::StatusOr<std::string> { return absl::UnavailableError("down"); });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  // The next call computes again: nothing outlives a computation.
  auto again = flights.Do("key", []() -> absl::StatusOr<std::string> { return std::string("up"); });
  EXPECT_EQ(again.value_or(""), "up");
}

}  // namespace
}  // namespace carescore
