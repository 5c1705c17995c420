#include "ingest/aws/work_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace ecsguard::ingest::aws {

WorkPool::WorkPool(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Loop(); });
}

WorkPool::~WorkPool() {
  Wait();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkPool::Submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  work_.notify_one();
}

void WorkPool::Wait() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return jobs_.empty() && running_ == 0; });
}

void WorkPool::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();
    lock.lock();
    --running_;
    if (jobs_.empty() && running_ == 0) idle_.notify_all();
  }
}

void ParallelFor(WorkPool* pool, size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (!pool || n == 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  // Shared with the helpers, which may start after this call has returned (and find nothing
  // left to do): they hold the state, and `fn` is only touched for an index they claimed.
  struct State {
    std::atomic<size_t> next{0};
    size_t n = 0;
    const std::function<void(size_t)>* fn = nullptr;
    std::mutex mu;
    std::condition_variable done_cv;
    size_t done = 0;
  };
  auto state = std::make_shared<State>();
  state->n = n;
  state->fn = &fn;
  auto work = [](const std::shared_ptr<State>& s) {
    for (size_t i; (i = s->next.fetch_add(1)) < s->n;) {
      (*s->fn)(i);
      std::lock_guard lock(s->mu);
      if (++s->done == s->n) s->done_cv.notify_all();
    }
  };
  size_t helpers = std::min(n - 1, static_cast<size_t>(pool->size()));
  for (size_t h = 0; h < helpers; ++h) pool->Submit([state, work] { work(state); });
  work(state);
  std::unique_lock lock(state->mu);
  state->done_cv.wait(lock, [&] { return state->done == state->n; });
}

}  // namespace ecsguard::ingest::aws
