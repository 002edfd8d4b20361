// podmon's command line: settings, command words and the demo's --seconds.
#include "daemon/podmon_command_line.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace podmon::daemon {
namespace {

PodmonCommandLine load(const std::vector<std::string>& args) {
  return loadPodmonCommandLine(
      args, [](const std::string&) -> std::optional<std::string> { return std::nullopt; },
      [](const std::string& p) -> std::string { throw ConfigException(p + ": no such file"); });
}

std::string errorOf(const std::vector<std::string>& args) {
  try {
    load(args);
  } catch (const ConfigException& e) {
    return e.message();
  }
  return "no error";
}

TEST(PodmonCommandLineTest, SecondsBelongToTheDemo) {
  const auto demo = load({"demo", "--seconds", "20", "--sql-port=3307"});
  EXPECT_EQ(demo.demoSeconds, std::chrono::seconds(20));
  EXPECT_EQ(demo.config.positional(), (std::vector<std::string>{"demo"}));
  EXPECT_EQ(demo.config.getInt("SQL_PORT"), 3307);
  EXPECT_EQ(load({"--seconds=5", "demo"}).demoSeconds, std::chrono::seconds(5));
  EXPECT_FALSE(load({"demo"}).demoSeconds);
  EXPECT_EQ(errorOf({"--seconds", "5"}), "unknown flag --seconds (see --help)");
  EXPECT_EQ(errorOf({"demo", "--seconds"}), "--seconds needs a number of seconds (e.g. --seconds 20)");
  EXPECT_EQ(errorOf({"demo", "--seconds", "0"}), "--seconds: '0' is not a whole number of seconds from 1 to 999999");
  EXPECT_EQ(errorOf({"demo", "--seconds=1m"}), "--seconds: '1m' is not a whole number of seconds from 1 to 999999");
}

TEST(PodmonCommandLineTest, HelpVersionAndUnknownFlags) {
  EXPECT_TRUE(load({"-h"}).config.helpRequested());
  EXPECT_TRUE(load({"--help"}).config.helpRequested());
  EXPECT_TRUE(load({"--version"}).config.versionRequested());
  EXPECT_EQ(errorOf({"--sql-prot=1"}), "unknown flag --sql-prot (see --help)");
  EXPECT_EQ(load({"-x"}).config.positional(), (std::vector<std::string>{"-x"}));
}

}  // namespace
}  // namespace podmon::daemon
