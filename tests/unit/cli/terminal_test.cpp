#include "cli/terminal.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"

namespace podmon::cli {
namespace {

Config load(const std::map<std::string, std::string>& env) {
  return Config::load(
      {},
      [&](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string&) { return std::string("from-file\n"); });
}

TEST(TerminalTest, PromptsOnlyOnATerminalWithoutAnyPassword) {
  EXPECT_TRUE(shouldPromptForPassword(load({}), true));
  EXPECT_FALSE(shouldPromptForPassword(load({}), false));
  EXPECT_FALSE(shouldPromptForPassword(load({{"SQL_PASSWORD", "secret"}}), true));
  EXPECT_FALSE(shouldPromptForPassword(load({{"SQL_PASSWORD", ""}}), true));  // explicitly none
  EXPECT_FALSE(shouldPromptForPassword(load({{"SQL_PASSWORD_FILE", "/run/secrets/sql"}}), true));
}

}  // namespace
}  // namespace podmon::cli
