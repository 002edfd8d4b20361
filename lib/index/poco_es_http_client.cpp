#include "index/poco_es_http_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "core/errors.h"

namespace podmon::index {

namespace {

void initializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << text;
  encoder.close();
  return out.str();
}

std::optional<std::chrono::milliseconds> retryAfterOf(const Poco::Net::HTTPResponse& response) {
  if (!response.has("Retry-After")) return std::nullopt;
  int seconds = 0;
  if (!Poco::NumberParser::tryParse(Poco::trim(response.get("Retry-After")), seconds) || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<long long>(seconds) * 1000);
}

}  // namespace

std::string PocoEsHttpClient::authorizationFor(const ElasticsearchOptions& options) {
  if (!options.apiKey.empty()) {
    // The setting holds what POST /_security/api_key returns as `encoded`; "id:key" is encoded here.
    const bool raw = options.apiKey.find(':') != std::string::npos;
    return "ApiKey " + (raw ? base64(options.apiKey) : options.apiKey);
  }
  if (!options.username.empty()) return "Basic " + base64(options.username + ":" + options.password);
  return "";
}

PocoEsHttpClient::PocoEsHttpClient(const ElasticsearchOptions& options) : timeout_(options.timeout) {
  Poco::URI uri;
  try {
    uri = Poco::URI(options.url);
  } catch (const Poco::Exception& e) {
    throw ConfigException("ELASTICSEARCH_URL is not a valid URL: " + e.displayText());
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if (scheme != "http" && scheme != "https") {
    throw ConfigException("ELASTICSEARCH_URL must start with http:// or https://");
  }
  if (uri.getHost().empty()) throw ConfigException("ELASTICSEARCH_URL has no host");
  https_ = scheme == "https";
  host_ = uri.getHost();
  port_ = uri.getPort();
  pathPrefix_ = uri.getPath();
  while (!pathPrefix_.empty() && pathPrefix_.back() == '/') pathPrefix_.pop_back();

  ElasticsearchOptions auth = options;
  // https://user:pass@host works too, as with the original tool; the settings win.
  const std::string userInfo = uri.getUserInfo();
  if (auth.username.empty() && auth.apiKey.empty() && !userInfo.empty()) {
    const auto colon = userInfo.find(':');
    Poco::URI::decode(userInfo.substr(0, colon), auth.username);
    if (colon != std::string::npos) Poco::URI::decode(userInfo.substr(colon + 1), auth.password);
  }
  authorization_ = authorizationFor(auth);
  describe_ = scheme + "://" + host_ + ":" + std::to_string(port_) + pathPrefix_;

  if (https_) {
    initializeSslOnce();
    if (!options.caFile.empty() && !std::ifstream(options.caFile).good()) {
      throw ConfigException("ELASTICSEARCH_CA_FILE " + options.caFile + " cannot be read");
    }
    try {
      tlsContext_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.caFile,
                                           Poco::Net::Context::VERIFY_RELAXED, 9, options.caFile.empty(),
                                           "HIGH:!aNULL:!MD5:!RC4");
    } catch (const Poco::Exception& e) {
      throw ConfigException("ELASTICSEARCH_CA_FILE " + options.caFile + " is not usable: " + e.displayText());
    }
  }
}

PocoEsHttpClient::~PocoEsHttpClient() = default;

std::unique_ptr<Poco::Net::HTTPClientSession> PocoEsHttpClient::newSession() const {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (https_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, tlsContext_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  }
  session->setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count()));
  session->setKeepAlive(true);
  return session;
}

EsResponse PocoEsHttpClient::request(const std::string& method, const std::string& pathAndQuery,
                                     const std::string& body, const std::string& contentType) {
  std::lock_guard lock(mutex_);
  // A kept-alive connection may have been closed by the server meanwhile: a failure on a reused
  // connection is tried once more on a fresh one (safe: podmon's writes are idempotent).
  for (int attempt = 0;; ++attempt) {
    const bool reused = session_ != nullptr;
    if (!session_) session_ = newSession();
    try {
      Poco::Net::HTTPRequest request(method, pathPrefix_ + pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setHost(host_, port_);
      request.setKeepAlive(true);
      request.set("Accept", "application/json");
      request.set("User-Agent", "podmon/" PODMON_VERSION);
      if (!authorization_.empty()) request.set("Authorization", authorization_);
      if (!contentType.empty()) request.setContentType(contentType);
      if (!body.empty() || method == "POST" || method == "PUT") {
        request.setContentLength(static_cast<std::streamsize>(body.size()));
      }
      std::ostream& out = session_->sendRequest(request);
      out.write(body.data(), static_cast<std::streamsize>(body.size()));
      out.flush();
      Poco::Net::HTTPResponse response;
      std::istream& in = session_->receiveResponse(response);
      EsResponse result;
      result.status = static_cast<int>(response.getStatus());
      Poco::StreamCopier::copyToString(in, result.body);
      result.retryAfter = retryAfterOf(response);
      if (in.bad()) throw Poco::IOException("connection broke while reading the response");
      if (!response.getKeepAlive()) session_.reset();
      return result;
    } catch (const Poco::Exception& e) {
      session_.reset();
      if (reused && attempt == 0 && dynamic_cast<const Poco::TimeoutException*>(&e) == nullptr) continue;
      throw SinkException(describe_ + ": " + method + " " + pathAndQuery.substr(0, pathAndQuery.find('?')) +
                          " failed: " + e.displayText());
    }
  }
}

}  // namespace podmon::index
