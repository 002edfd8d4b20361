#include "log_faults.h"

namespace podmon::kubesim {

void LogFaults::set(const Settings& settings) {
  std::lock_guard lock(mu_);
  settings_ = settings;
  podDelayMs_.clear();
}

void LogFaults::setPodDelay(const std::string& namespace_, const std::string& pod, int delayMs) {
  std::lock_guard lock(mu_);
  if (delayMs <= 0) podDelayMs_.erase(namespace_ + "/" + pod);
  else podDelayMs_[namespace_ + "/" + pod] = delayMs;
}

int LogFaults::takeDelayMs(const std::string& namespace_, const std::string& pod) {
  {
    std::lock_guard lock(mu_);
    auto it = podDelayMs_.find(namespace_ + "/" + pod);
    if (it != podDelayMs_.end()) return it->second;
  }
  return takeDelayMs();
}

std::size_t LogFaults::podDelays() const {
  std::lock_guard lock(mu_);
  return podDelayMs_.size();
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
