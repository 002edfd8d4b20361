#include "notify/exit_code_meaning.h"

#include <gtest/gtest.h>

namespace podmon::notify {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ExitCodeMeaningTest, CommonCodes) {
  EXPECT_TRUE(contains(exitCodeMeaning(137), "SIGKILL"));
  EXPECT_TRUE(contains(exitCodeMeaning(137), "OOM"));
  EXPECT_TRUE(contains(exitCodeMeaning(143), "SIGTERM"));
  EXPECT_EQ(exitCodeMeaning(1), "application error");
  EXPECT_TRUE(contains(exitCodeMeaning(126), "cannot be executed"));
  EXPECT_TRUE(contains(exitCodeMeaning(127), "command not found"));
  EXPECT_TRUE(contains(exitCodeMeaning(128), "invalid exit argument"));
  EXPECT_TRUE(contains(exitCodeMeaning(139), "SIGSEGV"));
  EXPECT_TRUE(contains(exitCodeMeaning(134), "SIGABRT"));
  EXPECT_EQ(exitCodeMeaning(130), "killed by SIGINT");
  EXPECT_EQ(exitCodeMeaning(170), "killed by signal 42");
  EXPECT_EQ(exitCodeMeaning(3), "application-specific exit code");
}

TEST(ExitCodeMeaningTest, OomKilledReasonIsSaidPlainly) {
  EXPECT_TRUE(contains(exitCodeMeaning(137, "OOMKilled"), "out of memory"));
}

TEST(ExitCodeMeaningTest, Describe) {
  EXPECT_EQ(describeExit(std::nullopt), "unknown");
  EXPECT_EQ(describeExit(1), "1 (application error)");
}

}  // namespace
}  // namespace podmon::notify
