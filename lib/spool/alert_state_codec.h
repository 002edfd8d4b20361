#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/alert_state.h"

namespace podmon::spool {

// One journaled outcome of a Slack post: the alert state to save and the outbox item it accounts
// for (0 = a plain save, no item to mark done).
struct JournaledAlertState {
  store::AlertState state;
  std::int64_t outboxId = 0;
  bool operator==(const JournaledAlertState&) const = default;
};

// The one place that turns an AlertState into journal bytes and back: a field added to AlertState
// is added here (and to the round-trip test), nowhere else.
std::string encodeAlertState(const JournaledAlertState& entry);
// Throws SpoolException when the payload is not an encoded alert state.
JournaledAlertState decodeAlertState(std::string_view payload);

}  // namespace podmon::spool
