#include "pipeline/sink_setup.h"

#include <memory>

#include "core/settings.h"
#include "core/errors.h"
#include "index/elasticsearch_deliverer.h"
#include "index/elasticsearch_options.h"
#include "index/ndjson_file_deliverer.h"
#include "notify/alert_state_store_factory.h"
#include "notify/console_slack_client.h"
#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"

namespace podmon::pipeline {

std::vector<ConfiguredSink> buildSinks(const Settings& settings, const store::OpenedStore& store,
                                       std::ostream& console) {
  std::vector<ConfiguredSink> sinks;
  const ElasticsearchSettings& es = settings.elasticsearch;
  const SlackSettings& slack = settings.slack;

  ConfiguredSink indexing{"elasticsearch", nullptr, ""};
  if (!es.url.empty()) {
    if (!es.indexFile.empty()) {
      throw ConfigException("ELASTICSEARCH_URL and INDEX_FILE are both set: crashes are indexed into one of them; "
                            "unset INDEX_FILE to use Elasticsearch");
    }
    indexing.deliverer = std::make_shared<index::ElasticsearchDeliverer>(index::ElasticsearchOptions::fromSettings(es));
    indexing.startupLine = "indexing: Elasticsearch " + es.url + " (" +
                           es.index + "YYYY.MM.DD)";
  } else if (!es.indexFile.empty()) {
    indexing.deliverer = std::make_shared<index::NdjsonFileDeliverer>(es.indexFile);
    indexing.startupLine = "indexing: NDJSON file " + es.indexFile +
                           " (one Elasticsearch document per line; set ELASTICSEARCH_URL for Elasticsearch)";
  } else {
    indexing.startupLine = "indexing: off (set ELASTICSEARCH_URL, or INDEX_FILE for an NDJSON file)";
  }
  sinks.push_back(std::move(indexing));

  ConfiguredSink alerts{"slack", nullptr, ""};
  if (!slack.notify) {
    alerts.startupLine = "alerts: off (SLACK_NOTIFY=false)";
  } else {
    notify::SlackClient::Ptr client;
    if (!slack.token.empty() || !slack.webhookUrl.empty()) {
      client = std::make_shared<notify::PocoSlackClient>(notify::SlackClientOptions::fromSettings(slack));
      alerts.startupLine = "alerts: Slack through " + client->describe() + " (default channel " +
                           slack.channel + ")";
    } else {
      client = std::make_shared<notify::ConsoleSlackClient>(console);
      alerts.startupLine = "alerts: printed on the console (set SLACK_TOKEN or SLACK_WEBHOOK_URL for Slack, "
                           "SLACK_NOTIFY=false for none)";
    }
    alerts.deliverer = std::make_shared<notify::SlackDeliverer>(notify::SlackDelivererOptions::fromSettings(slack),
                                                                client, store.crashes,
                                                                notify::makeAlertStateStore(store));
  }
  sinks.push_back(std::move(alerts));
  return sinks;
}

}  // namespace podmon::pipeline
