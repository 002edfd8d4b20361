#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "pipeline/outbox_worker.h"
#include "store/store_factory.h"

namespace podmon {
struct Settings;
}

namespace podmon::pipeline {

// One sink podmon feeds from the outbox, or the note that it is off.
struct ConfiguredSink {
  std::string name;                 // "elasticsearch", "slack" (metrics label)
  OutboxDeliverer::Ptr deliverer;   // null: this sink is off
  std::string startupLine;          // says what the sink does, one line for the log
};

// Which sinks the settings turn on, built (so a bad setting fails at once with ConfigException):
//  - indexing: ELASTICSEARCH_URL -> Elasticsearch; else INDEX_FILE -> NDJSON file; else off.
//  - alerts: SLACK_NOTIFY=false -> off; SLACK_TOKEN or SLACK_WEBHOOK_URL -> Slack; else printed on
//    `console` in a readable block (the same message Slack would get).
// Always two entries (indexing, alerts), each with its start-up line.
std::vector<ConfiguredSink> buildSinks(const Settings& settings, const store::OpenedStore& store, std::ostream& console);

}  // namespace podmon::pipeline
