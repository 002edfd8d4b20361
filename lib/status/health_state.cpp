#include "status/health_state.h"

#include <Poco/JSON/Object.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace podmon::status {
namespace {

std::string render(bool ok, const Poco::JSON::Object::Ptr& components) {
  Poco::JSON::Object root;
  root.set("status", ok ? "ok" : "failing");
  root.set("components", components);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

bool ready(ComponentState state) { return state == ComponentState::kUp || state == ComponentState::kStandby; }

}  // namespace

std::string_view toString(ComponentState state) {
  switch (state) {
    case ComponentState::kUp: return "up";
    case ComponentState::kDown: return "down";
    case ComponentState::kStarting: return "starting";
    case ComponentState::kStandby: return "standby";
  }
  return "unknown";
}

HealthState::HealthState(Clock::Ptr clock) : clock_(std::move(clock)) {}

void HealthState::beat(const std::string& loop, std::chrono::milliseconds stallLimit) {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  loops_[loop] = Loop{now, stallLimit};
  if (stalledLogged_.erase(loop) > 0) spdlog::info("health: loop {} makes progress again", loop);
}

void HealthState::forget(const std::string& loop) {
  std::lock_guard lock(mutex_);
  loops_.erase(loop);
  stalledLogged_.erase(loop);
}

void HealthState::setComponent(const std::string& name, ComponentState state, const std::string& detail) {
  std::lock_guard lock(mutex_);
  auto it = components_.find(name);
  if (it != components_.end() && it->second.state == state && it->second.detail == detail) return;
  const auto level = state == ComponentState::kDown ? spdlog::level::warn : spdlog::level::info;
  spdlog::log(level, "health: {} is {}: {}", name, toString(state), detail);
  components_[name] = Component{state, detail};
}

void HealthState::setCheck(const std::string& name, bool ok, const std::string& detail) {
  setComponent(name, ok ? ComponentState::kUp : ComponentState::kDown, detail);
}

void HealthState::setProbe(const std::string& name, std::function<ProbeAnswer()> probe) {
  std::lock_guard lock(mutex_);
  probes_[name] = std::move(probe);
}

HealthState::Report HealthState::liveness() const {
  auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr components(new Poco::JSON::Object);
  bool ok = true;
  for (const auto& [name, loop] : loops_) {
    bool fine = now - loop.last <= loop.limit;
    ok = ok && fine;
    components->set(name, fine ? "running" : "stalled");
    if (!fine && stalledLogged_.insert(name).second) {
      auto idle = std::chrono::duration_cast<std::chrono::seconds>(now - loop.last);
      spdlog::warn("health: loop {} made no progress for {}s (limit {}s): /healthz fails", name, idle.count(),
                   std::chrono::duration_cast<std::chrono::seconds>(loop.limit).count());
    }
  }
  return {ok, render(ok, components)};
}

HealthState::Report HealthState::readiness() const {
  std::lock_guard lock(mutex_);
  Poco::JSON::Object::Ptr components(new Poco::JSON::Object);
  bool ok = true;
  for (const auto& [name, component] : components_) {
    ok = ok && ready(component.state);
    components->set(name, std::string(toString(component.state)));
  }
  for (const auto& [name, probe] : probes_) {
    const ProbeAnswer answer = probe();
    auto last = probeWasOk_.find(name);
    if (last == probeWasOk_.end() || last->second != answer.ok) {
      spdlog::log(answer.ok ? spdlog::level::info : spdlog::level::warn, "health: {} is {}: {}", name,
                  answer.ok ? "up" : "down", answer.detail);
      probeWasOk_[name] = answer.ok;
    }
    ok = ok && answer.ok;
    components->set(name, std::string(answer.ok ? "up" : "down"));
  }
  return {ok, render(ok, components)};
}

}  // namespace podmon::status
