#include "store/outbox_item.h"

namespace podmon::store {

const char* toString(Sink sink) {
  switch (sink) {
    case Sink::kElasticsearch: return "elasticsearch";
    case Sink::kSlack: return "slack";
  }
  return "unknown";
}

std::optional<Sink> parseSink(const std::string& name) {
  if (name == "elasticsearch") return Sink::kElasticsearch;
  if (name == "slack") return Sink::kSlack;
  return std::nullopt;
}

}  // namespace podmon::store
