// Console alerts: the Slack message of a crash as a readable block of plain text.
#include "notify/console_message_format.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/errors.h"
#include "notify/console_slack_client.h"
#include "notify/crash_message_builder.h"
#include "unit/index/sample_crash.h"

namespace podmon::notify {
namespace {

TEST(MrkdwnToPlainTest, UndoesSlackMarkup) {
  EXPECT_EQ(mrkdwnToPlain("*Reason*\nOOMKilled"), "Reason\nOOMKilled");
  EXPECT_EQ(mrkdwnToPlain("a &lt;b&gt; &amp; c"), "a <b> & c");
  EXPECT_EQ(mrkdwnToPlain("<https://kibana/x|View logs in Kibana>"), "View logs in Kibana (https://kibana/x)");
  EXPECT_EQ(mrkdwnToPlain("<!date^1714557600^{date_short_pretty} {time_secs}|2024-05-01 10:00:00 UTC>"),
            "2024-05-01 10:00:00 UTC");
  EXPECT_EQ(mrkdwnToPlain(":rotating_light: Pod crash at 10:05:11"), "Pod crash at 10:05:11");
  EXPECT_EQ(mrkdwnToPlain("*Last log lines*\n```\nline *one* &lt;x&gt;\nline two\n```"),
            "Last log lines\n    line *one* <x>\n    line two\n");
}

TEST(ConsoleMessageFormatTest, AlertShowsTheSlackMessageContent) {
  const auto crash = index::testing::sampleCrash();
  const SlackMessage message = CrashMessageBuilder("").alert(crash, "#payments");
  const std::string text = formatMessageForConsole(message);
  EXPECT_NE(text.find("podmon alert -> #payments\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Pod crash: payments/api-7d9f8-abcde (api)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  Reason:    OOMKilled\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  Cluster:   prod-eu\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  Restarts:  7\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Termination message\n    memory limit reached\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Image: registry.example/api:1.2.3"), std::string::npos) << text;
  EXPECT_EQ(text.find("```"), std::string::npos) << text;
  EXPECT_EQ(text.find(":rotating_light:"), std::string::npos) << text;
  EXPECT_EQ(text.find("<!date"), std::string::npos) << text;
}

TEST(ConsoleMessageFormatTest, FollowUpAndPlainTextMessages) {
  const auto crash = index::testing::sampleCrash();
  FollowUpSummary summary{3, crash.record.event.detectedAt, "Error", 1};
  const std::string followUp =
      formatMessageForConsole(CrashMessageBuilder("").followUp(crash, summary, "#payments", "12.000000"));
  EXPECT_NE(followUp.find("(follow-up in the thread of alert 12.000000)"), std::string::npos) << followUp;
  EXPECT_NE(followUp.find("crashed 3 more times"), std::string::npos) << followUp;

  SlackMessage plain;
  plain.text = "just *text*";
  EXPECT_NE(formatMessageForConsole(plain).find("just text\n"), std::string::npos);
}

TEST(ConsoleSlackClientTest, PrintsTheBlockAndAnswersLikeChatPostMessage) {
  std::ostringstream out;
  ConsoleSlackClient client(out);
  const auto message = CrashMessageBuilder("").alert(index::testing::sampleCrash(), "#payments");
  const auto first = client.post(message.toJson());
  const auto second = client.post(message.toJson());
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("\"ok\":true"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("\"ts\":\"1.000000\""), std::string::npos) << first.body;
  EXPECT_NE(second.body.find("\"ts\":\"2.000000\""), std::string::npos) << second.body;
  EXPECT_EQ(client.printed(), 2u);
  EXPECT_EQ(out.str(), formatMessageForConsole(message) + formatMessageForConsole(message));
  EXPECT_THROW(client.post("not json"), SinkException);
}

TEST(ConsoleSlackClientTest, AnUpdatePrintsTheGroupAgainUnderTheAlertItUpdates) {
  std::ostringstream out;
  ConsoleSlackClient client(out);
  const CrashMessageBuilder builder("");
  const auto crash = index::testing::sampleCrash();
  client.post(builder.alert(crash, "#payments").toJson());
  StormSummary summary;
  for (int i = 0; i < 12; ++i) summary.add("team-" + std::to_string(i % 3), "Deployment/web");
  auto update = builder.storm(crash, summary, "#payments");
  update.ts = "1.000000";
  const std::size_t before = out.str().size();
  const auto reply = client.update(update.toJson());
  EXPECT_NE(reply.body.find("\"ts\":\"1.000000\""), std::string::npos) << reply.body;
  EXPECT_EQ(client.printed(), 1u);  // still one alert
  const std::string printed = out.str().substr(before);
  EXPECT_EQ(printed.rfind("Update of alert 1:\n", 0), 0u) << printed;
  EXPECT_NE(printed.find("12 crashes in 3 namespaces, 3 workloads"), std::string::npos) << printed;
  update.ts = "";
  EXPECT_THROW(client.update(update.toJson()), SinkException);
}

TEST(ConsoleSlackClientTest, TerminalControlSequencesFromTheLogDoNothing) {
  auto crash = index::testing::sampleCrash();
  // An OSC title change, a CSI screen clear with cursor home, a C1 CSI (U+009B) and a backspace.
  crash.record.logs =
      "starting\n\x1b]0;pwned title\x07\x1b[2J\x1b[Hgone\n\xc2\x9b"
      "31mred\b\tok\n";
  crash.record.event.message = "exit \x1b]2;title\x1b\\ done";
  std::ostringstream out;
  ConsoleSlackClient client(out);
  client.post(CrashMessageBuilder("").alert(crash, "#payments").toJson());
  const std::string printed = out.str();
  EXPECT_EQ(printed.find('\x1b'), std::string::npos) << printed;
  EXPECT_EQ(printed.find('\x07'), std::string::npos) << printed;
  EXPECT_EQ(printed.find('\b'), std::string::npos) << printed;
  EXPECT_EQ(printed.find("\xc2\x9b"), std::string::npos) << printed;
  // The text of the sequences stays visible, newlines and tabs stay.
  EXPECT_NE(printed.find("?]0;pwned title??[2J?[Hgone\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("?31mred?\tok\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("exit ?]2;title?\\ done"), std::string::npos) << printed;
}

}  // namespace
}  // namespace podmon::notify
