#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "status/http_exchange.h"
#include "store/crash_record.h"
#include "store/fingerprint_summary.h"

// The JSON the API answers with, one function per shape, so the list, the detail and the web
// view read the same field names. Texts (logs, messages, events) are JSON strings: a reader shows
// them as text.
namespace podmon::status::crash_json {

// A crash as the list shows it; withLogs adds "logs".
Poco::JSON::Object::Ptr summary(const store::StoredCrash& crash, bool withLogs);
// A crash with everything the store keeps: logs, termination message, events (the array the
// store holds, or "eventsText" when it is not JSON), labels, node, image, fingerprint history.
Poco::JSON::Object::Ptr detail(const store::StoredCrash& crash);
Poco::JSON::Object::Ptr fingerprint(const store::FingerprintSummary& summary);

std::string stringify(const Poco::JSON::Object& object);
ApiResponse response(int status, const Poco::JSON::Object& body);
ApiResponse error(int status, const std::string& message);

}  // namespace podmon::status::crash_json
