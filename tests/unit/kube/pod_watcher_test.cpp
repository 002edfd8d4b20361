// The pod watcher's reflector logic against a scripted KubeApi on a simulated clock: backoff
// between relists and failed watches, its reset after a healthy period, resume without a list
// after a drop, a list only after a 410, and the rate-limited failure log.
#include "kube/pod_watcher.h"

#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "fakes/scripted_watch_api.h"

namespace podmon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ScriptedWatchApi;
using End = ScriptedWatchApi::End;

std::string podLine(const std::string& rv) {
  return R"({"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"default","uid":"u-1","resourceVersion":")" +
         rv + R"("},"spec":{"containers":[{"name":"web","image":"nginx"}]},"status":{"phase":"Running"}}})";
}
std::string bookmarkLine(const std::string& rv) {
  return R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":")" + rv +
         R"("}}})";
}
const std::string kExpiredLine =
    R"J({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (50)","reason":"Expired","code":410}})J";
const std::string kMalformedLine = R"({"type":"MODIFIED","object":{"kind":"Pod","apiVer)";

class CountingHandler : public kube::PodEventHandler {
 public:
  void onSyncStart(bool) override { ++syncStarts; }
  void onSyncPod(const kube::PodSnapshot&) override {}
  void onSyncEnd() override { ++syncEnds; }
  void onPodEvent(const kube::WatchEvent&) override { ++events; }
  int syncStarts = 0;
  int syncEnds = 0;
  int events = 0;
};

class PodWatcherBackoffTest : public ::testing::Test {
 protected:
  // Runs the watcher on this thread until the script is over.
  void run(kube::PodWatcherOptions options = {}) {
    kube::PodWatcher watcher(api_, options, handler_, stats_, clock_);
    api_->onScriptEnd = [&] { watcher.stop(); };
    watcher.run();
  }
  static kube::PodWatcherOptions noJitter() {
    kube::PodWatcherOptions options;
    options.backoff.jitter = 0.0;
    return options;
  }
  static ScriptedWatchApi::Answer answer(std::vector<std::string> lines, End end,
                                         milliseconds lasts = milliseconds(0)) {
    return {std::move(lines), lasts, end};
  }
  // Milliseconds between one call and the next of the same kind (lists or watches).
  std::vector<long long> gaps(bool lists) const {
    std::vector<long long> out;
    std::optional<std::chrono::steady_clock::time_point> last;
    for (const auto& c : api_->calls) {
      if (c.list != lists) continue;
      if (last) out.push_back(std::chrono::duration_cast<milliseconds>(c.at - *last).count());
      last = c.at;
    }
    return out;
  }
  std::vector<std::string> watchVersions() const {
    std::vector<std::string> out;
    for (const auto& c : api_->calls)
      if (!c.list) out.push_back(c.resourceVersion);
    return out;
  }

  std::shared_ptr<testing::SkippingClock> clock_ = std::make_shared<testing::SkippingClock>();
  std::shared_ptr<ScriptedWatchApi> api_ = std::make_shared<ScriptedWatchApi>(clock_);
  CountingHandler handler_;
  kube::WatchStats stats_;
};

TEST_F(PodWatcherBackoffTest, A410StormRelistsWithDelaysDoublingFrom800MsTo30s) {
  for (int i = 0; i < 10; ++i) api_->watches.push_back(answer({}, End::kHttp410));
  run(noJitter());
  EXPECT_EQ(api_->lists(), 11);
  EXPECT_EQ(gaps(true), (std::vector<long long>{800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000, 30000}));
  EXPECT_EQ(stats_.relistsGone.load(), 10u);
  EXPECT_EQ(stats_.resumes.load(), 0u);
}

TEST_F(PodWatcherBackoffTest, JitteredDelaysStayBetweenOneAndTwoTimesTheBase) {
  for (int i = 0; i < 40; ++i) api_->watches.push_back(answer({kExpiredLine}, End::kClean));
  run();  // the defaults: 800 ms, 30 s, factor 2, jitter 1
  auto got = gaps(true);
  ASSERT_EQ(got.size(), 40u);
  long long base = 800;
  bool varied = false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_GE(got[i], base) << "relist " << i;
    EXPECT_LT(got[i], 2 * base) << "relist " << i;
    if (i > 0 && got[i] != got[i - 1]) varied = true;
    base = std::min(base * 2, 30000LL);
  }
  EXPECT_TRUE(varied) << "jitter should make the delays differ";
  EXPECT_EQ(stats_.errorEvents.load(), 40u);
  // 40 relists in a storm take minutes, not 40 / 1,200 of a second.
  auto total = std::chrono::duration_cast<seconds>(api_->calls.back().at - api_->calls.front().at).count();
  EXPECT_GT(total, 1000);
}

