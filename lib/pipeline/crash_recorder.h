#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <variant>

#include "core/backoff.h"
#include "core/clock.h"
#include "core/worker_thread.h"
#include "pipeline/crash_enricher.h"
#include "pipeline/crash_sink.h"
#include "pipeline/keyed_work_pool.h"
#include "store/container_state_store.h"
#include "store/crash_repository.h"

namespace podmon::pipeline {

struct RecorderOptions {
  std::size_t queueCapacity = 1000;
  BackoffParams backoff{};
  std::size_t enrichWorkers = 8;  // ENRICH_WORKERS: crashes enriched and stored at once
};

// Makes detected crashes durable. The watch thread hands over crashes (and baselines, deletions)
// through a bounded queue; one dispatcher hands each crash to a pool of enrichWorkers threads that
// enrich it once (logs, owner, events) and store it, retrying with backoff for as long as MySQL is
// unavailable. Everything about one pod (its crashes, baselines, deletion) is stored in the order
// detected; a slow pod holds up only itself. When the queue is full, onCrash()
// blocks: the watch is paused rather than anything dropped (restart counts are cumulative, so a
// relist after MySQL returns finds what was missed).
class CrashRecorder : public CrashSink {
 public:
  using RecordedCallback = std::function<void(const store::CrashRecord&, const store::RecordResult&)>;

  CrashRecorder(store::CrashRepository::Ptr crashes, store::ContainerStateStore::Ptr states, CrashEnricher& enricher,
                std::string clusterName, RecorderOptions options, RecordedCallback onRecorded = {},
                Clock::Ptr clock = SystemClock::instance());
  ~CrashRecorder() override;

  void onCrash(const crash::CrashEvent& crash) override;
  void onBaseline(const crash::CrashDetector::Baseline& baseline) override;
  void onPodDeleted(const std::string& namespace_, const std::string& podName, const std::string& podUid) override;

  void start();
  // Stops the worker; what is still queued is left (the next start finds it again through the
  // stored restart counts).
  void stop();
  // True when the queue is empty and the worker idle (tests, shutdown).
  bool waitIdle(std::chrono::milliseconds timeout);

  std::size_t queued() const;
  uint64_t recorded() const { return recorded_.load(); }
  uint64_t duplicates() const { return duplicates_.load(); }
  uint64_t storeErrors() const { return storeErrors_.load(); }
  // Crashes the store refused even without their log and events (each logged as an error).
  uint64_t rejected() const { return rejected_.load(); }
  bool storeHealthy() const { return storeHealthy_.load(); }

 private:
  struct Deletion {
    std::string namespace_;
    std::string podName;
  };
  using Task = std::variant<crash::CrashEvent, crash::CrashDetector::Baseline, Deletion>;

  static constexpr std::size_t kMaxBaselineBatch = 1000;
  // Rejections of the same data before the recorder drops the crash's largest part (log, events).
  static constexpr int kRejectedAttempts = 3;
  void enqueue(Task task);
  void run();
  // Pool job: enrich and store one crash.
  void recordCrash(const crash::CrashEvent& crash);
  // Stores a batch of baselines here, or in the pool after the pod's earlier work when it has some.
  bool dispatchBaselines(std::vector<store::ContainerState>& baselines);
  // Runs `op` until it succeeds or the recorder stops; returns false when stopped first.
  bool untilStored(const char* what, const std::function<void()>& op);
  // Stores `record` like untilStored; after kRejectedAttempts rejections of its data (a reason
  // retrying cannot fix) stores it without its log, then without its events; a crash refused even
  // then is logged and counted in rejected(). Returns false when stopped first; `stored` says
  // whether the crash is in the store.
  bool storeCrash(store::CrashRecord& record, store::RecordResult& result, bool& stored);

  store::CrashRepository::Ptr crashes_;
  store::ContainerStateStore::Ptr states_;
  CrashEnricher& enricher_;
  std::string clusterName_;
  RecorderOptions options_;
  RecordedCallback onRecorded_;
  Clock::Ptr clock_;

  mutable std::mutex mutex_;
  std::condition_variable notEmpty_;
  std::condition_variable notFull_;
  std::condition_variable idle_;
  std::deque<Task> queue_;
  bool busy_ = false;
  std::chrono::steady_clock::time_point lastFullWarning_{};
  bool stopping_ = false;  // guarded by mutex_: ends the queue waits
  WorkerThread worker_;
  KeyedWorkPool pool_;
  std::atomic<uint64_t> recorded_{0};
  std::atomic<uint64_t> duplicates_{0};
  std::atomic<uint64_t> storeErrors_{0};
  std::atomic<uint64_t> rejected_{0};
  std::atomic<bool> storeHealthy_{true};
};

}  // namespace podmon::pipeline
