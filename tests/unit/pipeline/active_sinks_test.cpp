// Which sinks the settings turn on: one decision for the outbox rows and the deliverers.
#include "pipeline/active_sinks.h"

#include <gtest/gtest.h>

#include <map>

#include "core/config.h"
#include "core/errors.h"
#include "core/settings.h"

namespace podmon::pipeline {
namespace {

using store::Sink;

Config load(const std::map<std::string, std::string>& env) {
  return Config::load(
      {},
      [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      [](const std::string& p) -> std::string { throw ConfigException(p + ": no such file"); });
}

ActiveSinks activeFor(const std::map<std::string, std::string>& env) {
  return ActiveSinks::fromSettings(Settings::from(load(env)));
}

// Moved from StoreChoiceTest.OutboxRowsOnlyForTheSinksThatAreOn: the decision moved here.
TEST(ActiveSinksTest, OutboxRowsOnlyForTheSinksThatAreOn) {
  EXPECT_EQ(activeFor({}).outboxSinks(), std::vector<Sink>{Sink::kSlack});
  EXPECT_EQ(activeFor({{"INDEX_FILE", "/tmp/c.ndjson"}}).outboxSinks(),
            (std::vector<Sink>{Sink::kElasticsearch, Sink::kSlack}));
  EXPECT_TRUE(activeFor({{"SLACK_NOTIFY", "false"}}).outboxSinks().empty());
}

TEST(ActiveSinksTest, NoSettingsMeanConsoleAlertsAndNoIndexing) {
  const ActiveSinks active = activeFor({});
  EXPECT_EQ(active.indexing, ActiveSinks::Indexing::kOff);
  EXPECT_EQ(active.alerts, ActiveSinks::Alerts::kConsole);
  EXPECT_FALSE(active.indexFileAlsoSet);
}

TEST(ActiveSinksTest, ElasticsearchWinsOverTheFileAndTheConflictIsNoted) {
  EXPECT_EQ(activeFor({{"INDEX_FILE", "/tmp/c.ndjson"}}).indexing, ActiveSinks::Indexing::kNdjsonFile);
  const ActiveSinks es = activeFor({{"ELASTICSEARCH_URL", "http://127.0.0.1:9200"}});
  EXPECT_EQ(es.indexing, ActiveSinks::Indexing::kElasticsearch);
  EXPECT_FALSE(es.indexFileAlsoSet);
  const ActiveSinks both = activeFor({{"ELASTICSEARCH_URL", "http://127.0.0.1:9200"}, {"INDEX_FILE", "/tmp/x"}});
  EXPECT_EQ(both.indexing, ActiveSinks::Indexing::kElasticsearch);
  EXPECT_TRUE(both.indexFileAlsoSet);
  EXPECT_EQ(both.outboxSinks(), (std::vector<Sink>{Sink::kElasticsearch, Sink::kSlack}));
}

TEST(ActiveSinksTest, SlackCredentialsMeanSlackAndNotifyFalseMeansNone) {
  EXPECT_EQ(activeFor({{"SLACK_TOKEN", "xoxb-1"}}).alerts, ActiveSinks::Alerts::kSlack);
  EXPECT_EQ(activeFor({{"SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/x"}}).alerts,
            ActiveSinks::Alerts::kSlack);
  EXPECT_EQ(activeFor({{"SLACK_TOKEN", "xoxb-1"}, {"SLACK_NOTIFY", "false"}}).alerts, ActiveSinks::Alerts::kOff);
}

}  // namespace
}  // namespace podmon::pipeline
