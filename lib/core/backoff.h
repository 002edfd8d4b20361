#pragma once

#include <chrono>
#include <functional>
#include <random>

namespace podmon {

struct BackoffParams {
  std::chrono::milliseconds initial{800};
  std::chrono::milliseconds max{30000};
  double factor = 2.0;
  double jitter = 1.0;
  std::chrono::milliseconds resetAfter{120000};
};

// Exponential backoff with jitter, as client-go's reflector does it: 800 ms doubling up to 30 s,
// each delay stretched by a random factor in [1, 1 + jitter), reset after a healthy period.
// Pure: the caller supplies the time and does the sleeping.
class Backoff {
 public:
  using Params = BackoffParams;

  explicit Backoff(Params params = Params{}, uint32_t seed = std::random_device{}());

  // The delay before the next attempt after a failure at `now`.
  std::chrono::milliseconds nextDelay(std::chrono::steady_clock::time_point now);
  // Forget earlier failures (used when an attempt succeeded and stayed healthy).
  void reset() { current_ = std::chrono::milliseconds(0); }
  std::chrono::milliseconds current() const { return current_; }

 private:
  Params params_;
  std::mt19937 rng_;
  std::chrono::milliseconds current_{0};
  std::chrono::steady_clock::time_point lastFailure_{};
};

}  // namespace podmon
