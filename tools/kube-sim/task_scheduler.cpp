#include "task_scheduler.h"

#include <spdlog/spdlog.h>

namespace podmon::kubesim {

TaskScheduler::TaskScheduler() : thread_([this] { run(); }) {}

TaskScheduler::~TaskScheduler() { stop(); }

void TaskScheduler::schedule(std::chrono::milliseconds delay, Task task) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  tasks_.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
  wake_.notify_all();
}

void TaskScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    tasks_.clear();
    wake_.notify_all();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

size_t TaskScheduler::pending() const {
  std::lock_guard lock(mu_);
  return tasks_.size();
}

void TaskScheduler::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto due = tasks_.begin()->first;
    if (std::chrono::steady_clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    Task task = std::move(tasks_.begin()->second);
    tasks_.erase(tasks_.begin());
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      // A step against a pod that is gone must not end the schedule.
      spdlog::warn("kube-sim: scheduled task failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace podmon::kubesim
