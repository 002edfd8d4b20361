#pragma once

#include <functional>
#include <memory>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/settings.h"
#include "core/worker_thread.h"
#include "spool/journaled_alert_state_store.h"
#include "spool/spooling_crash_repository.h"
#include "store/store_factory.h"

namespace podmon::spool {

// The daemon's side of SPOOL_DIR, so the daemon needs a few lines only: attach() puts the crash
// spool in front of the opened store's CrashRepository and the Slack outcome journal in front of
// the alert state store the sinks are built with; replay() empties both into the store (at the
// start of each term, before the container state is loaded: a spooled crash then counts in the
// restart baselines and is not detected again); a background thread replays them whenever the
// store is back, with jittered backoff while it is not. Without SPOOL_DIR everything is a no-op.
class DaemonSpool {
 public:
  explicit DaemonSpool(Clock::Ptr clock = SystemClock::instance());
  ~DaemonSpool();

  // Creates the folder and opens the spool files. Throws ConfigException when SPOOL_DIR cannot be
  // used (not creatable, not writable), SpoolException when a spool file cannot be read.
  void attach(const SpoolSettings& settings, store::OpenedStore& opened);
  // Stores what is spooled. Throws StoreException when the store cannot take it yet.
  void replay();
  // Replays in the background until stop(); `onStored` runs after spooled crashes were stored.
  void start(std::function<void()> onStored);
  void stop();
  // For metrics and tests (null without SPOOL_DIR).
  const SpoolingCrashRepository::Ptr& crashes() const { return crashes_; }
  const JournaledAlertStateStore::Ptr& alerts() const { return alerts_; }

 private:
  std::chrono::milliseconds round();

  static constexpr std::chrono::milliseconds kPollInterval{2000};
  Clock::Ptr clock_;
  SpoolingCrashRepository::Ptr crashes_;
  JournaledAlertStateStore::Ptr alerts_;
  std::function<void()> onStored_;
  Backoff backoff_;
  WorkerThread worker_;
};

}  // namespace podmon::spool
