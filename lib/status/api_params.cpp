#include "status/api_params.h"

#include <algorithm>

#include "core/config.h"
#include "core/errors.h"
#include "core/rfc3339.h"

namespace podmon::status::api_params {
namespace {

bool lowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool rfc1123(const std::string& value, std::size_t maxChars, bool dots) {
  if (value.empty() || value.size() > maxChars) return false;
  if (!lowerAlnum(value.front()) || !lowerAlnum(value.back())) return false;
  return std::all_of(value.begin(), value.end(),
                     [&](char c) { return lowerAlnum(c) || c == '-' || (dots && c == '.'); });
}

std::string sizeChecked(const std::string& name, const std::string& text) {
  if (text.size() > kMaxParamChars) {
    throw ApiParamError(name + " is longer than " + std::to_string(kMaxParamChars) + " characters");
  }
  return text;
}

}  // namespace

void checkKnown(const ApiRequest& request, const std::vector<std::string>& allowed) {
  for (const auto& [name, value] : request.query) {
    if (name == "token" || std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string known = "token";
    for (const auto& a : allowed) known += ", " + a;
    // The unknown name is not quoted back: it is unchecked input.
    throw ApiParamError("unknown parameter; this endpoint takes " + known);
  }
}

std::string checkNamespace(const std::string& value) {
  if (!rfc1123(value, 63, false)) {
    throw ApiParamError("namespace must be a Kubernetes namespace name (a-z, 0-9 and '-', at most 63 characters)");
  }
  return value;
}

std::string checkName(const std::string& value) {
  if (!rfc1123(value, 253, true)) {
    throw ApiParamError("name must be a Kubernetes object name (a-z, 0-9, '-' and '.', at most 253 characters)");
  }
  return value;
}

std::chrono::system_clock::time_point parseSince(const std::string& text, std::chrono::system_clock::time_point now) {
  sizeChecked("since", text);
  const std::string message =
      "since must be RFC 3339 (years 1970 to 2200) or a duration such as 10m, 1h or 7d (at most 3650d)";
  if (text.size() >= 4 && std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
      text.find('-') == 4) {
    // Checked before converting: a nanosecond clock covers about the years 1678 to 2262.
    const int year = std::stoi(text.substr(0, 4));
    auto parsed = year >= 1970 && year <= 2200 ? podmon::parseRfc3339(text) : std::nullopt;
    if (!parsed) throw ApiParamError(message);
    return *parsed;
  }
  std::chrono::milliseconds ago{};
  try {
    ago = parseDuration(text, "since");  // at most 64 characters: cannot overflow
  } catch (const ConfigException&) {
    throw ApiParamError(message);
  }
  if (ago > kMaxSinceAgo) throw ApiParamError(message);
  return now - ago;
}

int parseLimit(const std::string& text, int maxLimit) {
  const std::string message = "limit must be an integer from 1 to " + std::to_string(maxLimit);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw ApiParamError(message);
  }
  const int limit = std::stoi(text);
  if (limit < 1 || limit > maxLimit) throw ApiParamError(message);
  return limit;
}

bool parseBool(const std::string& name, const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw ApiParamError(name + " must be true or false");
}

std::string parseSearch(const std::string& text) {
  if (text.size() > kMaxSearchChars) {
    throw ApiParamError("q must be at most " + std::to_string(kMaxSearchChars) + " characters");
  }
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw ApiParamError("q must not hold control characters");
  return text;
}

store::CrashCursor parseCursor(const std::string& text) {
  // "<detection time in microseconds since 1970>_<id>", or "-_<id>" after a crash without a time.
  const std::string message = "cursor must be the nextCursor of a previous answer";
  const auto sep = text.find('_');
  if (text.size() > kMaxParamChars || sep == std::string::npos || sep == 0) throw ApiParamError(message);
  const std::string time = text.substr(0, sep);
  const std::string id = text.substr(sep + 1);
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(id) || (time != "-" && !digits(time))) throw ApiParamError(message);
  store::CrashCursor cursor;
  cursor.id = std::stoll(id);
  if (time != "-")
    cursor.detectedAt = std::chrono::system_clock::time_point(std::chrono::microseconds(std::stoll(time)));
  return cursor;
}

std::string formatCursor(const store::CrashCursor& cursor) {
  const std::string time =
      cursor.detectedAt
          ? std::to_string(
                std::chrono::duration_cast<std::chrono::microseconds>(cursor.detectedAt->time_since_epoch()).count())
          : "-";
  return time + "_" + std::to_string(cursor.id);
}

int parseHours(const std::string& text) {
  const std::string message = "hours must be an integer from 1 to " + std::to_string(kMaxTimelineHours);
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos)
    throw ApiParamError(message);
  const int hours = std::stoi(text);
  if (hours < 1 || hours > kMaxTimelineHours) throw ApiParamError(message);
  return hours;
}

CrashListParams parseCrashList(const ApiRequest& request, std::chrono::system_clock::time_point now, int maxLimit) {
  checkKnown(request, {"namespace", "since", "limit", "include_logs", "q", "cursor"});
  CrashListParams params;
  if (auto q = request.param("q")) params.search = parseSearch(*q);
  if (auto cursor = request.param("cursor"); cursor && !cursor->empty()) params.after = parseCursor(*cursor);
  if (auto ns = request.param("namespace"); ns && !ns->empty()) params.namespace_ = checkNamespace(*ns);
  if (auto since = request.param("since")) params.since = parseSince(*since, now);
  if (auto limit = request.param("limit")) params.limit = parseLimit(*limit, maxLimit);
  if (auto logs = request.param("include_logs"))
    params.includeLogs = parseBool("include_logs", sizeChecked("include_logs", *logs));
  params.limit = std::min(params.limit, maxLimit);
  return params;
}

}  // namespace podmon::status::api_params
