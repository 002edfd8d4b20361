#include "index/index_naming.h"

#include <ctime>
#include <string_view>

#include "store/db_time.h"

namespace podmon::index {

std::chrono::system_clock::time_point crashTime(const crash::CrashEvent& event,
                                                std::chrono::system_clock::time_point fallback) {
  if (auto finished = store::parseRfc3339(event.finishedAt)) return store::fromDbTime(*finished);
  if (event.detectedAt != std::chrono::system_clock::time_point{}) return event.detectedAt;
  return fallback;
}

std::string dailyIndexName(const std::string& prefix, std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char date[16];
  std::strftime(date, sizeof date, "%Y.%m.%d", &utc);
  return prefix + date;
}

std::string indexPrefixProblem(const std::string& prefix) {
  if (prefix.empty()) return "it is empty";
  if (prefix.size() > 200) return "it is longer than 200 bytes";
  const char first = prefix.front();
  if (first == '-' || first == '_' || first == '+') return "it starts with '-', '_' or '+'";
  if (prefix == "." || prefix == "..") return "it is '.' or '..'";
  for (char c : prefix) {
    if (c >= 'A' && c <= 'Z') return "it contains upper-case letters (index names are lower case)";
    if (std::string_view("\\/*?\"<>|,#: ").find(c) != std::string_view::npos) {
      return std::string("it contains '") + c + "'";
    }
  }
  return "";
}

long long epochMillis(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

}  // namespace podmon::index
