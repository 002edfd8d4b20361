// The web view's reads on a real store (MySQL on MariaDB, and SQLite): the crash list newest
// first with its keyset cursor (crashes with equal times neither skipped nor repeated across
// pages), the text search (hostile text matches literally), the timeline per hour and namespace,
// the namespace list and a crash's detail.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "fakes/manual_clock.h"
#include "store/crash_columns.h"
#include "store_backend_fixture.h"

namespace podmon::store {
namespace {

using namespace std::chrono_literals;
using podmon::testing::ManualClock;
using TimePoint = std::chrono::system_clock::time_point;

// 2024-05-01T10:00:00Z
constexpr std::chrono::seconds kStart{1714557600LL};
const TimePoint kHour10{kStart};

struct Seed {
  std::string cluster, namespace_, pod, container, reason;
  TimePoint at;
};

CrashRecord crashOf(const Seed& s, int restart) {
  CrashRecord record;
  auto& e = record.event;
  e.clusterName = s.cluster;
  e.namespace_ = s.namespace_;
  e.podName = s.pod;
  e.podUid = "uid-" + s.pod;
  e.containerName = s.container;
  e.restartCount = restart;
  e.reason = s.reason;
  e.exitCode = 1;
  e.detectedAt = s.at;
  record.logs = "log of " + s.pod + "\n";
  record.logsStatus = "ok";
  return record;
}

// The web view's cursor rule (status/health_api.cpp): a row without a time has no time in it.
CrashCursor cursorOf(const StoredCrash& c) {
  CrashCursor cursor{std::nullopt, c.id};
  if (c.record.event.detectedAt != TimePoint{}) cursor.detectedAt = c.record.event.detectedAt;
  return cursor;
}

class StoreCrashListTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    clock_ = std::make_shared<ManualClock>(kHour10 + 3h);
    store_ = openTestStore({}, clock_);
    store_.migrate();
  }

  // Records the crash; remembers (time, id) of each for the expected order.
  std::int64_t record(const Seed& s) {
    const auto result = store_.crashes->recordCrash(crashOf(s, ++restarts_));
    EXPECT_TRUE(result.isNew);
    if (s.cluster == "prod") prod_.emplace_back(s.at, result.id);
    return result.id;
  }

  // Cluster prod's ids newest first, then the higher id (the list's order).
  std::vector<std::int64_t> expectedProdOrder() const {
    auto rows = prod_;
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a > b; });
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.second);
    return ids;
  }

  // Every page of `query` with `pageSize` rows, following the cursor; fails on an endless walk.
  std::vector<std::int64_t> walk(CrashQuery query, int pageSize) {
    query.limit = pageSize;
    std::vector<std::int64_t> ids;
    for (int pages = 0; pages < 1000; ++pages) {
      const auto page = store_.crashes->listRecentCrashes(query);
      EXPECT_LE(page.size(), static_cast<std::size_t>(pageSize));
      for (const auto& c : page) ids.push_back(c.id);
      if (page.size() < static_cast<std::size_t>(pageSize)) return ids;
      query.after = cursorOf(page.back());
    }
    ADD_FAILURE() << "the cursor walk did not end";
    return ids;
  }

  std::vector<std::string> pods(const CrashQuery& query) {
    std::vector<std::string> names;
    for (const auto& c : store_.crashes->listRecentCrashes(query)) names.push_back(c.record.event.podName);
    std::sort(names.begin(), names.end());
    return names;
  }
  std::vector<std::string> search(const std::string& q) {
    CrashQuery query;
    query.clusterName = "prod";
    query.search = q;
    query.limit = 100;
    return pods(query);
  }

  // Three crashes at each of several times (equal times on purpose), in two namespaces, over
  // three hours, plus a crash in another cluster at the newest time.
  void seedEqualTimes() {
    const std::vector<TimePoint> times = {kHour10 + 5min, kHour10 + 5min + 1us, kHour10 + 70min, kHour10 + 70min,
                                          kHour10 + 130min};
    int n = 0;
    for (const auto& at : times) {
      for (int i = 0; i < 3; ++i, ++n)
        record({"prod", n % 2 ? "shop" : "billing", "pod-" + std::to_string(n), "app", "Error", at});
    }
    record({"staging", "shop", "pod-staging", "app", "Error", kHour10 + 130min});
  }

  std::shared_ptr<ManualClock> clock_;
  OpenedStore store_;
  int restarts_ = 0;
  std::vector<std::pair<TimePoint, std::int64_t>> prod_;
};

