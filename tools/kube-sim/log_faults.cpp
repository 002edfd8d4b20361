#include "log_faults.h"

namespace podmon::kubesim {

void LogFaults::set(const Settings& settings) {
  std::lock_guard lock(mu_);
  settings_ = settings;
}

LogFaults::Settings LogFaults::get() const {
  std::lock_guard lock(mu_);
  return settings_;
}

int LogFaults::takeFailure() {
  std::lock_guard lock(mu_);
  if (settings_.failCount <= 0) return 0;
  --settings_.failCount;
  return settings_.failStatus;
}

int LogFaults::takeDelayMs() {
  std::lock_guard lock(mu_);
  if (settings_.delayMs <= 0 || settings_.delayCount == 0) return 0;
  if (settings_.delayCount > 0) --settings_.delayCount;
  return settings_.delayMs;
}

}  // namespace podmon::kubesim
