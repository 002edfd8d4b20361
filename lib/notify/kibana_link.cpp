#include "notify/kibana_link.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace podmon::notify {

namespace {

// KQL phrase: "value" with \ and " escaped.
std::string kqlQuoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Rison string: '...' with ' -> !' and ! -> !!.
std::string risonQuoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '!') out += '!';
    out += c;
  }
  return out + "'";
}

// Percent-encodes everything but unreserved characters and rison's own syntax.
std::string encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || c == '(' || c == ')' || c == ',' || c == ':' || c == '!' ||
                      c == '\'';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string isoTime(std::chrono::system_clock::time_point time) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace

std::string kibanaDiscoverUrl(const std::string& kibanaBaseUrl, const std::string& namespace_,
                              const std::string& podName, std::chrono::system_clock::time_point crashAt) {
  if (kibanaBaseUrl.empty()) return "";
  std::string base = kibanaBaseUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string from = isoTime(crashAt - std::chrono::hours(1));
  const std::string to = isoTime(crashAt + std::chrono::minutes(15));
  const std::string global = "(time:(from:" + risonQuoted(from) + ",to:" + risonQuoted(to) + "))";
  const std::string query = "namespace:" + kqlQuoted(namespace_) + " and pod_name:" + kqlQuoted(podName);
  const std::string app = "(query:(language:kuery,query:" + risonQuoted(query) + "))";
  return base + "/app/discover#/?_g=" + encode(global) + "&_a=" + encode(app);
}

}  // namespace podmon::notify