TEST_P(StoreCrashListTest, ListsNewestFirstWithTheHigherIdFirstAmongEqualTimes) {
  seedEqualTimes();
  CrashQuery query;
  query.clusterName = "prod";
  query.limit = 100;
  const auto page = store_.crashes->listRecentCrashes(query);
  std::vector<std::int64_t> ids;
  for (const auto& c : page) {
    ids.push_back(c.id);
    EXPECT_EQ(c.record.event.clusterName, "prod");
    EXPECT_TRUE(c.record.logs.empty()) << "the list reads no logs";
  }
  EXPECT_EQ(ids, expectedProdOrder());
  EXPECT_EQ(page.front().record.event.detectedAt, kHour10 + 130min);
}

TEST_P(StoreCrashListTest, PagesSkipAndRepeatNothingWhereTimesAreEqual) {
  seedEqualTimes();
  const auto expected = expectedProdOrder();
  ASSERT_EQ(expected.size(), 15u);
  CrashQuery query;
  query.clusterName = "prod";
  // Page sizes whose boundaries fall inside groups of equal times, between them and at the end.
  for (int pageSize : {1, 2, 3, 4, 7, 15, 16}) EXPECT_EQ(walk(query, pageSize), expected) << "page size " << pageSize;
  // The cursor after the last crash gives an empty page, not the first page again.
  query.after = CrashCursor{kHour10 + 5min, expected.back()};
  EXPECT_TRUE(store_.crashes->listRecentCrashes(query).empty());
}

TEST_P(StoreCrashListTest, RowsWithoutATimeComeLastAndPageToo) {
  seedEqualTimes();
  // Rows the original tool may have left without a time.
  exec(
      "INSERT INTO k8s_pod_crash (clustername, namespace, podname, containername, restartcount, date) VALUES "
      "('prod', 'shop', 'untimed-1', 'app', 1, NULL), ('prod', 'shop', 'untimed-2', 'app', 1, NULL), "
      "('prod', 'shop', 'untimed-3', 'app', 1, NULL)");
  CrashQuery query;
  query.clusterName = "prod";
  query.limit = 100;
  const auto all = store_.crashes->listRecentCrashes(query);
  ASSERT_EQ(all.size(), 18u);
  std::vector<std::int64_t> ids;
  for (const auto& c : all) ids.push_back(c.id);
  auto timed = expectedProdOrder();
  EXPECT_EQ(std::vector<std::int64_t>(ids.begin(), ids.begin() + 15), timed);
  EXPECT_EQ(all[15].record.event.podName, "untimed-3");
  EXPECT_EQ(all[17].record.event.podName, "untimed-1");
  for (int pageSize : {1, 2, 4, 5, 16}) EXPECT_EQ(walk(query, pageSize), ids) << "page size " << pageSize;
}

TEST_P(StoreCrashListTest, FiltersByNamespaceAndSinceAndPagesWithin) {
  seedEqualTimes();
  CrashQuery query;
  query.clusterName = "prod";
  query.namespace_ = "shop";
  const auto shop = walk(query, 2);
  ASSERT_EQ(shop.size(), 7u);  // the odd-numbered of 15
  for (auto id : shop) EXPECT_EQ(store_.crashes->getCrash(id)->record.event.namespace_, "shop");
  auto expected = expectedProdOrder();
  std::erase_if(expected, [&](auto id) { return std::find(shop.begin(), shop.end(), id) == shop.end(); });
  EXPECT_EQ(shop, expected) << "same order as the whole list";

  query.namespace_ = "";
  query.since = kHour10 + 70min;
  EXPECT_EQ(walk(query, 2).size(), 9u);
  query.namespace_ = "nowhere";
  EXPECT_TRUE(walk(query, 5).empty());
}

