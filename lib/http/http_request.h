#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podmon::http {

// One outgoing HTTP request as HttpClient sends it; a RequestSigner sees it whole (method,
// target, headers, body) before it goes out.
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // path and query, starting with '/'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string contentType;  // "" for none

  // Sets a header, replacing one of the same name (case-insensitive).
  void setHeader(const std::string& name, const std::string& value);
};

// An HTTP answer, whatever its status.
struct HttpResponse {
  int status = 0;
  std::string body;
  std::optional<std::chrono::milliseconds> retryAfter;  // from a Retry-After header, when sent
};

}  // namespace podmon::http
