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

void HealthState::setDependency(const std::string& name, bool ok, const std::string& detail,
                                std::chrono::milliseconds validFor) {
  const auto until = clock_->steadyNow() + validFor;
  std::lock_guard lock(mutex_);
  auto it = dependencies_.find(name);
  if (it == dependencies_.end() || it->second.ok != ok || it->second.detail != detail) {
    spdlog::log(ok ? spdlog::level::info : spdlog::level::warn, "health: /health check {} is {}: {}", name,
                ok ? "up" : "down", detail);
  }
  dependencies_[name] = Dependency{ok, detail, until};
}

void HealthState::requireForHealth(const std::string& componentOrProbe) {
  std::lock_guard lock(mutex_);
  requiredForHealth_.insert(componentOrProbe);
}

HealthState::Report HealthState::health() const {
  static const std::string kUp = R"({"status":"up"})";
  static const std::string kDown = R"({"status":"down"})";
  const auto now = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  bool ok = !dependencies_.empty() || !requiredForHealth_.empty();
  for (const auto& [name, dependency] : dependencies_) ok = ok && dependency.ok && now <= dependency.validUntil;
  for (const auto& name : requiredForHealth_) {
    if (auto c = components_.find(name); c != components_.end()) {
      ok = ok && ready(c->second.state);
    } else if (auto p = probes_.find(name); p != probes_.end()) {
      ok = ok && p->second().ok;
    } else {
      ok = false;  // not reported yet
    }
  }
  return {ok, ok ? kUp : kDown};
}

}  // namespace podmon::status
