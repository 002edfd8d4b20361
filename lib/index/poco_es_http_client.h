#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <memory>
#include <mutex>
#include <string>

#include "index/elasticsearch_options.h"
#include "index/es_http_client.h"

namespace podmon::index {

// EsHttpClient over Poco's HTTP(S) client. It keeps one keep-alive connection (bulk requests come
// one after another from a single worker) and drops it after any failure, so a restarted
// Elasticsearch gets a fresh connection on the next request. https verifies the server against
// ELASTICSEARCH_CA_FILE when set (Elasticsearch 8 uses a self-signed CA), else the system CAs.
class PocoEsHttpClient : public EsHttpClient {
 public:
  // Throws ConfigException when the URL or the CA file is unusable.
  explicit PocoEsHttpClient(const ElasticsearchOptions& options);
  ~PocoEsHttpClient() override;

  EsResponse request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                     const std::string& contentType) override;
  std::string describe() const override { return describe_; }

  // The Authorization header value for these options ("" for none): ApiKey wins over basic auth.
  // Public for tests; never log it.
  static std::string authorizationFor(const ElasticsearchOptions& options);

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> newSession() const;

  bool https_ = false;
  std::string host_;
  unsigned short port_ = 0;
  std::string pathPrefix_;
  std::string authorization_;
  std::string describe_;
  std::chrono::milliseconds timeout_;
  Poco::Net::Context::Ptr tlsContext_;
  std::mutex mutex_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace podmon::index
