#pragma once

#include <cstddef>
#include <vector>

#include "store/outbox_item.h"

namespace podmon::store {

// What the crash repository and the outbox do beyond connecting (both backends).
struct CrashStoreOptions {
  std::size_t maxLogBytes = 256 * 1024;  // logs are cut to their newest part beyond this
  std::vector<Sink> outboxSinks = {Sink::kElasticsearch, Sink::kSlack};  // one outbox row each
};

}  // namespace podmon::store
