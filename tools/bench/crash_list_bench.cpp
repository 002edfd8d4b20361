// The web view's reads at a large store (issue 24): how long the crash list's first page, a
// namespace's first page, a search, the next page, the timeline and the namespace list take with
// CRASHES crashes recorded (the median of ROUNDS calls each). SQLite in a temporary file, or the
// MySQL of PODMON_TEST_MYSQL_* (tools/dev/mariadb-test-server start) when those are set.
// Usage: crash_list_bench [CRASHES] [ROUNDS]
#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store/store_factory.h"

namespace {

using Clock = std::chrono::steady_clock;
using podmon::store::CrashQuery;

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

podmon::store::StoreChoice choice(const std::string& sqlitePath) {
  podmon::store::StoreChoice c;
  if (env("PODMON_TEST_MYSQL_PORT")) {
    c.backend = podmon::store::StoreBackend::kMySql;
    c.mysql.port = std::atoi(env("PODMON_TEST_MYSQL_PORT"));
    c.mysql.user = env("PODMON_TEST_MYSQL_USER") ? env("PODMON_TEST_MYSQL_USER") : "root";
    c.mysql.password = env("PODMON_TEST_MYSQL_PASSWORD") ? env("PODMON_TEST_MYSQL_PASSWORD") : "";
    c.mysql.database = env("PODMON_TEST_MYSQL_DB") ? env("PODMON_TEST_MYSQL_DB") : "kubernetes_pod_monitor";
  } else {
    c.sqlitePath = sqlitePath;
  }
  return c;
}

// Crash i: one of 20 namespaces, 500 workloads, spread over the last 7 days (newest last).
podmon::store::CrashRecord crashNumber(int i, int total, std::chrono::system_clock::time_point now) {
  podmon::store::CrashRecord r;
  auto& e = r.event;
  e.clusterName = "bench";
  e.namespace_ = "team-" + std::to_string(i % 20);
  e.ownerKind = "Deployment";
  e.ownerName = "service-" + std::to_string(i % 500);
  e.podName = e.ownerName + "-7d9c8b6f5d-" + std::to_string(i);
  e.podUid = "uid-" + std::to_string(i);
  e.containerName = i % 7 == 0 ? "sidecar" : "app";
  e.restartCount = i + 1;
  e.reason = i % 3 == 0 ? "OOMKilled" : "Error";
  e.exitCode = i % 3 == 0 ? 137 : 1;
  e.image = "ghcr.io/acme/" + e.ownerName + ":1.0." + std::to_string(i % 10);
  e.detectedAt = now - std::chrono::seconds(7 * 24 * 3600) * (total - i) / total;
  r.logs = "panic: crash number " + std::to_string(i) + "\n";
  r.logsStatus = "ok";
  return r;
}

void fill(const podmon::store::OpenedStore& store, int crashes) {
  const auto now = std::chrono::system_clock::now();
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = next++; i < crashes; i = next++) store.crashes->recordCrash(crashNumber(i, crashes, now));
    });
  }
  for (auto& w : writers) w.join();
}

double medianMillis(int rounds, const std::function<std::size_t()>& call, std::size_t& rows) {
  std::vector<double> times;
  for (int r = 0; r < rounds; ++r) {
    const auto start = Clock::now();
    rows = call();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int crashes = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100000;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
  Poco::TemporaryFile file;
  file.keepUntilExit();
  auto store = podmon::store::openStore(choice(file.path()), {});
  store.migrate();
  const auto start = Clock::now();
  fill(store, crashes);
  const auto fillSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%s, %d crashes recorded in %.1f s; median of %d calls:\n", store.choice.describe().c_str(), crashes,
              fillSeconds, rounds);
  auto& repo = *store.crashes;
  const auto firstPage = repo.listRecentCrashes(CrashQuery{"bench", "", std::nullopt, 50});
  podmon::store::CrashCursor after{firstPage.back().record.event.detectedAt, firstPage.back().id};
  const std::vector<std::pair<const char*, std::function<std::size_t()>>> calls = {
      {"list, first page (50)",
       [&] {
         return repo.listRecentCrashes(CrashQuery{"bench", "", std::nullopt, 50}).size();
       }},
      {"list, next page (cursor)",
       [&] {
         return repo.listRecentCrashes(CrashQuery{"bench", "", std::nullopt, 50, "", after}).size();
       }},
      {"list, one namespace",
       [&] {
         return repo.listRecentCrashes(CrashQuery{"bench", "team-7", std::nullopt, 50}).size();
       }},
      {"list, search 'sidecar'",
       [&] {
         return repo.listRecentCrashes(CrashQuery{"bench", "", std::nullopt, 50, "sidecar"}).size();
       }},
      {"list, search 'service-499-'",
       [&] {
         return repo.listRecentCrashes(CrashQuery{"bench", "", std::nullopt, 50, "service-499-"}).size();
       }},
      {"timeline, 24 h",
       [&] {
         return repo.crashTimeline({"bench", std::chrono::system_clock::now() - std::chrono::hours(24)}).size();
       }},
      {"namespaces", [&] { return repo.crashNamespaces("bench").size(); }},
  };
  for (const auto& [name, call] : calls) {
    std::size_t rows = 0;
    const double ms = medianMillis(rounds, call, rows);
    std::printf("  %-30s %8.2f ms (%zu rows)\n", name, ms, rows);
  }
  return 0;
}
