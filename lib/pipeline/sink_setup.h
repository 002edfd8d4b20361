#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "delivery/outbox_deliverer.h"
#include "pipeline/active_sinks.h"
#include "store/store_factory.h"

namespace podmon {
struct Settings;
}

namespace podmon::pipeline {

// One sink podmon feeds from the outbox, or the note that it is off.
struct ConfiguredSink {
  std::string name;                          // "elasticsearch", "slack" (metrics label)
  delivery::OutboxDeliverer::Ptr deliverer;  // null: this sink is off
  std::string startupLine;                   // says what the sink does, one line for the log
};

// The deliverers of the active sinks, built (so a bad setting fails at once with ConfigException):
//  - indexing: Elasticsearch, an NDJSON file, or off; ELASTICSEARCH_URL and INDEX_FILE together
//    are refused.
//  - alerts: Slack, printed on `console` in a readable block (the same message Slack would get),
//    or off.
// Always two entries (indexing, alerts), each with its start-up line. `settings` gives each sink's
// own settings.
std::vector<ConfiguredSink> buildSinks(const ActiveSinks& active, const Settings& settings,
                                       const store::OpenedStore& store, std::ostream& console);

}  // namespace podmon::pipeline