TEST_P(StoreCrashListTest, SearchMatchesPodContainerAndReasonInAnyCase) {
  record({"prod", "shop", "checkout-5f7d-abcde", "app", "Error", kHour10 + 1min});
  record({"prod", "shop", "web-1", "istio-proxy", "Error", kHour10 + 2min});
  record({"prod", "billing", "web-2", "app", "OOMKilled", kHour10 + 3min});
  record({"staging", "shop", "checkout-staging", "app", "OOMKilled", kHour10 + 4min});
  EXPECT_EQ(search("checkout"), std::vector<std::string>{"checkout-5f7d-abcde"}) << "pod, this cluster only";
  EXPECT_EQ(search("CHECKOUT-5F7D"), std::vector<std::string>{"checkout-5f7d-abcde"});
  EXPECT_EQ(search("istio"), std::vector<std::string>{"web-1"}) << "container";
  EXPECT_EQ(search("oomkilled"), std::vector<std::string>{"web-2"}) << "reason";
  EXPECT_EQ(search("web-"), (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_TRUE(search("no-such-thing").empty());

  CrashQuery query;
  query.clusterName = "prod";
  query.namespace_ = "shop";
  query.search = "web";
  EXPECT_EQ(pods(query), std::vector<std::string>{"web-1"}) << "search within the namespace";
}

TEST_P(StoreCrashListTest, SearchTakesWildcardsQuotesAndBackslashesLiterally) {
  const std::vector<std::string> reasons = {"100% cpu", "1000 cpu",    "a_b",     "axb",     "it's",
                                            "its",      R"(say "hi")", R"(a\b)",  R"(a\\b)", "bang!x",
                                            "bangx",    "semi;--",     "brace{x}"};
  int minute = 0;
  for (const auto& reason : reasons)
    record({"prod", "shop", "pod-" + std::to_string(minute), "app", reason, kHour10 + std::chrono::minutes(++minute)});
  const auto podOf = [&](const std::string& reason) {
    const auto at = std::find(reasons.begin(), reasons.end(), reason) - reasons.begin();
    return "pod-" + std::to_string(at);
  };
  const auto only = [&](const std::string& reason) { return std::vector<std::string>{podOf(reason)}; };
  EXPECT_EQ(search("0%"), only("100% cpu"));
  EXPECT_EQ(search("%"), only("100% cpu"));
  EXPECT_EQ(search("a_b"), only("a_b"));
  EXPECT_EQ(search("_"), only("a_b"));
  EXPECT_EQ(search("it's"), only("it's"));
  EXPECT_EQ(search("'"), only("it's"));
  EXPECT_EQ(search(R"("hi")"), only(R"(say "hi")"));
  EXPECT_EQ(search(R"(a\b)"), (std::vector<std::string>{podOf(R"(a\b)")}));
  EXPECT_EQ(search(R"(\\)"), only(R"(a\\b)"));
  EXPECT_EQ(search(R"(\)"), (std::vector<std::string>{podOf(R"(a\b)"), podOf(R"(a\\b)")}));
  EXPECT_EQ(search("g!x"), only("bang!x"));
  EXPECT_EQ(search("!"), only("bang!x"));
  EXPECT_EQ(search("semi;--"), only("semi;--"));
  EXPECT_EQ(search("{x}"), only("brace{x}"));
  for (const char* q : {"%%", "__", "'; DROP TABLE k8s_pod_crash; --", "\\%", "\\_", "!%", "[a]", "a%b"})
    EXPECT_TRUE(search(q).empty()) << q;
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), static_cast<std::int64_t>(reasons.size()));
}

TEST_P(StoreCrashListTest, SearchWithNonAsciiOrInvalidUtf8NeverErrors) {
  record({"prod", "shop", "pod-0", "app", "caf\u00e9 \U0001F525 down", kHour10 + 1min});
  record({"prod", "shop", "pod-1", "app", "cafe down", kHour10 + 2min});
  record({"prod", "shop", "pod-2", "app", "bad\xff byte", kHour10 + 3min});  // stored as U+FFFD
  EXPECT_EQ(search("caf\u00e9"), std::vector<std::string>{"pod-0"});
  EXPECT_EQ(search("\U0001F525"), std::vector<std::string>{"pod-0"}) << "4-byte UTF-8";
  EXPECT_EQ(search("d\xff b"), std::vector<std::string>{"pod-2"}) << "the same invalid bytes find it";
  EXPECT_EQ(search("d\xfe b"), std::vector<std::string>{"pod-2"}) << "any invalid byte is U+FFFD";
  // A cut character matches no whole one (MySQL matched "caf\xc3" against "caf\u00e9").
  for (const char* q : {"caf\xc3", "\xc3\x28", "\xff\xfe\xff\xfe"}) {
    std::vector<std::string> found;
    EXPECT_NO_THROW(found = search(q));
    EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found) << " for "
                               << ::testing::PrintToString(std::string(q));
  }
}

TEST_P(StoreCrashListTest, SearchPagesWithTheCursor) {
  for (int i = 0; i < 9; ++i)
    record({"prod", "shop", i % 3 ? "match-" + std::to_string(i) : "other-" + std::to_string(i), "app", "Error",
            kHour10 + std::chrono::minutes(i / 2)});  // pairs of equal times
  CrashQuery query;
  query.clusterName = "prod";
  query.search = "MATCH";
  const auto ids = walk(query, 2);
  auto expected = expectedProdOrder();
  std::erase_if(expected,
                [&](auto id) { return store_.crashes->getCrash(id)->record.event.podName.rfind("match-", 0) != 0; });
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(ids, expected);
}

