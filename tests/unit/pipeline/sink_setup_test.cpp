// Which sinks the settings turn on, and the start-up line each gets (no I/O: stores connect lazily).
#include "pipeline/sink_setup.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/config.h"
#include "core/errors.h"
#include "core/settings.h"
#include "index/elasticsearch_deliverer.h"
#include "index/ndjson_file_deliverer.h"
#include "notify/slack_deliverer.h"

namespace podmon::pipeline {
namespace {

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

std::vector<ConfiguredSink> sinksFor(const std::map<std::string, std::string>& env) {
  const Settings settings = Settings::from(load(env));
  std::ostringstream console;
  // A path that is never opened: building sinks does no I/O.
  store::StoreChoice choice;
  choice.sqlitePath = "/nonexistent/podmon-unit.db";
  const ActiveSinks active = ActiveSinks::fromSettings(settings);
  return buildSinks(active, settings,
                    store::openStore(choice, store::crashStoreOptionsFrom(settings, active.outboxSinks())), console);
}

TEST(SinkSetupTest, NoSettingsMeanConsoleAlertsAndNoIndexing) {
  const auto sinks = sinksFor({});
  ASSERT_EQ(sinks.size(), 2u);
  EXPECT_EQ(sinks[0].deliverer, nullptr);
  EXPECT_EQ(sinks[0].startupLine, "indexing: off (set ELASTICSEARCH_URL, or INDEX_FILE for an NDJSON file)");
  ASSERT_NE(dynamic_cast<notify::SlackDeliverer*>(sinks[1].deliverer.get()), nullptr);
  EXPECT_EQ(sinks[1].startupLine.rfind("alerts: printed on the console", 0), 0u) << sinks[1].startupLine;
}

TEST(SinkSetupTest, SlackCredentialsMeanSlackAndNotifyFalseMeansNoAlerts) {
  const auto slack = sinksFor({{"SLACK_TOKEN", "xoxb-secret-token"}});
  EXPECT_EQ(slack[1].startupLine.rfind("alerts: Slack through ", 0), 0u) << slack[1].startupLine;
  EXPECT_EQ(slack[1].startupLine.find("xoxb-secret-token"), std::string::npos);
  const auto off = sinksFor({{"SLACK_NOTIFY", "false"}});
  EXPECT_EQ(off[1].deliverer, nullptr);
  EXPECT_EQ(off[1].startupLine, "alerts: off (SLACK_NOTIFY=false)");
}

TEST(SinkSetupTest, IndexFileOrElasticsearchButNotBoth) {
  const auto file = sinksFor({{"INDEX_FILE", "/var/lib/podmon/crashes.ndjson"}});
  ASSERT_NE(dynamic_cast<index::NdjsonFileDeliverer*>(file[0].deliverer.get()), nullptr);
  EXPECT_EQ(file[0].startupLine.rfind("indexing: NDJSON file /var/lib/podmon/crashes.ndjson", 0), 0u);
  const auto es = sinksFor({{"ELASTICSEARCH_URL", "http://127.0.0.1:9200"}});
  ASSERT_NE(dynamic_cast<index::ElasticsearchDeliverer*>(es[0].deliverer.get()), nullptr);
  EXPECT_EQ(es[0].startupLine.rfind("indexing: Elasticsearch http://127.0.0.1:9200", 0), 0u);
  EXPECT_THROW(sinksFor({{"ELASTICSEARCH_URL", "http://127.0.0.1:9200"}, {"INDEX_FILE", "/tmp/x"}}), ConfigException);
}

}  // namespace
}  // namespace podmon::pipeline
