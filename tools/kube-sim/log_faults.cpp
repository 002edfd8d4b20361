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

}  // namespace podmon::kubesim
