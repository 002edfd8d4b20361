#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "status/http_exchange.h"
#include "store/crash_record.h"

namespace podmon::status {

// A request parameter or path part that is malformed or out of range; what() is the message the
// caller gets with 400 (it quotes no input that was not checked first).
class ApiParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The parameters of GET /api/v1/crashes, checked.
struct CrashListParams {
  std::string namespace_;  // "" = every namespace
  std::optional<std::chrono::system_clock::time_point> since;
  int limit = 50;
  bool includeLogs = false;
  std::string search;                       // q: text in the pod, container or reason
  std::optional<store::CrashCursor> after;  // cursor: the page after this crash
};

// Checks the health API's request parameters and path parts (pure: no I/O). Every function throws
// ApiParamError.
namespace api_params {

constexpr std::size_t kMaxParamChars = 64;                    // since, limit, include_logs
constexpr auto kMaxSinceAgo = std::chrono::hours(24 * 3650);  // since=3650d at most

// Throws unless every parameter is one of `allowed` or "token".
void checkKnown(const ApiRequest& request, const std::vector<std::string>& allowed);
// A Kubernetes namespace (RFC 1123 label: a-z, 0-9, '-', at most 63 characters).
std::string checkNamespace(const std::string& value);
// A Kubernetes object name (RFC 1123 subdomain: a-z, 0-9, '-', '.', at most 253 characters).
std::string checkName(const std::string& value);
// RFC 3339 (years 1970 to 2200) or a duration back from `now` (10m, 1h, 7d; at most 3650d).
std::chrono::system_clock::time_point parseSince(const std::string& text, std::chrono::system_clock::time_point now);
// An integer from 1 to maxLimit.
int parseLimit(const std::string& text, int maxLimit);
// "true" or "false".
bool parseBool(const std::string& name, const std::string& text);
constexpr std::size_t kMaxSearchChars = 128;
constexpr int kMaxTimelineHours = 24 * 31;

// The text search (q): at most kMaxSearchChars, no control characters.
std::string parseSearch(const std::string& text);
// A page cursor as formatCursor writes it.
store::CrashCursor parseCursor(const std::string& text);
std::string formatCursor(const store::CrashCursor& cursor);
// The timeline's span: an integer from 1 to kMaxTimelineHours.
int parseHours(const std::string& text);
// All of /api/v1/crashes' parameters.
CrashListParams parseCrashList(const ApiRequest& request, std::chrono::system_clock::time_point now, int maxLimit);

}  // namespace api_params
}  // namespace podmon::status
