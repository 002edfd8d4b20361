#include "core/clock.h"

namespace podmon {

Clock::Ptr SystemClock::instance() {
  static Ptr clock = std::make_shared<SystemClock>();
  return clock;
}

}  // namespace podmon
