#include "spool/daemon_spool.h"

#include <unistd.h>

#include <filesystem>

#include <spdlog/spdlog.h>

#include "core/errors.h"

namespace podmon::spool {

DaemonSpool::DaemonSpool(Clock::Ptr clock) : clock_(std::move(clock)), worker_(clock_) {}

DaemonSpool::~DaemonSpool() { stop(); }

void DaemonSpool::attach(const SpoolSettings& settings, store::OpenedStore& opened) {
  if (settings.dir.empty()) {
    spdlog::info("spool: off (set SPOOL_DIR to keep crashes on disk while the store is down)");
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(settings.dir, error);
  if (error || ::access(settings.dir.c_str(), W_OK | X_OK) != 0) {
    throw ConfigException("SPOOL_DIR: cannot use '" + settings.dir + "' as a writable folder" +
                          (error ? ": " + error.message() : ""));
  }
  crashes_ =
      std::make_shared<SpoolingCrashRepository>(opened.crashes, settings.dir + "/crashes.spool", settings.maxBytes);
  opened.crashes = crashes_;
  const std::string journal = settings.dir + "/slack-outcomes.journal";
  opened.decorateAlertStates = [this, journal](store::AlertStateStore::Ptr inner) -> store::AlertStateStore::Ptr {
    alerts_ = std::make_shared<JournaledAlertStateStore>(std::move(inner), journal);
    return alerts_;
  };
  spdlog::info("spool: {} (crashes up to {} bytes while the store is down; Slack outcomes journaled)", settings.dir,
               settings.maxBytes);
}

void DaemonSpool::replay() {
  if (alerts_) alerts_->replay();
  if (crashes_) crashes_->replay();
}

void DaemonSpool::start(std::function<void()> onStored) {
  if (!crashes_) return;
  onStored_ = std::move(onStored);
  worker_.startLoop([this] { return round(); });
}

void DaemonSpool::stop() { worker_.stop(); }

std::chrono::milliseconds DaemonSpool::round() {
  if (!crashes_->pending() && !(alerts_ && alerts_->pending())) return kPollInterval;
  try {
    if (alerts_) alerts_->replay();
    if (crashes_->replay() > 0 && onStored_) onStored_();
    backoff_.reset();
    return kPollInterval;
  } catch (const PodmonException& e) {
    const auto delay = backoff_.nextDelay(clock_->steadyNow());
    spdlog::debug("spool: the store cannot take the spool yet ({}); again in {} ms", e.displayText(), delay.count());
    return delay;
  }
}

}  // namespace podmon::spool
