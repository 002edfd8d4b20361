#include "store/utf8_text.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "unit/store/legacy_utf8_text.h"

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

// The ASCII fast path (eight bytes at a time, valid runs copied whole) changes no output: random
// mixes of ASCII, valid and broken sequences at every alignment give what the byte loop gave.
TEST(Utf8TextTest, FastPathGivesWhatTheByteLoopGave) {
  const std::vector<std::string> pieces = {"a",
                                           "0123456789abcdef",
                                           "\n",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80",
                                           "\xC3",
                                           "\xA9",
                                           "\xE2\x82",
                                           "\xED\xA0\x80",
                                           "\xC0\xAF",
                                           "\xF4\x90\x80\x80",
                                           "\xFF",
                                           "\x7f",
                                           std::string(1, '\0')};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    for (int n = i % 40; n > 0; --n) text += pieces[pick(random)];
    ASSERT_EQ(sanitizeUtf8(text), legacy::sanitizeUtf8(text)) << i;
  }
}

}  // namespace
}  // namespace podmon::store
