#include "spool/journaled_alert_state_store.h"

#include <spdlog/spdlog.h>

#include "spool/spool_exception.h"

namespace podmon::spool {

JournaledAlertStateStore::JournaledAlertStateStore(store::AlertStateStore::Ptr inner, const std::string& path)
    : inner_(std::move(inner)), file_(path) {
  for (const auto& payload : file_.readRecords()) {
    try {
      entries_.push_back(decodeAlertState(payload));
      newest_[entries_.back().state.key] = entries_.back().state;
    } catch (const SpoolException& e) {
      spdlog::error("journal {}: a record that passed its checksum does not decode, skipped: {}", path,
                    e.displayText());
    }
  }
  pending_ = !entries_.empty();
  if (pending_) {
    spdlog::info("journal {}: {} Slack outcomes not yet in the store; alerts decide from them", path, entries_.size());
  }
}

std::optional<store::AlertState> JournaledAlertStateStore::load(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (pending_ && !tryReplayLocked()) {
    if (auto found = newest_.find(key); found != newest_.end()) return found->second;
  }
  return inner_->load(key);
}

void JournaledAlertStateStore::save(const store::AlertState& state) { saveEntry({state, 0}); }

void JournaledAlertStateStore::saveHandled(const store::AlertState& state, std::int64_t outboxId) {
  saveEntry({state, outboxId});
}

void JournaledAlertStateStore::saveEntry(const JournaledAlertState& entry) {
  std::lock_guard lock(mutex_);
  if (!pending_ || tryReplayLocked()) {
    try {
      if (entry.outboxId != 0) inner_->saveHandled(entry.state, entry.outboxId);
      else inner_->save(entry.state);
      return;
    } catch (const StoreException& e) {
      spdlog::warn("the store cannot take the alert state of {} ({}): journaled in {}", entry.state.key,
                   e.displayText(), file_.path());
    }
  }
  try {
    file_.append(encodeAlertState(entry));
  } catch (const SpoolException& e) {
    throw StoreException("the alert state is neither in the store nor in the journal: " + e.displayText());
  }
  entries_.push_back(entry);
  newest_[entry.state.key] = entry.state;
  ++journaledTotal_;
  pending_ = true;
}

void JournaledAlertStateStore::replay() {
  std::lock_guard lock(mutex_);
  replayLocked();
}

void JournaledAlertStateStore::replayLocked() {
  if (entries_.empty()) return;
  for (const auto& entry : entries_) {
    if (entry.outboxId != 0) inner_->saveHandled(entry.state, entry.outboxId);
    else inner_->save(entry.state);
  }
  spdlog::info("journal {}: {} journaled Slack outcomes saved in the store", file_.path(), entries_.size());
  file_.clear();
  entries_.clear();
  newest_.clear();
  pending_ = false;
}

bool JournaledAlertStateStore::tryReplayLocked() {
  try {
    replayLocked();
    return true;
  } catch (const StoreException& e) {
    spdlog::debug("journal {}: the store cannot take it yet: {}", file_.path(), e.displayText());
    return false;
  }
}

}  // namespace podmon::spool
