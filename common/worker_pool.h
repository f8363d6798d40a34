#ifndef CARESCORE_COMMON_WORKER_POOL_H_
#define CARESCORE_COMMON_WORKER_POOL_H_

// A fixed set of threads running submitted tasks in order of submission:
// for gRPC callback handlers, which must not block gRPC's own threads, to
// hand blocking work to. Thread-safe. Destruction runs every task already
// submitted, then joins.

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace carescore {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace carescore

#endif  // CARESCORE_COMMON_WORKER_POOL_H_
