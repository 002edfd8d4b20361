// Which store podmonctl opens when the settings do not say, and the original utility's questions.
#include "cli/connection_prompt.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_errors.h"

namespace podmon::cli {
namespace {

StoreSettings defaults() {
  StoreSettings store;
  store.sqlUsername = "root";
  store.sqlDbname = "kubernetes_pod_monitor";
  store.sqlitePath = "./podmon.db";
  return store;
}

TEST(ConnectionPromptTest, UnconfiguredOnlyWithoutSqlHostSqlitePathAndTheDefaultFile) {
  StoreSettings store = defaults();
  EXPECT_TRUE(storeUnconfigured(store, false));
  EXPECT_FALSE(storeUnconfigured(store, true)) << "an existing ./podmon.db is the store";
  store.sqlHost = "db";
  EXPECT_FALSE(storeUnconfigured(store, false));
  store = defaults();
  store.sqlitePathGiven = true;
  EXPECT_FALSE(storeUnconfigured(store, false));
}

TEST(ConnectionPromptTest, AsksLikeTheOriginalUtilityWithDefaultsOnEnter) {
  std::istringstream in("db.example\n\n admin \n\n");
  std::ostringstream out;
  std::string hiddenPrompt;
  auto asked = askForConnection(defaults(), in, out, [&](const std::string& prompt) {
    hiddenPrompt = prompt;
    return std::string("pw");
  });
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->sqlHost, "db.example");
  EXPECT_EQ(asked->sqlPort, 3306);
  EXPECT_EQ(asked->sqlUsername, "admin");
  EXPECT_EQ(asked->sqlPassword, "pw");
  EXPECT_TRUE(asked->sqlPasswordGiven);
  EXPECT_EQ(asked->sqlDbname, "kubernetes_pod_monitor");
  EXPECT_EQ(hiddenPrompt, "Enter Password: ");
  const std::string shown = out.str();
  EXPECT_NE(shown.find("Enter the MySQL hostname"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Enter port (default 3306): "), std::string::npos) << shown;
  EXPECT_NE(shown.find("Enter username (default root): "), std::string::npos) << shown;
  EXPECT_NE(shown.find("Enter database name (default kubernetes_pod_monitor): "), std::string::npos) << shown;
  EXPECT_EQ(shown.find("pw"), std::string::npos);

  std::istringstream custom("db\n3307\nu\nmy_db\n");
  std::ostringstream ignored;
  auto second = askForConnection(defaults(), custom, ignored, [](const std::string&) { return std::string(); });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sqlPort, 3307);
  EXPECT_EQ(second->sqlDbname, "my_db");
}

TEST(ConnectionPromptTest, AnEmptyHostIsNoConnectionTheEndOfInputAndBadPortsAreUsageErrors) {
  std::ostringstream out;
  auto never = [](const std::string&) -> std::string { throw CliException("no password asked without a host"); };
  std::istringstream empty("\n");
  EXPECT_FALSE(askForConnection(defaults(), empty, out, never));
  std::istringstream eof("");
  EXPECT_THROW(askForConnection(defaults(), eof, out, never), UsageException);
  std::istringstream cut("db\n");
  EXPECT_THROW(askForConnection(defaults(), cut, out, never), UsageException);
  std::istringstream badPort("db\n99999\n");
  try {
    askForConnection(defaults(), badPort, out, never);
    ADD_FAILURE() << "port 99999 accepted";
  } catch (const UsageException& e) {
    EXPECT_EQ(e.message(), "port '99999' is not a number from 1 to 65535");
  }
}

TEST(ConnectionPromptTest, NoStoreMessageSaysWhatToSet) {
  const std::string message = noStoreMessage(defaults());
  for (const char* part : {"no store configured", "SQL_HOST", "SQLITE_PATH", "./podmon.db", "podmonctl migrate"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
  }
}

TEST(ConnectionPromptTest, TheSqliteNoticeNamesTheFile) {
  StoreSettings store = defaults();
  EXPECT_EQ(sqliteFallbackNotice(store), "podmonctl: no SQL_HOST set: using the SQLite store ./podmon.db");
  store.sqlitePath = "/var/lib/podmon/podmon.db";
  store.sqlitePathGiven = true;
  EXPECT_EQ(sqliteFallbackNotice(store),
            "podmonctl: no SQL_HOST set: using the SQLite store /var/lib/podmon/podmon.db (SQLITE_PATH)");
}

}  // namespace
}  // namespace podmon::cli
