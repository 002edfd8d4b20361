#pragma once

#include <chrono>
#include <string>

#include "http/http_client.h"

namespace podmon::aws {

// Where a credential source sends its requests: an HTTP client bound to scheme://host:port with a
// deadline and a bounded answer size, and the URL's path and query. Built from a setting's URL.
struct CredentialsEndpoint {
  http::HttpClient::Ptr client;
  std::string target;  // path and query, "/" at least
  std::string host;    // for the loopback checks and logs
  std::string scheme;  // "http" or "https"

  // Throws ConfigException naming `setting` when `url` is not an http(s) URL with a host.
  static CredentialsEndpoint fromUrl(const std::string& url, const std::string& setting,
                                     std::chrono::milliseconds timeout);
};

// Bound on every answer of a credentials endpoint (real ones are a few KB).
constexpr std::size_t kMaxCredentialsAnswer = 64 * 1024;

// The content of a token file (web identity token, container authorization token), read anew at
// each refresh because the kubelet rotates it; trailing whitespace dropped. Throws
// CredentialsError naming `what` and the path when it is missing, empty, over 64 KB or unreadable.
std::string readTokenFile(const std::string& path, const std::string& what);

}  // namespace podmon::aws