TEST_F(PodWatcherBackoffTest, TheBackoffResetsOnlyAfterTwoHealthyMinutes) {
  for (int i = 0; i < 3; ++i) api_->watches.push_back(answer({}, End::kHttp410));  // 800, 1600, 3200
  api_->watches.push_back(answer({bookmarkLine("150")}, End::kClean, seconds(60)));
  api_->watches.push_back(answer({}, End::kHttp410));  // 60 s healthy: not enough, 6400
  api_->watches.push_back(answer({bookmarkLine("160")}, End::kClean, seconds(121)));
  api_->watches.push_back(answer({}, End::kHttp410));  // 121 s healthy: back to 800
  run(noJitter());
  EXPECT_EQ(gaps(true), (std::vector<long long>{800, 1600, 3200, 60000 + 6400, 121000 + 800}));
  EXPECT_EQ(stats_.reconnects.load(), 2u) << "a clean end of a watch re-watches at once";
}

TEST_F(PodWatcherBackoffTest, ADroppedOrBrokenWatchResumesFromTheLastResourceVersionWithoutAList) {
  api_->watches.push_back(answer({podLine("101"), bookmarkLine("105")}, End::kDrop, seconds(5)));
  api_->watches.push_back(answer({podLine("107"), kMalformedLine, podLine("999")}, End::kClean, seconds(5)));
  api_->watches.push_back(answer({podLine("110")}, End::kHttp500, seconds(5)));
  api_->watches.push_back(answer({}, End::kClean, seconds(300)));
  run(noJitter());
  EXPECT_EQ(api_->lists(), 1) << "only the initial list";
  EXPECT_EQ(watchVersions(), (std::vector<std::string>{"100", "105", "107", "110", "110"}));
  // Each failure waits the next delay; the clean end after 300 s re-watches at once.
  EXPECT_EQ(gaps(false), (std::vector<long long>{5000 + 800, 1600, 5000 + 3200, 300000}));
  EXPECT_EQ(stats_.resumes.load(), 3u);
  EXPECT_EQ(stats_.malformedEvents.load(), 1u);
  EXPECT_EQ(stats_.relistsMalformed.load(), 0u);
  EXPECT_EQ(handler_.events, 3) << "the line after the malformed one is not read: the resumed watch sends it again";
  EXPECT_EQ(handler_.syncStarts, 1);
}

TEST_F(PodWatcherBackoffTest, ListsAgainOnlyAfterA410OrWithoutAResourceVersion) {
  api_->listFailuresFirst = 2;  // no resourceVersion yet: list again, with backoff
  api_->watches.push_back(answer({podLine("120")}, End::kDrop));
  api_->watches.push_back(answer({kExpiredLine}, End::kClean));
  api_->watches.push_back(answer({}, End::kHttp410));
  api_->watches.push_back(answer({bookmarkLine("130")}, End::kDrop));
  run(noJitter());
  std::string kinds;
  for (const auto& c : api_->calls) kinds += c.list ? 'L' : 'W';
  EXPECT_EQ(kinds, "LLLWWLWLWW");
  EXPECT_EQ(gaps(true), (std::vector<long long>{800, 1600, 3200 + 6400, 12800}));
  EXPECT_EQ(watchVersions(), (std::vector<std::string>{"100", "120", "100", "100", "130"}));
  EXPECT_EQ(stats_.relistsGone.load(), 2u);
  EXPECT_EQ(handler_.syncEnds, 3);
}

TEST_F(PodWatcherBackoffTest, AMalformedLineStormIsLoggedOncePer10sWithACount) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  capture->set_pattern("%v");
  spdlog::set_default_logger(capture);
  kube::PodWatcherOptions options = noJitter();
  options.backoff.initial = milliseconds(100);
  options.backoff.max = milliseconds(1000);
  for (int i = 0; i < 40; ++i) api_->watches.push_back(answer({kMalformedLine}, End::kClean));
  run(options);
  spdlog::set_default_logger(previous);

  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);)
    if (line.find("malformed watch event") != std::string::npos) lines.push_back(line);
  // Delays 0.1, 0.2, 0.4, 0.8, then 1 s: failures at 0, 0.1, 0.3, 0.7, 1.5, 2.5, ... 36.5 s.
  ASSERT_EQ(lines.size(), 4u) << out.str();
  EXPECT_EQ(lines[0].find("times in the last"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("resuming the watch from resourceVersion 100 in 100 ms"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("(13 times in the last 10s)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("(10 times in the last 10s)"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("(10 times in the last 10s)"), std::string::npos) << lines[3];
  EXPECT_EQ(stats_.malformedEvents.load(), 40u);
  EXPECT_EQ(api_->lists(), 1);
}

}  // namespace
}  // namespace podmon