TEST_P(StoreCrashListTest, TimelineCountsPerHourAndNamespaceOldestFirst) {
  seedEqualTimes();
  // Hour 10: crashes 0-5 (billing 0,2,4 / shop 1,3,5); hour 11: 6-11; hour 12: 12-14.
  record({"prod", "shop", "before-since", "app", "Error", kHour10 - 1min});
  const auto buckets = store_.crashes->crashTimeline({"prod", kHour10});
  const std::vector<TimelineBucket> expected = {
      {kHour10, "billing", 3},   {kHour10, "shop", 3},         {kHour10 + 1h, "billing", 3},
      {kHour10 + 1h, "shop", 3}, {kHour10 + 2h, "billing", 2}, {kHour10 + 2h, "shop", 1},
  };
  EXPECT_EQ(buckets, expected);

  // Any cluster: staging's crash joins hour 12 of shop; `since` cuts inside hour 10, between
  // times one microsecond apart.
  const auto all = store_.crashes->crashTimeline({"", kHour10 + 5min + 1us});
  const std::vector<TimelineBucket> later = {{kHour10, "billing", 1},      {kHour10, "shop", 2},
                                             {kHour10 + 1h, "billing", 3}, {kHour10 + 1h, "shop", 3},
                                             {kHour10 + 2h, "billing", 2}, {kHour10 + 2h, "shop", 2}};
  EXPECT_EQ(all, later);
  EXPECT_TRUE(store_.crashes->crashTimeline({"prod", kHour10 + 3h}).empty());
  EXPECT_TRUE(store_.crashes->crashTimeline({"nowhere", kHour10 - 24h}).empty());
}

TEST_P(StoreCrashListTest, ATimelineOverItsBucketLimitKeepsTheNewestHours) {
  // 101 hours x 200 namespaces = 20,200 buckets, over the limit of 20,000.
  constexpr int kHours = 101, kNamespaces = 200;
  std::string sql;
  int rows = 0;
  for (int h = 0; h < kHours; ++h) {
    for (int n = 0; n < kNamespaces; ++n) {
      sql += std::string(sql.empty() ? "" : ", ") + "('prod', 'ns-" + std::to_string(1000 + n) + "', 'p', 'app', 1, '" +
             columns::toSqliteTime(kHour10 + std::chrono::hours(h) + 1min) + "')";
      if (++rows % 500 == 0) {
        exec("INSERT INTO k8s_pod_crash (clustername, namespace, podname, containername, restartcount, date) VALUES " +
             sql);
        sql.clear();
      }
    }
  }
  if (!sql.empty())
    exec("INSERT INTO k8s_pod_crash (clustername, namespace, podname, containername, restartcount, date) VALUES " +
         sql);
  const auto buckets = store_.crashes->crashTimeline({"prod", kHour10 - 1h});
  ASSERT_EQ(buckets.size(), static_cast<std::size_t>(CrashRepository::kMaxTimelineBuckets));
  const auto newest = kHour10 + std::chrono::hours(kHours - 1);
  EXPECT_EQ(buckets.back(), (TimelineBucket{newest, "ns-1199", 1})) << "the newest hour is never cut";
  EXPECT_EQ(buckets.front().hour, kHour10 + 1h) << "the oldest hour goes first";
  EXPECT_TRUE(std::is_sorted(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) {
    return std::tie(a.hour, a.namespace_) < std::tie(b.hour, b.namespace_);
  })) << "oldest hour first, then the namespace";
}

TEST_P(StoreCrashListTest, NamespacesAreDistinctSortedAndPerCluster) {
  EXPECT_TRUE(store_.crashes->crashNamespaces("").empty());
  seedEqualTimes();
  record({"staging", "zeta", "pod-z", "app", "Error", kHour10});
  record({"staging", "alpha", "pod-a", "app", "Error", kHour10});
  EXPECT_EQ(store_.crashes->crashNamespaces("prod"), (std::vector<std::string>{"billing", "shop"}));
  EXPECT_EQ(store_.crashes->crashNamespaces("staging"), (std::vector<std::string>{"alpha", "shop", "zeta"}));
  EXPECT_EQ(store_.crashes->crashNamespaces(""), (std::vector<std::string>{"alpha", "billing", "shop", "zeta"}));
  EXPECT_TRUE(store_.crashes->crashNamespaces("nowhere").empty());
}

TEST_P(StoreCrashListTest, DetailOfAListedCrashHasItsLogs) {
  seedEqualTimes();
  CrashQuery query;
  query.clusterName = "prod";
  query.search = "pod-7";
  const auto listed = store_.crashes->listRecentCrashes(query);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].record.logs.empty());
  const auto detail = store_.crashes->getCrash(listed[0].id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->record.event.podName, "pod-7");
  EXPECT_EQ(detail->record.event.detectedAt, listed[0].record.event.detectedAt);
  EXPECT_EQ(detail->record.logs, "log of pod-7\n");
  EXPECT_EQ(detail->record.logsStatus, "ok");
}

INSTANTIATE_STORE_BACKEND_TESTS(StoreCrashListTest);

}  // namespace
}  // namespace podmon::store
