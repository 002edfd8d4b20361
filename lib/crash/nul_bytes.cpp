#include "crash/nul_bytes.h"

#include <map>
#include <utility>

namespace podmon::crash {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void replaceInPlace(std::string& text) {
  if (text.find('\0') != std::string::npos) text = replaceNulBytes(text);
}

}  // namespace

std::string replaceNulBytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\0') {
      out.append(kReplacement);
    } else {
      out += c;
    }
  }
  return out;
}

std::string replaceJsonNulEscapes(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\0') {
      out.append(kReplacement);  // a raw NUL (not valid JSON, but never cut short either)
    } else if (json[i] != '\\' || i + 1 >= json.size() || json[i + 1] == '\0') {
      out += json[i];
    } else if (json.substr(i + 1, 5) == "u0000") {
      out.append("\\ufffd");
      i += 5;
    } else {
      out.append(json.substr(i, 2));  // any other escape, \\ included, is copied whole
      ++i;
    }
  }
  return out;
}

void replaceNulBytes(CrashEvent& event, std::string& logs, std::string& logsStatus, std::string& eventsJson) {
  for (std::string* text :
       {&event.clusterName, &event.namespace_, &event.podName, &event.podUid, &event.containerName, &event.reason,
        &event.message, &event.startedAt, &event.finishedAt, &event.containerId, &event.terminationState,
        &event.containerState, &event.nodeName, &event.image, &event.ownerKind, &event.ownerName, &logs, &logsStatus}) {
    replaceInPlace(*text);
  }
  std::map<std::string, std::string> labels;
  for (auto& [key, value] : event.labels) labels.emplace(replaceNulBytes(key), replaceNulBytes(value));
  event.labels = std::move(labels);
  if (eventsJson.find('\0') != std::string::npos || eventsJson.find("u0000") != std::string::npos) {
    eventsJson = replaceJsonNulEscapes(eventsJson);
  }
}

}  // namespace podmon::crash
