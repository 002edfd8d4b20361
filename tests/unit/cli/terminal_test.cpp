#include "cli/terminal.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/settings.h"

namespace podmon::cli {
namespace {

StoreSettings load(const std::map<std::string, std::string>& env) {
  return Settings::from(Config::load(
                            {},
                            [&](const std::string& name) -> std::optional<std::string> {
                              auto it = env.find(name);
                              if (it == env.end()) return std::nullopt;
                              return it->second;
                            },
                            [](const std::string&) { return std::string("from-file\n"); }))
      .store;
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
