#pragma once

#include <string>

namespace podmon::http {

// A URL as it may appear in podmon's log: scheme, host, port and path only. User information
// (`user:password@`), the query string (tokens, signatures) and the fragment are dropped, so a
// credential put into ELASTICSEARCH_URL or SLACK_API_URL never reaches the log. A string that is
// not a URL is answered "(unreadable URL)", never echoed. Throws nothing.
std::string urlForLog(const std::string& url);

}  // namespace podmon::http
