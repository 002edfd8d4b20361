#include "core/shutdown.h"

#include <pthread.h>
#include <signal.h>

namespace podmon {

namespace {
sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // used internally to wake the waiting thread at destruction
  return set;
}
}  // namespace

Shutdown::Shutdown() {
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    int sig = 0;
    sigwait(&set, &sig);
    std::lock_guard lock(mutex_);
    if (sig != SIGUSR2) signal_ = sig;
    requested_ = true;
    cv_.notify_all();
  });
}

Shutdown::~Shutdown() {
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

bool Shutdown::requested() const {
  std::lock_guard lock(mutex_);
  return requested_;
}

void Shutdown::wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return requested_; });
}

bool Shutdown::waitFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, d, [this] { return requested_; });
}

void Shutdown::request() {
  std::lock_guard lock(mutex_);
  requested_ = true;
  cv_.notify_all();
}

}  // namespace podmon
