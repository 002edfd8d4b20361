#include "spool/spooling_crash_repository.h"

#include <spdlog/spdlog.h>

#include "spool/crash_record_codec.h"
#include "spool/spool_exception.h"
#include "spool/spool_format.h"
#include "store/crash_key.h"
#include "store/rejected_data_exception.h"

namespace podmon::spool {

namespace {

std::string who(const crash::CrashEvent& e) {
  return e.namespace_ + "/" + e.podName + "/" + e.containerName + " (restart " + std::to_string(e.restartCount) + ")";
}

}  // namespace

SpoolingCrashRepository::SpoolingCrashRepository(store::CrashRepository::Ptr inner, const std::string& path,
                                                 std::uint64_t maxBytes)
    : inner_(std::move(inner)), maxBytes_(maxBytes), file_(path) {
  pending_ = !file_.empty();
  if (pending_) spdlog::info("spool {}: {} bytes of crashes to store", path, file_.sizeBytes());
}

store::RecordResult SpoolingCrashRepository::recordCrash(const store::CrashRecord& crash) {
  if (pending_) {
    std::lock_guard lock(mutex_);
    try {
      replayLocked();
    } catch (const StoreException& e) {
      return spoolLocked(crash, e);
    }
  }
  try {
    return inner_->recordCrash(crash);
  } catch (const store::RejectedDataException&) {
    throw;  // the recorder drops the log: spooling would not help
  } catch (const StoreException& e) {
    std::lock_guard lock(mutex_);
    return spoolLocked(crash, e);
  }
}

store::RecordResult SpoolingCrashRepository::spoolLocked(const store::CrashRecord& crash, const StoreException& cause) {
  std::string payload = encodeCrashRecord(crash);
  const auto fits = [&] { return file_.sizeBytes() + kSpoolRecordOverhead + payload.size() <= maxBytes_; };
  bool dropped = false;
  if (!fits()) {
    store::CrashRecord smaller = crash;
    smaller.logs.clear();
    smaller.eventsJson.clear();
    smaller.logsStatus = kLogsDroppedStatus;
    payload = encodeCrashRecord(smaller);
    dropped = true;
  }
  if (!fits()) {
    if (auto suffix = fullLog_.record(std::chrono::steady_clock::now())) {
      spdlog::warn("spool {} is full ({} of {} bytes, SPOOL_MAX_BYTES): the watch waits for the store{}", file_.path(),
                   file_.sizeBytes(), maxBytes_, *suffix);
    }
    cause.rethrow();
  }
  try {
    file_.append(payload);
  } catch (const SpoolException& e) {
    spdlog::error("{}; the crash of {} waits in memory", e.displayText(), who(crash.event));
    cause.rethrow();
  }
  if (dropped) {
    ++logsDropped_;
    spdlog::warn("spool {} nearly full (SPOOL_MAX_BYTES {}): the crash of {} is spooled without its log", file_.path(),
                 maxBytes_, who(crash.event));
  }
  ++spooledTotal_;
  pending_ = true;
  spdlog::debug("the store cannot take the crash of {} ({}): spooled", who(crash.event), cause.displayText());
  store::RecordResult result;
  result.isNew = true;
  result.spooled = true;
  result.crashKey = store::crashKey(crash.event);
  return result;
}

std::size_t SpoolingCrashRepository::replay() {
  if (!pending_) return 0;
  std::lock_guard lock(mutex_);
  return replayLocked();
}

std::size_t SpoolingCrashRepository::replayLocked() {
  if (file_.empty()) {
    pending_ = false;
    return 0;
  }
  const auto records = file_.readRecords();
  std::size_t stored = 0;
  for (const auto& payload : records) {
    store::CrashRecord crash;
    try {
      crash = decodeCrashRecord(payload);
    } catch (const SpoolException& e) {
      spdlog::error("spool {}: a record that passed its checksum does not decode, skipped: {}", file_.path(),
                    e.displayText());
      continue;
    }
    storeSpooled(crash);
    ++stored;
  }
  file_.clear();
  pending_ = false;
  if (stored > 0) spdlog::info("spool {}: {} spooled crashes stored", file_.path(), stored);
  return stored;
}

void SpoolingCrashRepository::storeSpooled(store::CrashRecord& crash) {
  try {
    inner_->recordCrash(crash);
    return;
  } catch (const store::RejectedDataException& e) {
    spdlog::warn("the store rejects the spooled crash of {} for its data ({}); storing it without its log and events",
                 who(crash.event), e.displayText());
  }
  crash.logs.clear();
  crash.eventsJson.clear();
  crash.logsStatus = "unavailable: rejected by the store (too long or invalid for its column)";
  try {
    inner_->recordCrash(crash);
  } catch (const store::RejectedDataException& e) {
    spdlog::error("the store rejects the spooled crash of {} even without its log and events, not stored: {}",
                  who(crash.event), e.displayText());
  }
}

std::uint64_t SpoolingCrashRepository::spooledBytes() const {
  std::lock_guard lock(mutex_);
  return file_.sizeBytes();
}

}  // namespace podmon::spool
