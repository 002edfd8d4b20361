// SlackMessage::toJson writes the body itself; it must be byte for byte what Poco::JSON's
// Object::stringify wrote before, for the builder's messages and for any value the blocks hold.

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "notify/crash_message_builder.h"
#include "notify/slack_message.h"
#include "unit/index/sample_crash.h"

namespace podmon::notify {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// SlackMessage::toJson as it was: the reference.
std::string pocoJson(const SlackMessage& message, bool forWebhook) {
  Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  if (!forWebhook) body.set("channel", message.channel);
  body.set("text", message.text);
  if (message.blocks && message.blocks->size() > 0) body.set("blocks", message.blocks);
  if (!forWebhook && !message.threadTs.empty()) body.set("thread_ts", message.threadTs);
  body.set("unfurl_links", false);
  body.set("unfurl_media", false);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

void expectSameJson(const SlackMessage& message) {
  EXPECT_EQ(message.toJson(false), pocoJson(message, false));
  EXPECT_EQ(message.toJson(true), pocoJson(message, true));
}

std::string hostileText() {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  return bytes + "\"\\`` ``` <!channel> & \xC3\x28 \xF0\x9F\x98\x80 \xED\xA0\x80\n\n";
}

TEST(SlackMessageBytesTest, BuilderMessagesAreUnchanged) {
  const CrashMessageBuilder builder("https://kibana.example.com");
  auto crash = index::testing::sampleCrash();
  expectSameJson(builder.alert(crash, "#alerts"));
  expectSameJson(builder.alert(crash, "#alerts", "*note* for <#C1>"));
  const std::string hostile = hostileText();
  crash.record.logs = hostile + std::string(64 * 1024, 'x') + hostile;
  crash.record.event.message = hostile;
  crash.record.event.podName = hostile;
  crash.record.event.reason = hostile;
  crash.record.event.image = hostile;
  crash.record.logsStatus = hostile;
  crash.record.fingerprint = hostile;
  expectSameJson(builder.alert(crash, hostile, hostile));
  const FollowUpSummary summary{3, crash.record.event.detectedAt, hostile, 137};
  expectSameJson(builder.followUp(crash, summary, "#alerts", "1714557935.000100"));
  expectSameJson(builder.followUp(crash, summary, "#alerts", "", "note"));
  crash.record.logs.clear();
  crash.fingerprintHistory.reset();
  expectSameJson(CrashMessageBuilder(CrashMessageOptions{"", "https://dash.example.com", false}).alert(crash, "#a"));
}

TEST(SlackMessageBytesTest, EveryKindOfValueIsWrittenAsPocoWroteIt) {
  SlackMessage message;
  expectSameJson(message);  // no blocks
  message.blocks = new Array;
  expectSameJson(message);  // empty blocks are left out
  Object::Ptr ordered = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  ordered->set("z", 1);
  ordered->set("a", Poco::Int64{-9007199254740993});
  ordered->set("m", 2.5);
  ordered->set("t", true);
  ordered->set("c", 'q');
  ordered->set("u", static_cast<unsigned>(7));
  ordered->set("e", Poco::Dynamic::Var());
  ordered->set(hostileText(), hostileText());
  Object sorted;  // keys come out sorted
  sorted.set("y", "1");
  sorted.set("b", Array());
  ordered->set("sorted", sorted);
  Array::Ptr nested = new Array;
  nested->add(Object::Ptr(new Object));
  nested->add(Array::Ptr(new Array));
  nested->add("text");
  ordered->set("nested", nested);
  message.blocks->add(ordered);
  message.blocks->add(0);
  message.channel = "#c";
  message.text = hostileText();
  message.threadTs = "1.2";
  expectSameJson(message);
}

}  // namespace
}  // namespace podmon::notify
