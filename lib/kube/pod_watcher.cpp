#include "kube/pod_watcher.h"

#include <malloc.h>
#include <pthread.h>

#include <spdlog/spdlog.h>

#include "core/errors.h"

namespace podmon::kube {
namespace {

// Control flow inside the watch loop (not errors the caller sees).
struct ResourceExpired {
  std::string message;
};
struct MalformedEvent {
  std::string message;
};

int64_t steadyMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.steadyNow().time_since_epoch()).count();
}

}  // namespace

PodWatcher::PodWatcher(KubeApi::Ptr api, PodWatcherOptions options, PodEventHandler& handler, WatchStats& stats,
                       Clock::Ptr clock)
    : api_(std::move(api)),
      options_(std::move(options)),
      handler_(handler),
      stats_(stats),
      clock_(std::move(clock)),
      backoff_(options_.backoff),
      rng_(std::random_device{}()),
      sleeper_(clock_) {}

void PodWatcher::stop() {
  stopping_ = true;
  api_->abort();
  sleeper_.requestStop();
}

void PodWatcher::sleepFor(std::chrono::milliseconds delay) { sleeper_.sleepFor(delay); }

void PodWatcher::markProgress() { stats_.lastProgressSteadyMs = steadyMs(*clock_); }

void PodWatcher::listAndSync(bool initial) {
  const auto started = clock_->steadyNow();
  handler_.onSyncStart(initial);
  std::size_t count = 0;
  resourceVersion_ = api_->listPods(options_.query, [&](PodSnapshot&& pod) {
    if (ignored(pod.namespace_)) return;
    ++count;
    handler_.onSyncPod(pod);
  });
  handler_.onSyncEnd();
  // The list's pages (megabytes each) were freed, but glibc keeps freed heap for reuse; hand it
  // back to the system so the resident set is what the tracked state needs.
  malloc_trim(0);
  ++stats_.lists;
  stats_.synced = true;
  markProgress();
  spdlog::info("listed {} pods{} at resourceVersion {} in {} ms", count,
               options_.query.namespace_.empty() ? "" : " in namespace " + options_.query.namespace_, resourceVersion_,
               std::chrono::duration_cast<std::chrono::milliseconds>(clock_->steadyNow() - started).count());
}

void PodWatcher::handleLine(std::string_view line) {
  if (stopping_) throw KubeException("stopping");
  WatchEvent event;
  try {
    event = parser_.parseWatchEvent(line);
  } catch (const KubeException& e) {
    throw MalformedEvent{e.message()};
  }
  ++stats_.events;
  ++eventsThisWatch_;
  markProgress();
  switch (event.type) {
    case WatchEvent::Type::kBookmark:
      ++stats_.bookmarks;
      resourceVersion_ = event.resourceVersion;
      return;
    case WatchEvent::Type::kError:
      ++stats_.errorEvents;
      if (event.errorCode == 410) throw ResourceExpired{event.errorMessage};
      throw KubeException("watch ERROR event: " + event.errorMessage, event.errorCode);
    case WatchEvent::Type::kAdded: ++stats_.added; break;
    case WatchEvent::Type::kModified: ++stats_.modified; break;
    case WatchEvent::Type::kDeleted: ++stats_.deleted; break;
  }
  if (!event.resourceVersion.empty()) resourceVersion_ = event.resourceVersion;
  if (ignored(event.pod.namespace_)) return;
  handler_.onPodEvent(event);
}

void PodWatcher::watchOnce() {
  int timeout = std::uniform_int_distribution<int>(options_.minTimeoutSeconds, options_.maxTimeoutSeconds)(rng_);
  eventsThisWatch_ = 0;
  auto started = clock_->steadyNow();
  api_->watchPods(options_.query, resourceVersion_, timeout, [this](std::string_view line) { handleLine(line); });
  if (eventsThisWatch_ == 0 && clock_->steadyNow() - started < std::chrono::seconds(1)) {
    throw KubeException("watch closed within a second without events");
  }
}

void PodWatcher::backOffAfter(Failure kind, const std::string& what) {
  const auto now = clock_->steadyNow();
  const auto delay = backoff_.nextDelay(now);
  if (kind == Failure::kExpired || resourceVersion_.empty()) needList_ = true;
  if (!needList_) ++stats_.resumes;
  auto& limiter = kind == Failure::kExpired ? expiredLog_ : kind == Failure::kMalformed ? malformedLog_ : errorLog_;
  if (auto counted = limiter.record(now)) {
    const auto next =
        needList_ ? std::string("relisting") : "resuming the watch from resourceVersion " + resourceVersion_;
    const auto level = kind == Failure::kExpired ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "{}: {} in {} ms{}", what, next, delay.count(), *counted);
  }
  sleepFor(delay);
}

void PodWatcher::run() {
  // A name for the thread, so profilers and benchmarks can tell its CPU time from the rest.
  pthread_setname_np(pthread_self(), "podmon-watch");
  bool initial = true;
  while (!stopping_) {
    bool listing = needList_;
    try {
      if (needList_) {
        listAndSync(initial);
        initial = false;
        needList_ = false;
        listing = false;
      }
      watchOnce();
      // A clean end of the stream (timeoutSeconds): watch again from the last resourceVersion.
      ++stats_.reconnects;
    } catch (const ResourceExpired& e) {
      ++stats_.relistsGone;
      backOffAfter(Failure::kExpired, "watch resourceVersion expired (" + e.message + ")");
    } catch (const MalformedEvent& e) {
      ++stats_.malformedEvents;
      if (resourceVersion_.empty()) ++stats_.relistsMalformed;
      backOffAfter(Failure::kMalformed, "malformed watch event (" + e.message + ")");
    } catch (const Poco::Exception& e) {
      if (stopping_) break;
      ++stats_.errors;
      if (e.code() == 410) {
        ++stats_.relistsGone;
        backOffAfter(Failure::kExpired, std::string(listing ? "pod list" : "pod watch") + " answered 410 Gone");
        continue;
      }
      backOffAfter(Failure::kError, std::string(listing ? "pod list" : "pod watch") + " failed: " + e.displayText());
    } catch (const std::exception& e) {
      if (stopping_) break;
      ++stats_.errors;
      backOffAfter(Failure::kError, std::string("pod watch failed unexpectedly: ") + e.what());
    }
  }
}

}  // namespace podmon::kube
