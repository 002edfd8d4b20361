#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

namespace podmon::bench {

// The ceiling for watch processing: a bare simdjson on-demand pass over one watch event line that
// pulls out every container's restartCount and nothing else (no snapshot, no detector, no I/O).
// `line` must be followed by at least simdjson::SIMDJSON_PADDING readable bytes (`capacity` counts
// them). Returns the sum of the restart counts (so the work cannot be optimised away), or -1 if
// the line is not a pod watch event.
inline int64_t sumRestartCounts(simdjson::ondemand::parser& parser, const char* line, std::size_t length,
                                std::size_t capacity) {
  simdjson::ondemand::document doc;
  if (parser.iterate(line, length, capacity).get(doc) != simdjson::SUCCESS) return -1;
  simdjson::ondemand::object status;
  if (doc.find_field_unordered("object").find_field_unordered("status").get_object().get(status) != simdjson::SUCCESS) {
    return -1;
  }
  int64_t sum = 0;
  for (const char* key : {"initContainerStatuses", "containerStatuses"}) {
    simdjson::ondemand::array statuses;
    if (status.find_field_unordered(key).get_array().get(statuses) != simdjson::SUCCESS) continue;
    for (auto entry : statuses) {
      int64_t count = 0;
      if (entry.find_field_unordered("restartCount").get_int64().get(count) == simdjson::SUCCESS) sum += count;
    }
  }
  return sum;
}

}  // namespace podmon::bench
