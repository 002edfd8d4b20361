#include "aws/credentials_endpoint.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "aws/aws_credentials.h"
#include "core/errors.h"
#include "http/poco_http_client.h"

namespace podmon::aws {

CredentialsEndpoint CredentialsEndpoint::fromUrl(const std::string& url, const std::string& setting,
                                                 std::chrono::milliseconds timeout) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw ConfigException(setting + " is not a valid URL: " + e.displayText());
  }
  CredentialsEndpoint endpoint;
  endpoint.scheme = Poco::toLower(uri.getScheme());
  if (endpoint.scheme != "http" && endpoint.scheme != "https") {
    throw ConfigException(setting + " must start with http:// or https://");
  }
  endpoint.host = uri.getHost();
  if (endpoint.host.empty()) throw ConfigException(setting + " has no host");
  endpoint.target = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
  http::HttpClientOptions options;
  options.scheme = endpoint.scheme;
  options.host = endpoint.host;
  options.port = uri.getPort();
  options.timeout = timeout;
  options.maxResponseBytes = kMaxCredentialsAnswer;
  options.headers = {{"User-Agent", "podmon/" PODMON_VERSION}};
  try {
    endpoint.client = std::make_shared<http::PocoHttpClient>(std::move(options));
  } catch (const Poco::Exception& e) {
    throw ConfigException(setting + ": no TLS context for it: " + e.displayText());
  }
  return endpoint;
}

std::string readTokenFile(const std::string& path, const std::string& what) {
  constexpr std::size_t kMaxToken = 64 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CredentialsError(what + " " + path + " cannot be read: " + std::strerror(errno));
  std::string token(kMaxToken + 1, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  if (in.bad()) throw CredentialsError(what + " " + path + " cannot be read");
  token.resize(static_cast<std::size_t>(in.gcount()));
  if (token.size() > kMaxToken) throw CredentialsError(what + " " + path + " is over 64 KB");
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) throw CredentialsError(what + " " + path + " is empty");
  return token;
}

}  // namespace podmon::aws
