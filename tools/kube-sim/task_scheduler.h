#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace podmon::kubesim {

// Runs delayed work on one background thread: the second half of a container restart, scenario
// steps. stop() returns promptly and drops pending tasks, so shutting kube-sim down never waits
// for a schedule to play out.
class TaskScheduler {
 public:
  using Task = std::function<void()>;

  TaskScheduler();
  ~TaskScheduler();
  TaskScheduler(const TaskScheduler&) = delete;
  TaskScheduler& operator=(const TaskScheduler&) = delete;

  void schedule(std::chrono::milliseconds delay, Task task);
  void stop();
  size_t pending() const;

 private:
  void run();

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, Task> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace podmon::kubesim
