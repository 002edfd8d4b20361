#include "watch_script.h"

#include <stdexcept>

namespace podmon::kubesim {

void WatchScript::set(const Settings& settings) {
  std::lock_guard lock(mu_);
  settings_ = settings;
}

WatchScript::Settings WatchScript::get() const {
  std::lock_guard lock(mu_);
  return settings_;
}

WatchScript::Answer WatchScript::take() {
  std::lock_guard lock(mu_);
  if (settings_.answer == Answer::kNormal || settings_.count == 0) return Answer::kNormal;
  if (settings_.count > 0) --settings_.count;
  ++served_;
  return settings_.answer;
}

uint64_t WatchScript::served() const {
  std::lock_guard lock(mu_);
  return served_;
}

WatchScript::Answer WatchScript::parseAnswer(const std::string& name) {
  if (name == "normal") return Answer::kNormal;
  if (name == "gone-status") return Answer::kGoneStatus;
  if (name == "gone-event") return Answer::kGoneEvent;
  if (name == "malformed") return Answer::kMalformed;
  throw std::invalid_argument("unknown watch answer '" + name +
                              "' (expected normal, gone-status, gone-event or malformed)");
}

}  // namespace podmon::kubesim
