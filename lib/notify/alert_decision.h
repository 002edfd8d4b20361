#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "notify/alert_state.h"
#include "notify/cooldown_policy.h"

namespace podmon::notify {

// What the alert logic decided for one outbox item (AlertDecider::decide): which episode the
// crash belongs to, what to do, and for the actions that send nothing, the state to save.
struct AlertDecision {
  // How the item's state change is saved when nothing is sent.
  enum class Save {
    kNothing,  // no state change (a redelivery of an item that is not the carrier)
    kPending,  // saved, the item stays pending (the carrier of a follow-up, held back)
    kHandled,  // saved together with marking the item done
  };
  std::string key;                  // the episode's key: the container's, or its failure's when folded there
  std::string failureKey;           // failureAlertKey() of the crash; "" without a fingerprint
  std::optional<AlertState> state;  // the episode's state before this crash
  CrashSighting sighting;
  CooldownDecision cooldown;
  // For kAlreadyHandled, kFold and kHold: what to save (the state after the crash was counted).
  Save save = Save::kNothing;
  AlertState next;
};

}  // namespace podmon::notify
