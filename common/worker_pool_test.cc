#include "common/worker_pool.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnItsThreadsAndDrainsOnDestruction) {
  std::atomic<int> ran{0};
  absl::Mutex mu;
  std::set<std::thread::id> seen;
  {
    WorkerPool pool(3);
    for (int i = 0; i < 200; ++i) {
      pool.Submit([&] {
        ran.fetch_add(1);
        absl::MutexLock lock(&mu);
        seen.insert(std::this_thread::get_id());
      });
    }
  }  // Joins after running all 200.
  EXPECT_EQ(ran.load(), 200);
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 0u);
  EXPECT_LE(seen.size(), 3u);
}

TEST(WorkerPoolTest, TasksRunConcurrently) {
  WorkerPool pool(2);
  absl::Notification first_started;
  absl::Notification second_ran;
  // The first task waits for the second: with one thread this would hang.
  pool.Submit([&] {
    first_started.Notify();
    second_ran.WaitForNotification();
  });
  pool.Submit([&] { second_ran.Notify(); });
  EXPECT_TRUE(second_ran.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

}  // namespace
}  // namespace carescore
