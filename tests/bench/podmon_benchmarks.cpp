// Micro benchmarks of the watch hot path and of what each crash costs to hand on. They print
// figures only: nothing here asserts on time (ctest runs them once, tiny, to keep them working).
// Pods are kube-sim's scale-mode pods (4-10 KB of JSON with managedFields, as an API server sends).
#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/redactor.h"
#include "crash/crash_detector.h"
#include "index/crash_document.h"
#include "kube/line_splitter.h"
#include "kube/pod_parser.h"
#include "notify/crash_message_builder.h"
#include "pod_renderer.h"
#include "restart_count_scan.h"
#include "scale_generator.h"
#include "spool/crash_record_codec.h"
#include "spool/spool_file.h"
#include "unit/index/sample_crash.h"

namespace {

using podmon::kube::PodParser;
using podmon::kube::PodSnapshot;

constexpr std::size_t kPods = 256;

// MODIFIED watch event lines of kPods realistic pods; `restarts` is added to every restartCount.
std::vector<std::string> eventLines(int restarts = 0) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < kPods; ++i) {
    auto pod = podmon::kubesim::ScaleGenerator::makePod(i);
    pod.uid = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
    pod.resourceVersion = std::to_string(1000 + i);
    for (auto& c : pod.containers) c.restartCount += restarts;
    lines.push_back(R"({"type":"MODIFIED","object":)" + podmon::kubesim::PodRenderer::render(pod) + "}");
  }
  return lines;
}

