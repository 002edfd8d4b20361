#pragma once

#include <optional>
#include <string>

namespace podmon::status {

// Checks the API token of a request. The token may come as "Authorization: Bearer T", as the
// password (or user) of "Authorization: Basic", or as ?token=T (status pages that cannot set
// headers). Comparison takes the same time wherever the first difference is.
class ApiAuth {
 public:
  explicit ApiAuth(std::string token) : token_(std::move(token)) {}

  // With no token configured the API is off, never open.
  bool enabled() const { return !token_.empty(); }
  bool allows(const std::string& authorizationHeader, const std::optional<std::string>& queryToken) const;

  // The token carried by an Authorization header value, if any.
  static std::optional<std::string> tokenFromHeader(const std::string& authorization);
  static bool constantTimeEquals(const std::string& a, const std::string& b);

 private:
  std::string token_;
};

}  // namespace podmon::status
