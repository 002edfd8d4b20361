#pragma once

#include <map>
#include <optional>
#include <string>

namespace podmon::status {

// A request and its answer without Poco's server types, so the endpoints' logic is tested as
// plain function calls and the server only copies fields in and out.
struct ApiRequest {
  std::string method = "GET";
  std::string path;                          // decoded, without the query
  std::map<std::string, std::string> query;  // decoded
  std::string authorization;                 // the Authorization header, "" when absent
  std::string client;                        // remote address, the rate limit's key
  // For the web view (status/web_ui.h): the session cookie, the login's origin check and form.
  std::string cookie;   // the Cookie header
  std::string host;     // the Host header
  std::string origin;   // the Origin header
  std::string referer;  // the Referer header
  std::string body;     // the request body (only a login form has one; bounded by the server)

  std::optional<std::string> param(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

struct ApiResponse {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
};

}  // namespace podmon::status
