#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace podmon::pipeline {

// Runs jobs on a bounded number of threads, with jobs of one key (a pod) run one at a time in the
// order they were submitted, so one slow job (a hung log fetch) holds up only its own key. The
// number of jobs waiting or running is bounded: submit() blocks while the pool is full, so the
// caller (the watch, through the recorder) is paused rather than anything dropped.
class KeyedWorkPool {
 public:
  using Job = std::function<void()>;
  // Throws std::invalid_argument when workers or capacity is 0.
  KeyedWorkPool(std::size_t workers, std::size_t capacity);
  ~KeyedWorkPool();
  KeyedWorkPool(const KeyedWorkPool&) = delete;
  KeyedWorkPool& operator=(const KeyedWorkPool&) = delete;

  // Starts the threads (again after a stop). Throws std::system_error when no thread can be made.
  void start();
  // Stops taking jobs, lets the running ones finish, joins, and drops the jobs not started.
  void stop();
  // Queues `job` after the key's earlier jobs; blocks while the pool is full. Returns false (the
  // job not taken) when the pool is stopping. A job must not throw.
  bool submit(const std::string& key, Job job);
  // True while a job of `key` waits or runs.
  bool busy(const std::string& key) const;
  // Jobs waiting or running.
  std::size_t pending() const;
  // True when no job waits or runs (before the timeout).
  bool waitIdle(std::chrono::milliseconds timeout);

 private:
  void run();

  const std::size_t workers_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable space_;
  std::condition_variable idle_;
  std::map<std::string, std::deque<Job>> waiting_;  // per key, in submission order
  std::set<std::string> running_;                   // keys with a job on a thread now
  std::deque<std::string> ready_;                   // keys whose next job may start, oldest first
  std::size_t pending_ = 0;
  bool stopping_ = true;
  std::vector<std::thread> threads_;
};

}  // namespace podmon::pipeline
