#pragma once

// WorkPool: a fixed set of threads that run submitted jobs, so that the number of AWS requests
// in flight across a whole scan is bounded by the number of threads (each job makes one request
// at a time). ParallelFor fans work out over the pool from inside a job without deadlocking:
// the calling thread works through the items itself and pool threads only help, so a saturated
// pool slows a fan-out down but never stalls it.
//
//   WorkPool pool(8);
//   pool.Submit([&] { CollectRegion(...); });      // jobs for every account x region
//   ParallelFor(&pool, revisions.size(), [&](size_t i) { Describe(revisions[i]); });
//   pool.Wait();                                   // every submitted job has finished
//
// Thread-safety: every member may be called from any thread, jobs included.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ecsguard::ingest::aws {

class WorkPool {
 public:
  explicit WorkPool(int threads);
  ~WorkPool();  // waits for the submitted jobs, then stops the threads
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void Submit(std::function<void()> job);
  // Blocks until every job submitted so far (and every job those submitted) has finished.
  // Never from inside a job: it would wait for itself.
  void Wait();
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> jobs_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Calls fn(0) ... fn(n - 1), on the calling thread and on up to pool->size() pool threads, and
// returns when every call has returned. With a null pool the calls run in order on this thread.
void ParallelFor(WorkPool* pool, size_t n, const std::function<void(size_t)>& fn);

}  // namespace ecsguard::ingest::aws
