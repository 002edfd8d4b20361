#include "pipeline/sink_setup.h"

#include <memory>

#include "core/config.h"
#include "core/errors.h"
#include "index/elasticsearch_deliverer.h"
#include "index/elasticsearch_options.h"
#include "index/ndjson_file_deliverer.h"
#include "notify/console_slack_client.h"
#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"

namespace podmon::pipeline {

std::vector<ConfiguredSink> buildSinks(const Config& config, const store::OpenedStore& store, std::ostream& console) {
  std::vector<ConfiguredSink> sinks;

  ConfiguredSink indexing{"elasticsearch", nullptr, ""};
  if (config.isSet("ELASTICSEARCH_URL")) {
    if (config.isSet("INDEX_FILE")) {
      throw ConfigException("ELASTICSEARCH_URL and INDEX_FILE are both set: crashes are indexed into one of them; "
                            "unset INDEX_FILE to use Elasticsearch");
    }
    indexing.deliverer = std::make_shared<index::ElasticsearchDeliverer>(index::ElasticsearchOptions::fromConfig(config));
    indexing.startupLine = "indexing: Elasticsearch " + config.get("ELASTICSEARCH_URL") + " (" +
                           config.get("ELASTICSEARCH_INDEX") + "YYYY.MM.DD)";
  } else if (config.isSet("INDEX_FILE")) {
    indexing.deliverer = std::make_shared<index::NdjsonFileDeliverer>(config.get("INDEX_FILE"));
    indexing.startupLine = "indexing: NDJSON file " + config.get("INDEX_FILE") +
                           " (one Elasticsearch document per line; set ELASTICSEARCH_URL for Elasticsearch)";
  } else {
    indexing.startupLine = "indexing: off (set ELASTICSEARCH_URL, or INDEX_FILE for an NDJSON file)";
  }
  sinks.push_back(std::move(indexing));

  ConfiguredSink alerts{"slack", nullptr, ""};
  if (!config.getBool("SLACK_NOTIFY")) {
    alerts.startupLine = "alerts: off (SLACK_NOTIFY=false)";
  } else {
    notify::SlackClient::Ptr client;
    if (config.isSet("SLACK_TOKEN") || config.isSet("SLACK_WEBHOOK_URL")) {
      client = std::make_shared<notify::PocoSlackClient>(notify::SlackClientOptions::fromConfig(config));
      alerts.startupLine = "alerts: Slack through " + client->describe() + " (default channel " +
                           config.get("SLACK_CHANNEL") + ")";
    } else {
      client = std::make_shared<notify::ConsoleSlackClient>(console);
      alerts.startupLine = "alerts: printed on the console (set SLACK_TOKEN or SLACK_WEBHOOK_URL for Slack, "
                           "SLACK_NOTIFY=false for none)";
    }
    alerts.deliverer = std::make_shared<notify::SlackDeliverer>(notify::SlackDelivererOptions::fromConfig(config),
                                                                client, store.notifyRules,
                                                                store::makeAlertStateStore(store));
  }
  sinks.push_back(std::move(alerts));
  return sinks;
}

}  // namespace podmon::pipeline
