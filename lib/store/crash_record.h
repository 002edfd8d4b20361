#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "crash/crash_event.h"

namespace podmon::store {

// A crash as the store records it: the detected event plus what enrichment fetched. Kept apart
// from CrashEvent because enrichment may fail (logsStatus says how) and the crash is stored anyway.
struct CrashRecord {
  crash::CrashEvent event;
  std::string logs;        // any bytes; the store makes them valid UTF-8 and cuts them to its limit
  std::string logsStatus;  // enrichment's word for the logs ("ok", "unavailable", ...)
  std::string eventsJson;  // Kubernetes events as a JSON array (text), "" when none
  // crash::crashFingerprint() of the enriched crash: which crashes are the same failure. Computed
  // by the recorder after enrichment; "" = none (the store then keeps no fingerprint statistics).
  std::string fingerprint;
};

// How often a crash's fingerprint had been seen when the crash was recorded, this crash included
// (so count 1 is a new failure). Taken in the transaction that records the crash and kept with
// it: an alert delivered late (Slack down for an hour) still tells what was true at the crash,
// and two crashes of a new failure recorded before either is delivered are "new" and "seen 2
// times", not "seen 2 times" twice.
struct FingerprintHistory {
  std::int64_t count = 0;  // crashes with this fingerprint, in every cluster sharing the database
  std::chrono::system_clock::time_point firstSeen{};  // detection time of the first of them
  std::int64_t pods = 0;                              // distinct (cluster, namespace, pod) among them
  std::int64_t clusters = 0;                          // distinct clusters among them
  bool isNew() const { return count <= 1; }
  bool operator==(const FingerprintHistory&) const = default;
};

// A crash row read back. Fields the table does not keep (containerKind, containerId, restarted)
// come back as their defaults. Rows written by the original tool have most fields empty.
struct StoredCrash {
  std::int64_t id = 0;
  std::string crashKey;  // "" for rows the original tool wrote
  CrashRecord record;
  std::optional<FingerprintHistory> fingerprintHistory;  // nullopt: no fingerprint (older rows)
};

// What recordCrash() did.
struct RecordResult {
  bool isNew = false;   // false: a row with the same crash key was already there
  std::int64_t id = 0;  // the crash row's id (the existing row's when !isNew)
  std::string crashKey;
  std::optional<FingerprintHistory> fingerprintHistory;  // as stored with the crash
  bool spooled = false;  // the store was down: the crash waits in SPOOL_DIR's spool (id 0, no history yet)
};

// Where a page of the crash list starts: after the crash with this detection time and id (the
// last crash of the page before), in the list's order (newest first, then the higher id).
struct CrashCursor {
  std::optional<std::chrono::system_clock::time_point> detectedAt;  // nullopt: a row without a time
  std::int64_t id = 0;
  bool operator==(const CrashCursor&) const = default;
};

// Filter for listing recent crashes; empty strings match everything.
struct CrashQuery {
  std::string clusterName;
  std::string namespace_;
  std::optional<std::chrono::system_clock::time_point> since;
  int limit = 50;
  // Crashes whose pod, container or reason contains this text (ASCII letters in any case).
  std::string search;
  std::optional<CrashCursor> after;  // the next page: crashes listed after this one
};

}  // namespace podmon::store
