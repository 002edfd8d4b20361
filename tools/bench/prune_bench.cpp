// The prune rate (issue 23): CRASHES crashes, each with an Elasticsearch and a Slack outbox row
// (delivered), pod labels and one of 1,000 fingerprints, all older than the retention, plus 1% recent
// ones that stay; then one prune as the daemon runs it (batches of 500) and its rows per second,
// wall and CPU time. PENDING more recent crashes keep their outbox rows pending (a sink's backlog,
// which every batch asks about). SQLite in a temporary file, or the MySQL of PODMON_TEST_MYSQL_*
// (tools/dev/mariadb-test-server start) when those are set.
// Usage: prune_bench [CRASHES] [PENDING]
#include <Poco/TemporaryFile.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "store/store_factory.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace podmon::store;

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

StoreChoice choice(const std::string& sqlitePath) {
  StoreChoice c;
  if (env("PODMON_TEST_MYSQL_PORT")) {
    c.backend = StoreBackend::kMySql;
    c.mysql.port = std::atoi(env("PODMON_TEST_MYSQL_PORT"));
    c.mysql.user = env("PODMON_TEST_MYSQL_USER") ? env("PODMON_TEST_MYSQL_USER") : "root";
    c.mysql.password = env("PODMON_TEST_MYSQL_PASSWORD") ? env("PODMON_TEST_MYSQL_PASSWORD") : "";
    c.mysql.database = env("PODMON_TEST_MYSQL_DB") ? env("PODMON_TEST_MYSQL_DB") : "kubernetes_pod_monitor";
  } else {
    c.sqlitePath = sqlitePath;
  }
  return c;
}

CrashRecord crashNumber(int i, std::chrono::system_clock::time_point at) {
  CrashRecord r;
  auto& e = r.event;
  e.clusterName = "bench";
  e.namespace_ = "team-" + std::to_string(i % 20);
  e.podName = "service-" + std::to_string(i % 500) + "-7d9c8b6f5d-" + std::to_string(i);
  e.podUid = "uid-" + std::to_string(i);
  e.containerName = "app";
  e.restartCount = i + 1;
  e.reason = "Error";
  e.exitCode = 1;
  e.detectedAt = at;
  e.labels = {{"app", "service-" + std::to_string(i % 500)}, {"team", e.namespace_}};
  char fingerprint[17];
  std::snprintf(fingerprint, sizeof fingerprint, "%016x", i % 1000);
  r.fingerprint = fingerprint;
  r.logs = "panic: crash number " + std::to_string(i) + "\n";
  r.logsStatus = "ok";
  return r;
}

void fill(const OpenedStore& store, int crashes, int pending) {
  const auto now = std::chrono::system_clock::now();
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = next++; i < crashes; i = next++) {
        const bool recent = i % 100 == 0;
        store.crashes->recordCrash(
            crashNumber(i, now - (recent ? std::chrono::hours(1) : std::chrono::hours(24 * 100))));
      }
    });
  }
  for (auto& w : writers) w.join();
  for (Sink sink : {Sink::kElasticsearch, Sink::kSlack}) {
    for (;;) {
      const auto items = store.outbox->claimOutbox(sink, 1000, std::chrono::minutes(5));
      if (items.empty()) break;
      std::vector<std::int64_t> ids;
      for (const auto& item : items) ids.push_back(item.id);
      store.outbox->markDeliveredMany(ids);
    }
  }
  for (int i = crashes; i < crashes + pending; ++i) {
    store.crashes->recordCrash(crashNumber(i, now - std::chrono::hours(1)));
  }
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int crashes = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100000;
  const int pending = argc > 2 ? std::max(0, std::atoi(argv[2])) : 0;
  Poco::TemporaryFile file;
  file.keepUntilExit();
  CrashStoreOptions options;
  options.outboxSinks = {Sink::kElasticsearch, Sink::kSlack};
  auto store = openStore(choice(file.path()), options);
  store.migrate();
  const auto fillStart = Clock::now();
  fill(store, crashes, pending);
  std::printf("%s, %d crashes with 2 delivered outbox rows each and %d with 2 pending filled in %.1f s\n",
              store.choice.describe().c_str(), crashes, pending,
              std::chrono::duration<double>(Clock::now() - fillStart).count());
  PruneCutoffs cutoffs;
  cutoffs.crashesBefore = std::chrono::system_clock::now() - std::chrono::hours(24 * 90);
  const double cpuStart = cpuSeconds();
  const auto start = Clock::now();
  const PruneCounts counts = store.retention->prune(cutoffs, false, {});
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpuSeconds() - cpuStart;
  std::printf("pruned %s\n", counts.describe().c_str());
  std::printf("prune: %lld crashes, %lld rows in %.2f s wall (%.0f crashes/s, %.0f rows/s), %.2f s CPU in podmon\n",
              static_cast<long long>(counts.crashes), static_cast<long long>(counts.total()), wall,
              static_cast<double>(counts.crashes) / wall, static_cast<double>(counts.total()) / wall, cpu);
  return 0;
}
