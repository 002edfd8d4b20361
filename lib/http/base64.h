#pragma once

#include <string>

namespace podmon::http {

// Standard base64 (with padding, no line breaks) through Poco::Base64Encoder, for auth headers.
std::string base64Encode(const std::string& raw);

// "Basic base64(user:password)".
std::string basicAuthorization(const std::string& user, const std::string& password);

}  // namespace podmon::http
