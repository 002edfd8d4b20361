#include "notify/crash_message_builder.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "notify/kibana_link.h"
#include "notify/mrkdwn.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::notify {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const auto kAt = std::chrono::system_clock::time_point(std::chrono::seconds(1714557600));  // 2024-05-01 10:00 UTC

Object::Ptr parse(const SlackMessage& message) {
  return Poco::JSON::Parser().parse(message.toJson()).extract<Object::Ptr>();
}

std::string blockText(const Object::Ptr& block) { return block->getObject("text")->getValue<std::string>("text"); }

// All text of all blocks, joined, to search in.
std::string allText(const Object::Ptr& body) {
  std::string all;
  auto blocks = body->getArray("blocks");
  for (std::size_t i = 0; i < blocks->size(); ++i) {
    auto block = blocks->getObject(static_cast<unsigned>(i));
    if (block->has("text")) all += blockText(block) + "\n";
    for (const char* list : {"fields", "elements"}) {
      if (!block->has(list)) continue;
      auto items = block->getArray(list);
      for (std::size_t k = 0; k < items->size(); ++k) {
        all += items->getObject(static_cast<unsigned>(k))->getValue<std::string>("text") + "\n";
      }
    }
  }
  return all;
}

TEST(CrashMessageBuilderTest, AlertHasHeaderFieldsLogsAndFallbackText) {
  auto item = fakes::sampleItem(7, kAt);
  item.crash.record.logs = "boot\nuser <script>alert(1)</script> & co\nwrite ``` fence\nfatal: out of memory\n";
  const auto message = CrashMessageBuilder("https://kibana.example.com/").alert(item.crash, "#shop");
  const auto body = parse(message);

  EXPECT_EQ(body->getValue<std::string>("channel"), "#shop");
  const std::string text = body->getValue<std::string>("text");
  EXPECT_NE(text.find("prod"), std::string::npos);
  EXPECT_NE(text.find("shop/web-7d9f8-abcde"), std::string::npos);
  EXPECT_NE(text.find("137"), std::string::npos);

  auto blocks = body->getArray("blocks");
  ASSERT_GE(blocks->size(), 4u);
  auto header = blocks->getObject(0);
  EXPECT_EQ(header->getValue<std::string>("type"), "header");
  EXPECT_EQ(header->getObject("text")->getValue<std::string>("type"), "plain_text");
  EXPECT_NE(blockText(header).find("shop/web-7d9f8-abcde (app)"), std::string::npos);

  auto details = blocks->getObject(1);
  auto fields = details->getArray("fields");
  ASSERT_EQ(fields->size(), 10u);  // Slack's maximum
  const std::string all = allText(body);
  for (const char* expected :
       {"*Cluster*\nprod", "*Namespace*\nshop", "*Pod*\nweb-7d9f8-abcde", "*Container*\napp",
        "*Workload*\nDeployment/web", "*Node*\nnode-1", "*Reason*\nOOMKilled", "*Restarts*\n7", "<!date^1714557600^"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected;
  }
  EXPECT_NE(all.find("*Exit code*\n137 (SIGKILL: out of memory"), std::string::npos);

  // The log: escaped, inside one code block, the inner fence broken up.
  const std::string logs = blockText(blocks->getObject(2));
  EXPECT_EQ(logs.rfind("*Last log lines*\n```\n", 0), 0u);
  EXPECT_EQ(logs.substr(logs.size() - 4), "\n```");
  const std::string inner = logs.substr(21, logs.size() - 25);
  EXPECT_EQ(inner.find("```"), std::string::npos);
  EXPECT_NE(logs.find("user &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_EQ(logs.find("<script>"), std::string::npos);
  EXPECT_NE(logs.find("fatal: out of memory"), std::string::npos);

  // Kibana link in the context, & escaped inside the link.
  EXPECT_NE(all.find("<https://kibana.example.com/app/discover#/?_g="), std::string::npos);
  EXPECT_NE(all.find("&amp;_a="), std::string::npos);
  EXPECT_NE(all.find("|View logs in Kibana>"), std::string::npos);
}

TEST(CrashMessageBuilderTest, EveryBlockStaysWithinSlackLimits) {
  auto item = fakes::sampleItem(1, kAt, std::string(300, 'p'));
  std::string logs;
  for (int i = 0; i < 500; ++i) logs += "line " + std::to_string(i) + " \xF0\x9F\x98\x80 <&> ```\n";
  item.crash.record.logs = logs;
  item.crash.record.event.message = std::string(5000, 'm');
  const auto body = parse(CrashMessageBuilder().alert(item.crash, "#c"));
  auto blocks = body->getArray("blocks");
  EXPECT_LE(blocks->size(), 50u);
  EXPECT_LE(slackLength(blockText(blocks->getObject(0))), CrashMessageBuilder::kHeaderMax);
  for (std::size_t i = 1; i < blocks->size(); ++i) {
    auto block = blocks->getObject(static_cast<unsigned>(i));
    if (block->has("text")) {
      EXPECT_LE(slackLength(blockText(block)), 3000u);
    }
  }
  const std::string lastLogs = blockText(blocks->getObject(3));
  EXPECT_NE(lastLogs.find("line 499"), std::string::npos);  // the newest lines are kept
  EXPECT_EQ(lastLogs.find("line 0 "), std::string::npos);
  EXPECT_LE(slackLength(body->getValue<std::string>("text")), CrashMessageBuilder::kTextMax);
}

TEST(CrashMessageBuilderTest, LogsUnavailableAreSaid) {
  auto item = fakes::sampleItem(1, kAt);
  item.crash.record.logs.clear();
  item.crash.record.logsStatus = "unavailable";
  const std::string all = allText(parse(CrashMessageBuilder().alert(item.crash, "#c")));
  EXPECT_NE(all.find("Logs: unavailable"), std::string::npos);
  EXPECT_EQ(all.find("Last log lines"), std::string::npos);
  EXPECT_EQ(all.find("Kibana"), std::string::npos);  // no KIBANA_URL, no link
}

TEST(CrashMessageBuilderTest, FollowUpIsThreadedAndCounts) {
  auto item = fakes::sampleItem(9, kAt + std::chrono::minutes(2));
  FollowUpSummary summary{6, kAt + std::chrono::seconds(10), "Error", 1};
  const auto message = CrashMessageBuilder().followUp(item.crash, summary, "C123", "1700000000.000001");
  const auto body = parse(message);
  EXPECT_EQ(body->getValue<std::string>("thread_ts"), "1700000000.000001");
  EXPECT_EQ(body->getValue<std::string>("channel"), "C123");
  const std::string all = allText(body);
  EXPECT_NE(all.find("crashed *6 more times* since <!date^1714557610^"), std::string::npos);
  EXPECT_NE(all.find("Last reason: Error, exit code 1 (application error)"), std::string::npos);
  EXPECT_NE(body->getValue<std::string>("text").find("6 more times"), std::string::npos);
}

TEST(CrashMessageBuilderTest, FirstCrashOfAFingerprintSaysNewFailure) {
  auto item = fakes::sampleItem(7, kAt);
  item.crash.record.fingerprint = "0123456789abcdef";
  item.crash.fingerprintHistory = store::FingerprintHistory{1, kAt, 1, 1};
  const auto body = parse(CrashMessageBuilder().alert(item.crash, "#shop"));
  const std::string text = body->getValue<std::string>("text");
  EXPECT_NE(text.find("restart count 7. New failure"), std::string::npos) << text;
  EXPECT_EQ(text.find("Seen before"), std::string::npos);
  const std::string all = allText(body);
  EXPECT_NE(all.find(":new: *New failure*: this error has not been seen before."), std::string::npos) << all;
  EXPECT_NE(all.find("Fingerprint: `0123456789abcdef`"), std::string::npos) << all;
  EXPECT_EQ(blockText(body->getArray("blocks")->getObject(2)),
            ":new: *New failure*: this error has not been seen before.");
}

TEST(CrashMessageBuilderTest, RepeatedFingerprintSaysSeenBeforeWithCountDateAndPods) {
  auto item = fakes::sampleItem(7, kAt + std::chrono::hours(5));
  item.crash.record.fingerprint = "0123456789abcdef";
  item.crash.fingerprintHistory = store::FingerprintHistory{12, kAt, 4, 1};
  auto body = parse(CrashMessageBuilder().alert(item.crash, "#shop"));
  EXPECT_NE(body->getValue<std::string>("text").find("Seen before: seen 12 times since 2024-05-01 10:00 UTC in 4 pods"),
            std::string::npos)
      << body->getValue<std::string>("text");
  EXPECT_NE(allText(body).find(":repeat: *Seen before*: seen 12 times since <!date^1714557600^"), std::string::npos);
  EXPECT_EQ(allText(body).find("New failure"), std::string::npos);

  item.crash.fingerprintHistory = store::FingerprintHistory{2, kAt, 1, 2};
  body = parse(CrashMessageBuilder().alert(item.crash, "#shop"));
  EXPECT_NE(
      body->getValue<std::string>("text").find("seen 2 times since 2024-05-01 10:00 UTC in 1 pod across 2 clusters"),
      std::string::npos)
      << body->getValue<std::string>("text");
}

TEST(CrashMessageBuilderTest, CrashWithoutFingerprintSaysNothingAboutHistory) {
  auto item = fakes::sampleItem(7, kAt);
  const auto body = parse(CrashMessageBuilder().alert(item.crash, "#shop"));
  const std::string all = allText(body) + body->getValue<std::string>("text");
  EXPECT_EQ(all.find("New failure"), std::string::npos);
  EXPECT_EQ(all.find("Seen before"), std::string::npos);
  EXPECT_EQ(all.find("Fingerprint"), std::string::npos);
}

TEST(CrashMessageBuilderTest, WebhookBodyHasNoChannelOrThread) {
  auto item = fakes::sampleItem(9, kAt);
  auto message = CrashMessageBuilder().followUp(item.crash, FollowUpSummary{1, kAt, "Error", 1}, "C1", "1.2");
  const auto body = Poco::JSON::Parser().parse(message.toJson(true)).extract<Object::Ptr>();
  EXPECT_FALSE(body->has("channel"));
  EXPECT_FALSE(body->has("thread_ts"));
  EXPECT_TRUE(body->has("blocks"));
}

// ELASTICSEARCH_DASHBOARD: the original's Slack text ended with a `Kibana dashboard` link to it;
// podmon shows it when KIBANA_URL (a Discover link per pod) is not set, and in follow-ups too.
TEST(CrashMessageBuilderTest, DashboardLinkWhenKibanaUrlIsNotSet) {
  auto item = fakes::sampleItem(7, kAt);
  const std::string dashboard = "http://127.0.0.1:5601/app/dashboards#/view/31fd2fd0";
  const CrashMessageBuilder builder(CrashMessageOptions{"", dashboard, true});
  const std::string alert = allText(parse(builder.alert(item.crash, "#shop")));
  EXPECT_NE(alert.find("<" + dashboard + "|Kibana dashboard>"), std::string::npos) << alert;
  const std::string followUp =
      allText(parse(builder.followUp(item.crash, FollowUpSummary{2, kAt, "Error", 1}, "#shop", "1.2")));
  EXPECT_NE(followUp.find("|Kibana dashboard>"), std::string::npos) << followUp;

  const CrashMessageBuilder both(CrashMessageOptions{"https://kibana.example.com/", dashboard, true});
  const std::string withKibana = allText(parse(both.alert(item.crash, "#shop")));
  EXPECT_NE(withKibana.find("|View logs in Kibana>"), std::string::npos);
  EXPECT_EQ(withKibana.find("Kibana dashboard"), std::string::npos) << "KIBANA_URL's link wins";
  EXPECT_EQ(allText(parse(CrashMessageBuilder().alert(item.crash, "#shop"))).find("Kibana"), std::string::npos);
}

// SLACK_INCLUDE_LOGS=false: no log lines and no termination message (Kubernetes may fill it from
// the log), not even the "Logs: none captured" note; the details and links stay.
TEST(CrashMessageBuilderTest, LogsLeftOutWhenIncludeLogsIsOff) {
  auto item = fakes::sampleItem(7, kAt);
  item.crash.record.logs = "password-ish log line 42\n";
  item.crash.record.event.message = "termination text from the log tail";
  const CrashMessageBuilder with(CrashMessageOptions{"", "", true});
  const std::string shown = allText(parse(with.alert(item.crash, "#shop")));
  ASSERT_NE(shown.find("password-ish log line 42"), std::string::npos) << shown;
  ASSERT_NE(shown.find("termination text from the log tail"), std::string::npos) << shown;

  const CrashMessageBuilder without(CrashMessageOptions{"", "https://dash.example/d", false});
  const auto body = parse(without.alert(item.crash, "#shop"));
  const std::string all = allText(body) + body->getValue<std::string>("text");
  EXPECT_EQ(all.find("password-ish"), std::string::npos) << all;
  EXPECT_EQ(all.find("termination text"), std::string::npos) << all;
  EXPECT_EQ(all.find("Last log lines"), std::string::npos) << all;
  EXPECT_EQ(all.find("Logs:"), std::string::npos) << all;
  EXPECT_NE(all.find("*Reason*"), std::string::npos) << all;
  EXPECT_NE(all.find("|Kibana dashboard>"), std::string::npos) << all;
}

TEST(KibanaLinkTest, DiscoverUrlQuotesAndEncodes) {
  EXPECT_EQ(kibanaDiscoverUrl("", "shop", "web-1", kAt), "");
  const std::string url = kibanaDiscoverUrl("https://k.example.com/", "shop", "web-1", kAt);
  EXPECT_EQ(url,
            "https://k.example.com/app/discover#/?_g=(time:(from:'2024-05-01T09:00:00.000Z',to:'2024-05-01T10:15:00."
            "000Z'))&_a=(query:(language:kuery,query:'namespace:%22shop%22%20and%20pod_name:%22web-1%22'))");
  const std::string odd = kibanaDiscoverUrl("https://k", "a\"b", "it's!|<x>", kAt);
  EXPECT_EQ(odd.find_first_of("|<> \""), std::string::npos);
  EXPECT_NE(odd.find("it!'s!!"), std::string::npos);
  EXPECT_NE(odd.find("a%5C%22b"), std::string::npos);
}

}  // namespace
}  // namespace podmon::notify
