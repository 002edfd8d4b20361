#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "core/backoff.h"
#include "core/clock.h"

namespace podmon {

// The one background thread of a long-running part (leader election, metrics poller, crash
// recorder, outbox workers, pod watch): start, stop, wake, and sleeps that end early on stop or
// wake. Sleeps are measured on the injected Clock, so tests with a simulated clock decide when a
// sleep is over instead of waiting for real time to pass. Without start() it is a stop-aware
// sleeper for a loop that runs on a thread someone else owns.
class WorkerThread {
 public:
  explicit WorkerThread(Clock::Ptr clock = SystemClock::instance());
  // Stops and joins.
  ~WorkerThread();
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Runs `body` on a new thread unless one runs already; clears an earlier stop request. The
  // body should return soon once stopping() is true. Throws std::system_error when no thread
  // can be created.
  void start(std::function<void()> body);
  // Runs `round` until stopped, sleeping the delay each round returns (cut short by wake()).
  void startLoop(std::function<std::chrono::milliseconds()> round);
  // Requests a stop, ends any sleep, and joins the thread when start() made one. Idempotent.
  // Returns true when it joined a thread (false when none was running).
  bool stop();
  // Requests a stop and ends any sleep without joining (for a loop on a thread owned elsewhere).
  void requestStop();
  // Ends the current sleep now, or the next one at once when none is under way.
  void wake();
  bool stopping() const;

  // Sleeps `delay` on the clock; returns early on stop or wake. Returns false when stopping.
  bool sleepFor(std::chrono::milliseconds delay);
  // Calls `attempt` until it returns true, sleeping `backoff`'s next delay (with its jitter)
  // between tries; `onRetry` hears each delay before the sleep. Resets the backoff on success.
  // Returns false when stopped before `attempt` succeeded. Throws what `attempt` throws.
  bool retryUntilDone(Backoff& backoff, const std::function<bool()>& attempt,
                      const std::function<void(std::chrono::milliseconds)>& onRetry = {});

 private:
  Clock::Ptr clock_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace podmon
