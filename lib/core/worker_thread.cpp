#include "core/worker_thread.h"

#include <utility>

namespace podmon {

WorkerThread::WorkerThread(Clock::Ptr clock) : clock_(std::move(clock)) {}

WorkerThread::~WorkerThread() { stop(); }

void WorkerThread::start(std::function<void()> body) {
  std::lock_guard lock(mutex_);
  stopping_ = false;
  if (!thread_.joinable()) thread_ = std::thread(std::move(body));
}

void WorkerThread::startLoop(std::function<std::chrono::milliseconds()> round) {
  start([this, round = std::move(round)] {
    while (!stopping()) sleepFor(round());
  });
}

bool WorkerThread::stop() {
  requestStop();
  if (!thread_.joinable()) return false;
  thread_.join();
  return true;
}

void WorkerThread::requestStop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
}

void WorkerThread::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool WorkerThread::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool WorkerThread::sleepFor(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  clock_->waitUntil(cv_, lock, clock_->steadyNow() + delay, [this] { return stopping_ || woken_; });
  woken_ = false;
  return !stopping_;
}

bool WorkerThread::retryUntilDone(Backoff& backoff, const std::function<bool()>& attempt,
                                  const std::function<void(std::chrono::milliseconds)>& onRetry) {
  while (!attempt()) {
    const auto delay = backoff.nextDelay(clock_->steadyNow());
    if (onRetry) onRetry(delay);
    if (!sleepFor(delay)) return false;
  }
  backoff.reset();
  return true;
}

}  // namespace podmon
