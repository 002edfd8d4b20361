#include "cli/command_line.h"

#include <gtest/gtest.h>

#include "cli/cli_errors.h"

namespace podmon::cli {
namespace {

using Args = std::vector<std::string>;

TEST(CommandLineTest, TakesItsOwnOptionsAndLeavesTheRestForConfig) {
  const auto split = splitCommandLine({"--sql-host", "db", "routes", "set", "--cluster", "prod", "payments", "#pay",
                                       "--output=json", "--config", "f.yaml", "--actor=ops"});
  EXPECT_EQ(split.configArgs, (Args{"--sql-host", "db", "routes", "set", "payments", "#pay", "--config", "f.yaml"}));
  EXPECT_EQ(split.options.cluster, "prod");
  EXPECT_EQ(split.options.actor, "ops");
  EXPECT_EQ(split.options.output, OutputFormat::kJson);
  EXPECT_EQ(split.options.given, (Args{"--cluster", "--output", "--actor"}));
}

TEST(CommandLineTest, ShortOutputAndFlags) {
  const auto split = splitCommandLine(
      {"crashes", "list", "-o", "json", "--all-clusters", "--since", "1h", "--limit=5", "--namespace", "payments"});
  EXPECT_EQ(split.options.output, OutputFormat::kJson);
  EXPECT_TRUE(split.options.allClusters);
  EXPECT_EQ(split.options.since, "1h");
  EXPECT_EQ(split.options.limit, "5");
  EXPECT_EQ(split.options.namespace_, "payments");
  EXPECT_EQ(split.configArgs, (Args{"crashes", "list"}));
}

TEST(CommandLineTest, ClusterNameIsASettingNotTheClusterOption) {
  const auto split = splitCommandLine({"--cluster-name", "prod", "routes", "list"});
  EXPECT_FALSE(split.options.cluster);
  EXPECT_EQ(split.configArgs, (Args{"--cluster-name", "prod", "routes", "list"}));
}

TEST(CommandLineTest, Errors) {
  EXPECT_THROW(splitCommandLine({"routes", "list", "--cluster"}), UsageException);
  EXPECT_THROW(splitCommandLine({"routes", "list", "-o", "yaml"}), UsageException);
  EXPECT_THROW(splitCommandLine({"routes", "list", "--all-clusters=yes"}), UsageException);
}

}  // namespace
}  // namespace podmon::cli
