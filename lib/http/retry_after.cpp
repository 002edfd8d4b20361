#include "http/retry_after.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <algorithm>

namespace podmon::http {

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value) {
  int seconds = 0;
  if (!Poco::NumberParser::tryParse(Poco::trim(value), seconds) || seconds < 0) return std::nullopt;
  return std::min(std::chrono::milliseconds(static_cast<long long>(seconds) * 1000), kMaxRetryAfter);
}

}  // namespace podmon::http
