#include "pipeline/active_sinks.h"

#include "core/settings.h"

namespace podmon::pipeline {

std::vector<store::Sink> ActiveSinks::outboxSinks() const {
  std::vector<store::Sink> sinks;
  if (indexing != Indexing::kOff) sinks.push_back(store::Sink::kElasticsearch);
  if (alerts != Alerts::kOff) sinks.push_back(store::Sink::kSlack);
  return sinks;
}

ActiveSinks ActiveSinks::fromSettings(const Settings& settings) {
  const ElasticsearchSettings& es = settings.elasticsearch;
  const SlackSettings& slack = settings.slack;
  ActiveSinks active;
  if (!es.url.empty()) {
    active.indexing = Indexing::kElasticsearch;
    active.indexFileAlsoSet = !es.indexFile.empty();
  } else if (!es.indexFile.empty()) {
    active.indexing = Indexing::kNdjsonFile;
  }
  if (!slack.notify) {
    active.alerts = Alerts::kOff;
  } else if (!slack.token.empty() || !slack.webhookUrl.empty()) {
    active.alerts = Alerts::kSlack;
  }
  return active;
}

}  // namespace podmon::pipeline
