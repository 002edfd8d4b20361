#pragma once

#include <string>
#include <string_view>

#include "store/crash_record.h"

namespace podmon::spool {

// A crash as a spool record: every field of the CrashRecord (event, log, events, fingerprint), so
// the crash stored from the spool is the crash the store would have got at the time.
std::string encodeCrashRecord(const store::CrashRecord& record);
// Throws SpoolException when the payload is not an encoded crash.
store::CrashRecord decodeCrashRecord(std::string_view payload);

}  // namespace podmon::spool
