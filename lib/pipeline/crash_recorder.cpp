#include "pipeline/crash_recorder.h"

#include <malloc.h>

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/errors.h"
#include "crash/crash_fingerprint.h"
#include "crash/nul_bytes.h"
#include "store/rejected_data_exception.h"

namespace podmon::pipeline {

CrashRecorder::CrashRecorder(store::CrashRepository::Ptr crashes, store::ContainerStateStore::Ptr states,
                             CrashEnricher& enricher, std::string clusterName, RecorderOptions options,
                             RecordedCallback onRecorded, Clock::Ptr clock)
    : crashes_(std::move(crashes)),
      states_(std::move(states)),
      enricher_(enricher),
      clusterName_(std::move(clusterName)),
      options_(options),
      onRecorded_(std::move(onRecorded)),
      clock_(std::move(clock)),
      worker_(clock_),
      pool_(options_.enrichWorkers, options_.queueCapacity) {}

CrashRecorder::~CrashRecorder() { stop(); }

void CrashRecorder::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  pool_.start();
  worker_.start([this] { run(); });
}

void CrashRecorder::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  notEmpty_.notify_all();
  notFull_.notify_all();
  idle_.notify_all();
  worker_.requestStop();  // ends the pool's store retries
  pool_.stop();
  worker_.stop();
}

std::size_t CrashRecorder::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + pool_.pending();
}

bool CrashRecorder::waitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // The pool drains while the dispatcher may still hand it work: both idle at once ends the wait.
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (!idle_.wait_until(lock, deadline, [this] { return queue_.empty() && !busy_; })) return false;
    }
    if (!pool_.waitIdle(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero()))))
      return false;
    std::lock_guard lock(mutex_);
    if (queue_.empty() && !busy_ && pool_.pending() == 0) return true;
  }
}

void CrashRecorder::enqueue(Task task) {
  std::unique_lock lock(mutex_);
  if (queue_.size() >= options_.queueCapacity) {
    // Expected for a moment during a large initial list; a long pause means MySQL is slow or down.
    auto now = clock_->steadyNow();
    if (now - lastFullWarning_ > std::chrono::seconds(10)) {
      spdlog::warn("crash queue full ({} waiting, MySQL unavailable?): pausing the watch", queue_.size());
      lastFullWarning_ = now;
    }
    notFull_.wait(lock, [this] { return queue_.size() < options_.queueCapacity || stopping_; });
  }
  if (stopping_) return;
  queue_.push_back(std::move(task));
  notEmpty_.notify_one();
}

void CrashRecorder::onCrash(const crash::CrashEvent& crash) { enqueue(crash); }

void CrashRecorder::onBaseline(const crash::CrashDetector::Baseline& baseline) { enqueue(baseline); }

void CrashRecorder::onPodDeleted(const std::string& namespace_, const std::string& podName, const std::string&) {
  enqueue(Deletion{namespace_, podName});
}

bool CrashRecorder::untilStored(const char* what, const std::function<void()>& op) {
  std::string error;
  Backoff backoff(options_.backoff);  // one per call: the pool's threads store at the same time
  auto attempt = [&] {
    try {
      op();
      if (!storeHealthy_.exchange(true)) spdlog::info("MySQL is reachable again");
      return true;
    } catch (const Poco::Exception& e) {
      ++storeErrors_;
      storeHealthy_ = false;
      error = e.displayText();
      return false;
    }
  };
  return worker_.retryUntilDone(backoff, attempt, [&](std::chrono::milliseconds delay) {
    spdlog::warn("storing {} failed: {}; retrying in {} ms", what, error, delay.count());
  });
}

namespace {

// Drops the largest part the store may refuse; false when nothing is left to drop.
bool dropLargestPart(store::CrashRecord& record) {
  static const std::string kLogRejected = "unavailable: rejected by the store (too long or invalid for its column)";
  if (record.logsStatus != kLogRejected) {
    record.logs.clear();
    record.logsStatus = kLogRejected;
    return true;
  }
  if (!record.eventsJson.empty()) {
    record.eventsJson.clear();
    return true;
  }
  return false;
}

}  // namespace

