#include "status/health_state.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace podmon::status {
namespace {

std::string render(bool ok, const Poco::JSON::Object::Ptr& checks) {
  Poco::JSON::Object root;
  root.set("status", ok ? "ok" : "failing");
  root.set("checks", checks);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

}  // namespace

HealthState::HealthState(Clock::Ptr clock) : clock_(std::move(clock)) {}

void HealthState::beat(const std::string& loop, std::chrono::milliseconds stallLimit) {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  loops_[loop] = Loop{now, stallLimit};
}

void HealthState::forget(const std::string& loop) {
  std::lock_guard lock(mutex_);
  loops_.erase(loop);
}

void HealthState::setCheck(const std::string& name, bool ok, const std::string& detail) {
  std::lock_guard lock(mutex_);
  checks_[name] = Check{ok, detail};
}

void HealthState::setProbe(const std::string& name, std::function<ProbeAnswer()> probe) {
  std::lock_guard lock(mutex_);
  probes_[name] = std::move(probe);
}

HealthState::Report HealthState::liveness() const {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr checks(new Poco::JSON::Object);
  bool ok = true;
  for (const auto& [name, loop] : loops_) {
    auto idle = std::chrono::duration_cast<std::chrono::seconds>(now - loop.last);
    bool fine = now - loop.last <= loop.limit;
    ok = ok && fine;
    Poco::JSON::Object::Ptr c(new Poco::JSON::Object);
    c->set("ok", fine);
    c->set("detail", "last progress " + std::to_string(idle.count()) + "s ago");
    checks->set(name, c);
  }
  return {ok, render(ok, checks)};
}

HealthState::Report HealthState::readiness() const {
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr checks(new Poco::JSON::Object);
  bool ok = true;
  std::map<std::string, Check> all = checks_;
  for (const auto& [name, probe] : probes_) {
    const ProbeAnswer answer = probe();
    all[name] = Check{answer.ok, answer.detail};
  }
  for (const auto& [name, check] : all) {
    ok = ok && check.ok;
    Poco::JSON::Object::Ptr c(new Poco::JSON::Object);
    c->set("ok", check.ok);
    c->set("detail", check.detail);
    checks->set(name, c);
  }
  return {ok, render(ok, checks)};
}

}  // namespace podmon::status
