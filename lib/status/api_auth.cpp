#include "status/api_auth.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace podmon::status {
namespace {

bool startsWithNoCase(const std::string& s, const std::string& prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

bool ApiAuth::constantTimeEquals(const std::string& a, const std::string& b) {
  // Walk the longer length so neither the content nor the length of the secret leaks early.
  std::size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::optional<std::string> ApiAuth::tokenFromHeader(const std::string& authorization) {
  std::string h = trimmed(authorization);
  if (startsWithNoCase(h, "Bearer ")) return trimmed(h.substr(7));
  if (startsWithNoCase(h, "Basic ")) {
    try {
      std::istringstream in(trimmed(h.substr(6)));
      Poco::Base64Decoder decoder(in);
      std::string decoded((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
      auto colon = decoded.find(':');
      if (colon == std::string::npos) return decoded;
      // curl -u TOKEN: sends the token as the user; -u any:TOKEN as the password.
      std::string password = decoded.substr(colon + 1);
      return password.empty() ? decoded.substr(0, colon) : password;
    } catch (const Poco::Exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool ApiAuth::allows(const std::string& authorizationHeader, const std::optional<std::string>& queryToken) const {
  if (!enabled()) return false;
  if (auto t = tokenFromHeader(authorizationHeader); t && constantTimeEquals(*t, token_)) return true;
  return queryToken && constantTimeEquals(*queryToken, token_);
}

}  // namespace podmon::status
