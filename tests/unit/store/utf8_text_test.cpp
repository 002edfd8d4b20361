#include "store/utf8_text.h"

#include <gtest/gtest.h>

namespace podmon::store {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8TextTest, ValidTextIsUnchanged) {
  const std::string text = "plain ascii, 数据库, ошибка, 💥🚀";
  EXPECT_EQ(sanitizeUtf8(text), text);
}

TEST(Utf8TextTest, InvalidSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(sanitizeUtf8("a\xff"
                         "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(sanitizeUtf8("\xC0\xAF"), kFffd);                 // overlong '/'
  EXPECT_EQ(sanitizeUtf8("\xED\xA0\x80"), kFffd);             // surrogate
  EXPECT_EQ(sanitizeUtf8("\xF4\x90\x80\x80"), kFffd);         // above U+10FFFF
  EXPECT_EQ(sanitizeUtf8("ok \xE6\x95"), "ok " + kFffd);      // cut at the end
  EXPECT_EQ(sanitizeUtf8("\x80\x80x"), kFffd + kFffd + "x");  // stray continuation bytes
  EXPECT_EQ(sanitizeUtf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Utf8TextTest, HeadCountsCharactersNotBytes) {
  EXPECT_EQ(headUtf8Chars("数据库连接", 2), "数据");
  EXPECT_EQ(headUtf8Chars("ab", 5), "ab");
  EXPECT_EQ(headUtf8Chars("🚀🚀", 1), "🚀");
  EXPECT_EQ(headUtf8Chars("abc", 0), "");
}

TEST(Utf8TextTest, TailNeverStartsInsideACharacter) {
  EXPECT_EQ(tailUtf8Bytes("x数据", 5), "据");  // 5 bytes would start inside 数
  EXPECT_EQ(tailUtf8Bytes("abc", 10), "abc");
  EXPECT_EQ(tailUtf8Bytes("abc🚀", 4), "🚀");
}

TEST(Utf8TextTest, FitLogsKeepsTheNewestPartBehindAMarker) {
  std::string logs;
  for (int i = 0; i < 1000; ++i) logs += "line " + std::to_string(i) + " 🚀\n";
  const std::string fitted = fitLogs(logs, 200);
  EXPECT_LE(fitted.size(), 200u);
  EXPECT_EQ(fitted.rfind("[podmon: log cut to its last 200 bytes]\n", 0), 0u);
  EXPECT_TRUE(fitted.ends_with("line 999 🚀\n"));
  EXPECT_EQ(sanitizeUtf8(fitted), fitted);
  EXPECT_EQ(fitLogs("short", 200), "short");
  EXPECT_EQ(fitLogs("\xff", 200), kFffd);
}

}  // namespace
}  // namespace podmon::store
