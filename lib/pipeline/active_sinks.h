#pragma once

#include <vector>

#include "store/outbox_item.h"

namespace podmon {
struct Settings;
}

namespace podmon::pipeline {

// Which sinks are on: decided once from the settings, at the composition root. Both what the
// store writes (an outbox row per active sink, so rows for a sink nobody drains never pile up) and
// which deliverers run (buildSinks) come from this one decision.
struct ActiveSinks {
  enum class Indexing {
    kOff,
    kElasticsearch,  // ELASTICSEARCH_URL
    kNdjsonFile,     // INDEX_FILE (without ELASTICSEARCH_URL)
  };
  enum class Alerts {
    kOff,      // SLACK_NOTIFY=false
    kSlack,    // SLACK_TOKEN or SLACK_WEBHOOK_URL
    kConsole,  // neither: printed in a readable block
  };
  Indexing indexing = Indexing::kOff;
  Alerts alerts = Alerts::kConsole;
  // ELASTICSEARCH_URL and INDEX_FILE are both set: the daemon refuses to start (buildSinks).
  bool indexFileAlsoSet = false;

  // The sinks that get an outbox row for each new crash, in outbox order.
  std::vector<store::Sink> outboxSinks() const;

  // Reads ELASTICSEARCH_URL, INDEX_FILE, SLACK_NOTIFY, SLACK_TOKEN, SLACK_WEBHOOK_URL (their
  // fields in settings.elasticsearch and settings.slack). Never throws for their combination
  // (podmonctl reads it too); buildSinks refuses what cannot run.
  static ActiveSinks fromSettings(const Settings& settings);
};

}  // namespace podmon::pipeline
