#include "notify/mrkdwn.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

TEST(MrkdwnTest, EscapesOnlyAmpersandAndAngleBrackets) {
  EXPECT_EQ(escapeMrkdwn("a & b <!channel> \"q\" 'x' *y*"), "a &amp; b &lt;!channel&gt; \"q\" 'x' *y*");
}

TEST(MrkdwnTest, SlackLengthCountsUtf16Units) {
  EXPECT_EQ(slackLength("abc"), 3u);
  EXPECT_EQ(slackLength("h\xC3\xA9"), 2u);         // é
  EXPECT_EQ(slackLength("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(slackLength("\xF0\x9F\x94\xA5"), 2u);  // 🔥
}

TEST(MrkdwnTest, FitMrkdwnNeverCutsAnEntityOrACharacter) {
  EXPECT_EQ(fitMrkdwn("abc", 3), "abc");
  EXPECT_EQ(fitMrkdwn("ab&cd", 5), "ab\xE2\x80\xA6");  // "ab&amp;" would be 7
  EXPECT_EQ(fitMrkdwn("\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5", 3), "\xF0\x9F\x94\xA5\xE2\x80\xA6");
  EXPECT_EQ(fitMrkdwn("bad\xFFtext", 50), "bad\xEF\xBF\xBDtext");
}

TEST(MrkdwnTest, CodeBlockBreaksUpBacktickRuns) {
  const std::string out = logTailForCodeBlock("before ``` after\n`single`", 100);
  EXPECT_EQ(out.find("```"), std::string::npos);
  EXPECT_EQ(out, "before `\xE2\x80\x8B`\xE2\x80\x8B` after\n`single`");
}

TEST(MrkdwnTest, CodeBlockEscapesAndDropsTrailingNewlines) {
  EXPECT_EQ(logTailForCodeBlock("<b> & </b>\n\n", 100), "&lt;b&gt; &amp; &lt;/b&gt;");
}

TEST(MrkdwnTest, CodeBlockKeepsTheNewestWholeLines) {
  bool truncated = false;
  const std::string out = logTailForCodeBlock("line one\nline two\nline three", 20, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(out, "\xE2\x80\xA6\nline three");
  EXPECT_LE(slackLength(out), 20u);
}

TEST(MrkdwnTest, CodeBlockTruncationWithEmojiStaysValidAndInLimit) {
  std::string logs;
  for (int i = 0; i < 2000; ++i) logs += "\xF0\x9F\x94\xA5<";  // 🔥< : 2 + 4 units each
  bool truncated = false;
  const std::string out = logTailForCodeBlock(logs, 2901, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_LE(slackLength(out), 2901u);
  EXPECT_GT(slackLength(out), 2880u);
  // Ends with a whole escaped '<' and starts right after the marker with a whole emoji.
  EXPECT_EQ(out.substr(out.size() - 4), "&lt;");
  EXPECT_EQ(out.substr(0, 4), "\xE2\x80\xA6\n");
  const std::string body = out.substr(4);
  EXPECT_TRUE(body.rfind("\xF0\x9F\x94\xA5", 0) == 0 || body.rfind("&lt;", 0) == 0);
}

TEST(MrkdwnTest, InvalidUtf8IsReplaced) { EXPECT_EQ(logTailForCodeBlock("ok\xC3", 100), "ok\xEF\xBF\xBD"); }

}  // namespace
}  // namespace podmon::notify
