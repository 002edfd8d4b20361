#include "crash/nul_bytes.h"

#include <gtest/gtest.h>

namespace podmon::crash {
namespace {

using namespace std::string_literals;

TEST(NulBytesTest, EveryNulBecomesTheReplacementCharacter) {
  EXPECT_EQ(replaceNulBytes("before\0after"s),
            "before\xEF\xBF\xBD"
            "after");
  EXPECT_EQ(replaceNulBytes("\0\0x\0"s), "\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBD");
  EXPECT_EQ(replaceNulBytes("no nul here \xc3\xa9\n"), "no nul here \xc3\xa9\n");
}

TEST(NulBytesTest, JsonNulEscapesBecomeReplacementEscapes) {
  EXPECT_EQ(replaceJsonNulEscapes(R"([{"message":"a\u0000b","reason":"X"}])"),
            R"([{"message":"a\ufffdb","reason":"X"}])");
  // An escaped backslash followed by the text "u0000" is no NUL; other escapes stay.
  EXPECT_EQ(replaceJsonNulEscapes(R"(["a\\u0000b","\"q\"","\n\u0001"])"), R"(["a\\u0000b","\"q\"","\n\u0001"])");
  EXPECT_EQ(replaceJsonNulEscapes(R"(["\\\u0000"])"), R"(["\\\ufffd"])");
  EXPECT_EQ(replaceJsonNulEscapes("[\"raw\0nul\\\"]"s), "[\"raw\xEF\xBF\xBDnul\\\"]");
}

TEST(NulBytesTest, EveryTextOfACrashIsCovered) {
  CrashEvent event;
  event.message = "exit\0code"s;
  event.reason = "Err\0"s;
  event.podName = "p\0"s;
  event.labels = {{"k\0"s, "v\0"s}};
  std::string logs = "line 1\0line 2\n"s;
  std::string status = "captured\0"s;
  std::string events = R"([{"message":"x\u0000y"}])";
  replaceNulBytes(event, logs, status, events);
  EXPECT_EQ(event.message,
            "exit\xEF\xBF\xBD"
            "code");
  EXPECT_EQ(event.reason, "Err\xEF\xBF\xBD");
  EXPECT_EQ(event.podName, "p\xEF\xBF\xBD");
  ASSERT_EQ(event.labels.size(), 1u);
  EXPECT_EQ(event.labels.begin()->first, "k\xEF\xBF\xBD");
  EXPECT_EQ(event.labels.begin()->second, "v\xEF\xBF\xBD");
  EXPECT_EQ(logs, "line 1\xEF\xBF\xBDline 2\n");
  EXPECT_EQ(status, "captured\xEF\xBF\xBD");
  EXPECT_EQ(events, R"([{"message":"x\ufffdy"}])");
}

}  // namespace
}  // namespace podmon::crash