bool CrashRecorder::storeCrash(store::CrashRecord& record, store::RecordResult& result, bool& stored) {
  int rejections = 0;
  stored = true;
  return untilStored("a crash", [&] {
    while (true) {
      try {
        result = crashes_->recordCrash(record);
        return;
      } catch (const store::RejectedDataException& e) {
        if (++rejections < kRejectedAttempts) throw;  // retried with backoff, like any failure
        rejections = 0;
        const std::string who = record.event.namespace_ + "/" + record.event.podName + "/" + record.event.containerName;
        if (!dropLargestPart(record)) {
          ++rejected_;
          stored = false;
          spdlog::error("the store rejects the crash of {} even without its log and events, not stored: {}", who,
                        e.displayText());
          return;
        }
        // The smaller record is tried at once: the crashes queued behind this one wait no longer.
        spdlog::warn("the store rejects the crash of {} for its data ({}); storing it without its {}", who,
                     e.displayText(), record.eventsJson.empty() ? "log and events" : "log");
      }
    }
  });
}

namespace {

store::ContainerState toState(const crash::CrashDetector::Baseline& b) {
  return store::ContainerState{b.namespace_, b.podName, b.container, b.podUid, b.restartCount, b.reportedTermination};
}

std::string podKey(const std::string& namespace_, const std::string& podName) { return namespace_ + "/" + podName; }

}  // namespace

void CrashRecorder::recordCrash(const crash::CrashEvent& crash) {
  // Enrich once; then keep the record in memory until it is stored.
  store::CrashRecord record = enricher_.enrich(crash);
  crash::replaceNulBytes(record.event, record.logs, record.logsStatus, record.eventsJson);
  // After enrichment (the log is there, redacted) and off the watch thread.
  record.fingerprint = crash::crashFingerprint(crash::fingerprintInput(record.event, record.logs));
  store::RecordResult result;
  bool stored = false;
  if (!storeCrash(record, result, stored) || !stored) return;
  if (result.isNew) {
    ++recorded_;
  } else {
    ++duplicates_;
  }
  if (onRecorded_) onRecorded_(record, result);
}

bool CrashRecorder::dispatchBaselines(std::vector<store::ContainerState>& baselines) {
  std::vector<store::ContainerState> now;
  for (auto& b : baselines) {
    const std::string key = podKey(b.namespace_, b.podName);
    if (!pool_.busy(key)) {
      now.push_back(std::move(b));
      continue;
    }
    auto one = std::vector<store::ContainerState>{std::move(b)};
    if (!pool_.submit(key,
                      [this, one] { untilStored("a baseline", [&] { states_->saveBaselines(clusterName_, one); }); }))
      return false;
  }
  if (now.empty()) return true;
  return untilStored("baselines", [&] { states_->saveBaselines(clusterName_, now); });
}

void CrashRecorder::run() {
  std::vector<store::ContainerState> baselines;
  while (true) {
    Task task;
    baselines.clear();
    {
      std::unique_lock lock(mutex_);
      busy_ = false;
      if (queue_.empty()) idle_.notify_all();
      notEmpty_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      // Baselines queued back to back (an initial list) are stored together, in order: one
      // round trip for many instead of one per container.
      if (auto* baseline = std::get_if<crash::CrashDetector::Baseline>(&task)) {
        baselines.push_back(toState(*baseline));
        while (!queue_.empty() && baselines.size() < kMaxBaselineBatch) {
          auto* next = std::get_if<crash::CrashDetector::Baseline>(&queue_.front());
          if (!next) break;
          baselines.push_back(toState(*next));
          queue_.pop_front();
        }
      }
      busy_ = true;
      notFull_.notify_all();
    }
    if (auto* crash = std::get_if<crash::CrashEvent>(&task)) {
      if (!pool_.submit(podKey(crash->namespace_, crash->podName), [this, c = *crash] { recordCrash(c); })) return;
    } else if (!baselines.empty()) {
      if (!dispatchBaselines(baselines)) return;
      // The end of a (re)list's baselines: give the heap their statements used back to the system.
      if (queued() == 0) malloc_trim(0);
    } else if (auto* deletion = std::get_if<Deletion>(&task)) {
      // After the pod's crashes still in the pool, so a recreated pod's state is not deleted.
      if (!pool_.submit(podKey(deletion->namespace_, deletion->podName), [this, d = *deletion] {
            untilStored("a pod deletion", [&] { states_->deletePodStates(clusterName_, d.namespace_, d.podName); });
          }))
        return;
    }
  }
}

}  // namespace podmon::pipeline
