#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace podmon {

// Turns SIGINT/SIGTERM into a stop request every part of the process can wait on. Construct it
// first in main(), before any other thread starts, so the signals are blocked everywhere and only
// its own thread receives them.
class Shutdown {
 public:
  Shutdown();
  ~Shutdown();
  Shutdown(const Shutdown&) = delete;
  Shutdown& operator=(const Shutdown&) = delete;

  bool requested() const;
  // Blocks until a stop is requested.
  void wait();
  // Sleeps up to `d`; returns true when a stop was requested meanwhile.
  bool waitFor(std::chrono::milliseconds d);
  // Requests a stop (as a signal would).
  void request();
  int signal() const { return signal_; }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool requested_ = false;
  int signal_ = 0;
  std::thread thread_;
};

}  // namespace podmon
