#pragma once

#include <string>
#include <string_view>

#include "crash/crash_event.h"

namespace podmon::crash {

// A NUL byte in a container's log, its termination message, an event text or a pod field is
// valid UTF-8, yet it cuts text short where it is read as a C string (SQLite's text columns:
// `podmonctl crashes show` stopped at it) and it is invisible in Slack and Elasticsearch. Every
// such text becomes U+FFFD at each NUL before the crash is stored, indexed or sent, so what was
// there stays visible and nothing after it is lost. Pure; never throws.

// `text` with every NUL byte replaced by U+FFFD.
std::string replaceNulBytes(std::string_view text);

// JSON text (the events of a crash) with every \u0000 escape replaced by \ufffd; other escapes
// (an escaped backslash before "u0000" included) are kept as they are.
std::string replaceJsonNulEscapes(std::string_view json);

// Every string of `event` (labels included), the log, its status and the events JSON.
void replaceNulBytes(CrashEvent& event, std::string& logs, std::string& logsStatus, std::string& eventsJson);

}  // namespace podmon::crash
