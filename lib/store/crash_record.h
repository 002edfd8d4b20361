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
};

// A crash row read back. Fields the table does not keep (containerKind, containerId, restarted)
// come back as their defaults. Rows written by the original tool have most fields empty.
struct StoredCrash {
  std::int64_t id = 0;
  std::string crashKey;  // "" for rows the original tool wrote
  CrashRecord record;
};

// What recordCrash() did.
struct RecordResult {
  bool isNew = false;     // false: a row with the same crash key was already there
  std::int64_t id = 0;    // the crash row's id (the existing row's when !isNew)
  std::string crashKey;
};

// Filter for listing recent crashes; empty strings match everything.
struct CrashQuery {
  std::string clusterName;
  std::string namespace_;
  std::optional<std::chrono::system_clock::time_point> since;
  int limit = 50;
};

}  // namespace podmon::store
