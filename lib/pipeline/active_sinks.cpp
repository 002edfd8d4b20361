#include "pipeline/active_sinks.h"

#include "core/config.h"

namespace podmon::pipeline {

std::vector<store::Sink> ActiveSinks::outboxSinks() const {
  std::vector<store::Sink> sinks;
  if (indexing != Indexing::kOff) sinks.push_back(store::Sink::kElasticsearch);
  if (alerts != Alerts::kOff) sinks.push_back(store::Sink::kSlack);
  return sinks;
}

ActiveSinks ActiveSinks::fromConfig(const Config& config) {
  ActiveSinks active;
  if (config.isSet("ELASTICSEARCH_URL")) {
    active.indexing = Indexing::kElasticsearch;
    active.indexFileAlsoSet = config.isSet("INDEX_FILE");
  } else if (config.isSet("INDEX_FILE")) {
    active.indexing = Indexing::kNdjsonFile;
  }
  if (!config.getBool("SLACK_NOTIFY")) {
    active.alerts = Alerts::kOff;
  } else if (config.isSet("SLACK_TOKEN") || config.isSet("SLACK_WEBHOOK_URL")) {
    active.alerts = Alerts::kSlack;
  }
  return active;
}

}  // namespace podmon::pipeline
