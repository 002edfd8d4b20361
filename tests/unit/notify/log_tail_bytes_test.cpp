// logTailForCodeBlock reads only the log's tail; it must give what the old whole-log version
// (tests/unit/notify/legacy_mrkdwn.h) gave, byte for byte, so Slack messages do not change.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "notify/mrkdwn.h"
#include "unit/notify/legacy_mrkdwn.h"

namespace podmon::notify {
namespace {

void expectSameTail(const std::string& logs, std::size_t maxLength) {
  bool cutBefore = false;
  bool cutAfter = true;
  const std::string before = legacy::logTailForCodeBlock(logs, maxLength, &cutBefore);
  const std::string after = logTailForCodeBlock(logs, maxLength, &cutAfter);
  ASSERT_EQ(after, before) << "log of " << logs.size() << " bytes, max " << maxLength;
  ASSERT_EQ(cutAfter, cutBefore);
}

TEST(LogTailBytesTest, A64KiBLogGivesTheSameTail) {
  std::string logs;
  for (int i = 0; logs.size() < 64 * 1024; ++i) logs += "2024-05-01 line " + std::to_string(i) + " <a & b> ```x``\n";
  for (std::size_t max : {0, 1, 2, 3, 50, 990, 2990, 70000, 200000}) expectSameTail(logs, max);
  expectSameTail(std::string(64 * 1024, 'x'), 2990);
}

TEST(LogTailBytesTest, HostileTailsGiveTheSameTail) {
  const std::string brokenRun = "\xC3" + std::string(5000, '\x80');  // one replacement for 5001 bytes
  const std::vector<std::string> logs = {
      "",
      "\n\n \t\r",
      "ok\xC3",
      std::string(10000, '`'),
      std::string(10000, '&'),
      "line\n" + brokenRun + "\n" + brokenRun,
      std::string(3000, 'a') + std::string(9000, '\xFF'),
      std::string(20000, ' ') + "\nx",
      "start\n" + std::string(4000, '\xF0') + "\xF0\x9F\x98\x80 end \n",
      std::string(2000, 'x') + std::string(2000, '\n'),
  };
  for (const auto& log : logs) {
    for (std::size_t max : {0, 1, 2, 5, 100, 2990, 20000}) expectSameTail(log, max);
  }
}

TEST(LogTailBytesTest, RandomLogsGiveTheSameTail) {
  const std::vector<std::string> pieces = {
      "a",    "line of text ", "\n",   "`", "``", "&", "<", ">", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
      "\xC3", "\x80",          "\xFF", " ", "\t"};
  std::mt19937 random(11);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<std::size_t> count(0, 3000);
  std::uniform_int_distribution<std::size_t> max(0, 400);
  for (int i = 0; i < 400; ++i) {
    std::string log;
    for (std::size_t n = count(random); n > 0; --n) log += pieces[pick(random)];
    expectSameTail(log, max(random));
    expectSameTail(log, 2990);
  }
}

}  // namespace
}  // namespace podmon::notify
