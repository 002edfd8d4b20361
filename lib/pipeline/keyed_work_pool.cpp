#include "pipeline/keyed_work_pool.h"

#include <stdexcept>

namespace podmon::pipeline {

KeyedWorkPool::KeyedWorkPool(std::size_t workers, std::size_t capacity) : workers_(workers), capacity_(capacity) {
  if (workers == 0) throw std::invalid_argument("work pool: at least one worker");
  if (capacity == 0) throw std::invalid_argument("work pool: a capacity of at least one job");
}

KeyedWorkPool::~KeyedWorkPool() { stop(); }

void KeyedWorkPool::start() {
  std::lock_guard lock(mutex_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this] { run(); });
}

void KeyedWorkPool::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_.notify_all();
  space_.notify_all();
  for (auto& t : threads) t.join();
  std::lock_guard lock(mutex_);
  waiting_.clear();
  ready_.clear();
  pending_ = running_.size();  // 0: every thread has finished its job
  idle_.notify_all();
}

bool KeyedWorkPool::submit(const std::string& key, Job job) {
  std::unique_lock lock(mutex_);
  space_.wait(lock, [this] { return stopping_ || pending_ < capacity_; });
  if (stopping_) return false;
  auto& jobs = waiting_[key];
  jobs.push_back(std::move(job));
  ++pending_;
  // A key already running or queued is made ready again when its current job ends.
  if (jobs.size() == 1 && !running_.count(key)) {
    ready_.push_back(key);
    work_.notify_one();
  }
  return true;
}

bool KeyedWorkPool::busy(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return waiting_.count(key) > 0 || running_.count(key) > 0;
}

std::size_t KeyedWorkPool::pending() const {
  std::lock_guard lock(mutex_);
  return pending_;
}

bool KeyedWorkPool::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return pending_ == 0; });
}

void KeyedWorkPool::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
    if (stopping_) return;
    const std::string key = std::move(ready_.front());
    ready_.pop_front();
    auto it = waiting_.find(key);
    Job job = std::move(it->second.front());
    it->second.pop_front();
    if (it->second.empty()) waiting_.erase(it);
    running_.insert(key);
    lock.unlock();
    job();
    lock.lock();
    running_.erase(key);
    --pending_;
    if (waiting_.count(key)) {
      ready_.push_back(key);
      work_.notify_one();
    }
    space_.notify_all();
    if (pending_ == 0) idle_.notify_all();
  }
}

}  // namespace podmon::pipeline
