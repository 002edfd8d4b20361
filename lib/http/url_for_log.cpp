#include "http/url_for_log.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace podmon::http {

std::string urlForLog(const std::string& url) {
  try {
    const Poco::URI uri(url);
    if (uri.getScheme().empty() || uri.getHost().empty()) return "(unreadable URL)";
    const bool ipv6 = uri.getHost().find(':') != std::string::npos;
    std::string out = uri.getScheme() + "://" + (ipv6 ? "[" + uri.getHost() + "]" : uri.getHost());
    if (uri.getSpecifiedPort() != 0) out += ":" + std::to_string(uri.getSpecifiedPort());
    out += uri.getPath();
    if (!uri.getRawQuery().empty()) out += "?…";
    return out;
  } catch (const Poco::Exception&) {
    return "(unreadable URL)";
  }
}

}  // namespace podmon::http