std::string stream(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<PodSnapshot> snapshots(int restarts) {
  PodParser parser;
  std::vector<PodSnapshot> pods;
  for (const auto& line : eventLines(restarts)) pods.push_back(parser.parseWatchEvent(line).pod);
  return pods;
}

void setBytes(benchmark::State& state, const std::vector<std::string>& lines) {
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes / lines.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// Splitting a chunked watch stream (16 KiB reads, lines span chunks) into event lines.
void BM_LineSplitter(benchmark::State& state) {
  std::string data = stream(eventLines());
  podmon::kube::LineSplitter splitter;
  const std::size_t chunk = 16 * 1024;
  std::size_t lines = 0;
  for (auto _ : state) {
    for (std::size_t off = 0; off < data.size(); off += chunk) {
      splitter.feed(std::string_view(data).substr(off, chunk), [&](std::string_view l) {
        benchmark::DoNotOptimize(l.data());
        ++lines;
      });
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
  state.SetItemsProcessed(static_cast<int64_t>(lines));
}
BENCHMARK(BM_LineSplitter);

// podmon's parser: one watch event line to a WatchEvent (what the watcher does per event).
void BM_ParseWatchEvent(benchmark::State& state) {
  auto lines = eventLines();
  PodParser parser;
  std::size_t i = 0;
  for (auto _ : state) {
    auto event = parser.parseWatchEvent(lines[i++ % lines.size()]);
    benchmark::DoNotOptimize(event.pod.containers.data());
  }
  setBytes(state, lines);
}
BENCHMARK(BM_ParseWatchEvent);

// The ceiling: a bare simdjson on-demand pass pulling every restartCount from the same lines.
void BM_SimdjsonRestartCounts(benchmark::State& state) {
  auto lines = eventLines();
  std::vector<simdjson::padded_string> padded;
  for (const auto& l : lines) padded.emplace_back(l);
  simdjson::ondemand::parser parser;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = padded[i++ % padded.size()];
    benchmark::DoNotOptimize(
        podmon::bench::sumRestartCounts(parser, p.data(), p.size(), p.size() + simdjson::SIMDJSON_PADDING));
  }
  setBytes(state, lines);
}
BENCHMARK(BM_SimdjsonRestartCounts);

// Detection for a pod that did not crash (nearly every watch event): the steady state.
void BM_DetectorUnchanged(benchmark::State& state) {
  auto pods = snapshots(0);
  podmon::crash::CrashDetector detector("bench");
  auto now = std::chrono::system_clock::now();
  for (const auto& p : pods) detector.observe(p, podmon::crash::CrashDetector::Sighting::kInitialList, now);
  detector.takeBaselines();
  std::size_t i = 0;
  for (auto _ : state) {
    auto crashes = detector.observe(pods[i++ % pods.size()], podmon::crash::CrashDetector::Sighting::kWatch, now);
    benchmark::DoNotOptimize(crashes.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DetectorUnchanged);

// Detection when every container's restartCount rose: one CrashEvent per container.
void BM_DetectorCrash(benchmark::State& state) {
  std::vector<std::vector<PodSnapshot>> generations;
  for (int r = 0; r < 8; ++r) generations.push_back(snapshots(r));
  auto now = std::chrono::system_clock::now();
  std::size_t crashes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    podmon::crash::CrashDetector detector("bench");
    for (const auto& p : generations[0]) detector.observe(p, podmon::crash::CrashDetector::Sighting::kInitialList, now);
    state.ResumeTiming();
    for (std::size_t g = 1; g < generations.size(); ++g) {
      for (const auto& p : generations[g])
        crashes += detector.observe(p, podmon::crash::CrashDetector::Sighting::kWatch, now).size();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(crashes));
}
BENCHMARK(BM_DetectorCrash);

// The Elasticsearch document of one crash (outbox worker, per crash).
void BM_CrashDocument(benchmark::State& state) {
  auto crash = podmon::index::testing::sampleCrash();
  crash.record.logs.assign(64 * 1024, 'x');  // a 64 KiB log, as captured
  auto now = std::chrono::system_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(podmon::index::buildCrashDocument(crash, now).size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CrashDocument);

// The Slack message of one crash, built and serialised (outbox worker, per alert).
void BM_SlackMessage(benchmark::State& state) {
  auto crash = podmon::index::testing::sampleCrash();
  crash.record.logs.assign(64 * 1024, 'x');
  podmon::notify::CrashMessageBuilder builder("https://kibana.example.com");
  for (auto _ : state) benchmark::DoNotOptimize(builder.alert(crash, "#alerts").toJson().size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SlackMessage);

// A 1 MB container log: ordinary lines (levels, JSON, stack frames, URLs without passwords) and
// about one line in ten holding a secret in one of the forms the redactor knows.
std::string megabyteLog() {
  const std::vector<std::string> lines = {
      "2026-11-22T01:00:00.123Z INFO  http  GET /api/v1/orders?page=2 200 12ms user_id=42",
      R"({"level":"error","ts":"2026-11-22T01:00:01Z","msg":"connection refused","retry":3,"host":"db:5432"})",
      "java.lang.IllegalStateException: order 42 not found\n\tat com.example.Orders.get(Orders.java:120)",
      "2026-11-22T01:00:02Z WARN  cache miss for key user:42:profile (redis://cache:6379/0)",
      "panic: runtime error: index out of range [3] with length 3 goroutine 1 [running]:",
      "2026-11-22T01:00:03Z DEBUG upstream https://payments.example.com/v2/charge took 85ms",
      "Started POST \"/login\" for 10.0.0.7 at 2026-11-22 01:00:04 +0000 Processing by SessionsController",
      "2026-11-22T01:00:05Z INFO  worker 7 processed 1500 jobs in 3.2s, queue depth 12",
      "2026-11-22T01:00:06Z ERROR retry 2/5 after 400ms: context deadline exceeded",
  };
  const std::vector<std::string> secrets = {
      "connecting with password=hunter2 to db",
      R"({"body":"{\"user\":\"bob\",\"password\":\"hunter2\"}"})",
      R"(Parameters: {"user"=>"bob", "password"=>"hunter2"})",
      "env DB_PASS=s3cret MYSQL_PWD=pw SECRET_KEY=abc",
      "redis://:s3cret@cache:6379/0 postgres://app:p@ss@db/app",
      "slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOp ghp_16C7e42F292c6912E7710c838347Ae178B4a",
      "Cookie: session=abc123; theme=dark",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
  };
  std::string log;
  for (std::size_t i = 0; log.size() < 1'000'000; ++i) {
    log += i % 10 == 9 ? secrets[(i / 10) % secrets.size()] : lines[i % lines.size()];
    log += "\n";
  }
  return log;
}

// Redacting a 1 MB log with the default patterns (CrashEnricher, per crash; the stored log is
// at most MAX_LOG_BYTES, 64 KiB by default, so this is sixteen times the usual work).
void BM_Redact1MBLog(benchmark::State& state) {
  const podmon::Redactor redactor;
  const std::string log = megabyteLog();
  for (auto _ : state) benchmark::DoNotOptimize(redactor.redact(log).size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * log.size()));
}
BENCHMARK(BM_Redact1MBLog)->Unit(benchmark::kMillisecond);

// SPOOL_DIR: one crash written to the spool while the store is down (encoded, appended and
// fdatasync'ed before the watch moves on), with a 64 KiB log. Wall time: the sync waits on the
// disk, so the figure is the temp folder's file system (tmpfs answers a sync at once; set TMPDIR
// to a folder on the disk that SPOOL_DIR would use).
void BM_SpoolWriteCrash(benchmark::State& state) {
  std::string pattern = (std::filesystem::temp_directory_path() / "podmon-bench-spool-XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  {
    podmon::spool::SpoolFile file(dir + "/crashes.spool");
    auto crash = podmon::index::testing::sampleCrash();
    crash.record.logs.assign(static_cast<std::size_t>(state.range(0)), 'x');
    std::size_t n = 0;
    for (auto _ : state) {
      file.append(podmon::spool::encodeCrashRecord(crash.record));
      if (++n % 1000 == 0) file.clear();
    }
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SpoolWriteCrash)->Arg(64 * 1024)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
