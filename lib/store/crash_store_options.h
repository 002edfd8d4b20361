#pragma once

#include <cstddef>
#include <vector>

#include "store/outbox_item.h"

namespace podmon::store {

// What the `logs` column holds (MEDIUMTEXT, sql/002_podmon_columns.sql): MAX_CRASHLOG_LENGTH
// is capped to it, so a large setting cannot make every crash with a long log "Data too long".
inline constexpr std::size_t kMaxLogColumnBytes = 16'777'215;

// What the crash repository and the outbox do beyond connecting (both backends).
struct CrashStoreOptions {
  std::size_t maxLogBytes = 256 * 1024;  // logs are cut to their newest part beyond this
  std::vector<Sink> outboxSinks = {Sink::kElasticsearch, Sink::kSlack};  // one outbox row each
};

}  // namespace podmon::store
