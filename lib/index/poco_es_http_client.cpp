#include "index/poco_es_http_client.h"

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <fstream>
#include <stdexcept>

#include "core/errors.h"
#include "http/base64.h"
#include "http/poco_http_client.h"

namespace podmon::index {

namespace {

Poco::URI parseUrl(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw ConfigException("ELASTICSEARCH_URL is not a valid URL: " + e.displayText());
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if (scheme != "http" && scheme != "https") {
    throw ConfigException("ELASTICSEARCH_URL must start with http:// or https://");
  }
  if (uri.getHost().empty()) throw ConfigException("ELASTICSEARCH_URL has no host");
  return uri;
}

// https://user:pass@host works too, as with the original tool; the settings win.
ElasticsearchOptions withUserInfo(ElasticsearchOptions auth, const std::string& userInfo) {
  if (auth.username.empty() && auth.apiKey.empty() && !userInfo.empty()) {
    const auto colon = userInfo.find(':');
    Poco::URI::decode(userInfo.substr(0, colon), auth.username);
    if (colon != std::string::npos) Poco::URI::decode(userInfo.substr(colon + 1), auth.password);
  }
  return auth;
}

}  // namespace

std::string PocoEsHttpClient::authorizationFor(const ElasticsearchOptions& options) {
  if (!options.apiKey.empty()) {
    // The setting holds what POST /_security/api_key returns as `encoded`; "id:key" is encoded here.
    const bool raw = options.apiKey.find(':') != std::string::npos;
    return "ApiKey " + (raw ? http::base64Encode(options.apiKey) : options.apiKey);
  }
  if (!options.username.empty()) return http::basicAuthorization(options.username, options.password);
  return "";
}

PocoEsHttpClient::PocoEsHttpClient(const ElasticsearchOptions& options, http::RequestSigner::Ptr signer) {
  const Poco::URI uri = parseUrl(options.url);
  http::HttpClientOptions client;
  client.scheme = Poco::toLower(uri.getScheme());
  client.host = uri.getHost();
  client.port = uri.getPort();
  client.caFile = options.caFile;
  client.timeout = options.timeout;
  client.keepAlive = true;
  client.signer = std::move(signer);
  client.headers = {{"Accept", "application/json"}, {"User-Agent", "podmon/" PODMON_VERSION}};
  const std::string authorization = authorizationFor(withUserInfo(options, uri.getUserInfo()));
  if (!authorization.empty()) client.headers.emplace_back("Authorization", authorization);
  pathPrefix_ = uri.getPath();
  while (!pathPrefix_.empty() && pathPrefix_.back() == '/') pathPrefix_.pop_back();
  describe_ = client.scheme + "://" + client.host + ":" + std::to_string(client.port) + pathPrefix_;

  if (client.scheme == "https" && !options.caFile.empty() && !std::ifstream(options.caFile).good()) {
    throw ConfigException("ELASTICSEARCH_CA_FILE " + options.caFile + " cannot be read");
  }
  try {
    http_ = std::make_shared<http::PocoHttpClient>(std::move(client));
  } catch (const Poco::Exception& e) {
    throw ConfigException("ELASTICSEARCH_CA_FILE " + options.caFile + " is not usable: " + e.displayText());
  }
}

PocoEsHttpClient::~PocoEsHttpClient() = default;

EsResponse PocoEsHttpClient::request(const std::string& method, const std::string& pathAndQuery,
                                     const std::string& body, const std::string& contentType) {
  http::HttpRequest request;
  request.method = method;
  request.target = pathPrefix_ + pathAndQuery;
  request.body = body;
  request.contentType = contentType;
  try {
    http::HttpResponse response = http_->send(std::move(request));
    return EsResponse{response.status, std::move(response.body), response.retryAfter};
  } catch (const Poco::Exception& e) {
    throw SinkException(describe_ + ": " + method + " " + pathAndQuery.substr(0, pathAndQuery.find('?')) +
                        " failed: " + e.displayText());
  } catch (const std::runtime_error& e) {  // the signer found no credentials (aws::CredentialsError)
    throw SinkException(describe_ + ": " + method + " " + pathAndQuery.substr(0, pathAndQuery.find('?')) +
                        " not signed: " + e.what());
  }
}

}  // namespace podmon::index
