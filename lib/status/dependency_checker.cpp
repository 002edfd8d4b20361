#include "status/dependency_checker.h"

#include <Poco/Exception.h>

#include <exception>

namespace podmon::status {

DependencyChecker::DependencyChecker(HealthState& health, Clock::Ptr clock)
    : health_(health), worker_(std::move(clock)) {}

DependencyChecker::~DependencyChecker() { stop(); }

void DependencyChecker::add(std::string name, Check check) {
  std::lock_guard lock(mutex_);
  checks_.emplace_back(std::move(name), std::move(check));
}

void DependencyChecker::runOnce() {
  std::vector<std::pair<std::string, Check>> checks;
  std::chrono::milliseconds validFor;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
    validFor = validFor_;
  }
  for (const auto& [name, check] : checks) {
    try {
      check();
      health_.setDependency(name, true, "reachable", validFor);
    } catch (const Poco::Exception& e) {  // its what() is only the class name
      health_.setDependency(name, false, e.message().empty() ? e.displayText() : e.message(), validFor);
    } catch (const std::exception& e) {
      health_.setDependency(name, false, e.what(), validFor);
    } catch (...) {
      health_.setDependency(name, false, "the check failed", validFor);
    }
  }
}

void DependencyChecker::start(std::chrono::milliseconds interval, std::chrono::milliseconds validFor) {
  {
    std::lock_guard lock(mutex_);
    validFor_ = validFor;
  }
  worker_.startLoop([this, interval] {
    runOnce();
    return interval;
  });
}

void DependencyChecker::stop() { worker_.stop(); }

}  // namespace podmon::status
