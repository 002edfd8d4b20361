#include "pipeline/sink_setup.h"

#include <memory>

#include "core/clock.h"
#include "core/errors.h"
#include "core/settings.h"
#include "http/url_for_log.h"
#include "index/elasticsearch_deliverer.h"
#include "index/elasticsearch_options.h"
#include "index/ndjson_file_deliverer.h"
#include "index/poco_es_http_client.h"
#include "notify/console_slack_client.h"
#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"
#include "pipeline/es_request_signing.h"

namespace podmon::pipeline {

namespace {

ConfiguredSink indexingSink(ActiveSinks::Indexing indexing, const Settings& settings) {
  const ElasticsearchSettings& es = settings.elasticsearch;
  ConfiguredSink sink{"elasticsearch", nullptr, ""};
  switch (indexing) {
    case ActiveSinks::Indexing::kElasticsearch: {
      const auto options = index::ElasticsearchOptions::fromSettings(es);
      const EsRequestSigning signing = esRequestSigning(settings, SystemClock::instance());
      sink.deliverer = std::make_shared<index::ElasticsearchDeliverer>(
          options, std::make_shared<index::PocoEsHttpClient>(options, signing.signer));
      sink.startupLine =
          "indexing: Elasticsearch " + http::urlForLog(es.url) + " (" + es.index + "YYYY.MM.DD)" + signing.startupNote;
      break;
    }
    case ActiveSinks::Indexing::kNdjsonFile:
      sink.deliverer = std::make_shared<index::NdjsonFileDeliverer>(es.indexFile);
      sink.startupLine = "indexing: NDJSON file " + es.indexFile +
                         " (one Elasticsearch document per line; set ELASTICSEARCH_URL for Elasticsearch)";
      break;
    case ActiveSinks::Indexing::kOff:
      sink.startupLine = "indexing: off (set ELASTICSEARCH_URL, or INDEX_FILE for an NDJSON file)";
      break;
  }
  return sink;
}

ConfiguredSink alertSink(ActiveSinks::Alerts alerts, const SlackSettings& slack, const store::OpenedStore& store,
                         std::ostream& console) {
  ConfiguredSink sink{"slack", nullptr, ""};
  if (alerts == ActiveSinks::Alerts::kOff) {
    sink.startupLine = "alerts: off (SLACK_NOTIFY=false)";
    return sink;
  }
  notify::SlackClient::Ptr client;
  if (alerts == ActiveSinks::Alerts::kSlack) {
    client = std::make_shared<notify::PocoSlackClient>(notify::SlackClientOptions::fromSettings(slack));
    sink.startupLine = "alerts: Slack through " + client->describe() + " (default channel " + slack.channel + ")";
  } else {
    client = std::make_shared<notify::ConsoleSlackClient>(console);
    sink.startupLine =
        "alerts: printed on the console (set SLACK_TOKEN or SLACK_WEBHOOK_URL for Slack, "
        "SLACK_NOTIFY=false for none)";
  }
  sink.deliverer = std::make_shared<notify::SlackDeliverer>(notify::SlackDelivererOptions::fromSettings(slack), client,
                                                            store.notifyRules, store::makeAlertStateStore(store));
  return sink;
}

}  // namespace

std::vector<ConfiguredSink> buildSinks(const ActiveSinks& active, const Settings& settings,
                                       const store::OpenedStore& store, std::ostream& console) {
  if (active.indexFileAlsoSet) {
    throw ConfigException(
        "ELASTICSEARCH_URL and INDEX_FILE are both set: crashes are indexed into one of them; "
        "unset INDEX_FILE to use Elasticsearch");
  }
  std::vector<ConfiguredSink> sinks;
  sinks.push_back(indexingSink(active.indexing, settings));
  sinks.push_back(alertSink(active.alerts, settings.slack, store, console));
  return sinks;
}

}  // namespace podmon::pipeline
