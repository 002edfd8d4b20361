#pragma once

#include <memory>
#include <string>

#include "http/http_client.h"
#include "index/elasticsearch_options.h"
#include "index/es_http_client.h"

namespace podmon::index {

// EsHttpClient over the shared HTTP client (http::PocoHttpClient). It keeps one keep-alive
// connection (bulk requests come one after another from a single worker) and drops it after any
// failure, so a restarted Elasticsearch gets a fresh connection on the next request; podmon's
// writes are idempotent, so a failure on a reused connection is tried once more. https verifies the
// server against ELASTICSEARCH_CA_FILE when set (Elasticsearch 8 uses a self-signed CA), else the
// system CAs. Authentication is a fixed header (basic or ApiKey); a request signer can be added.
class PocoEsHttpClient : public EsHttpClient {
 public:
  // Throws ConfigException when the URL or the CA file is unusable. `signer` (may be null) adds
  // headers to each request.
  explicit PocoEsHttpClient(const ElasticsearchOptions& options, http::RequestSigner::Ptr signer = nullptr);
  ~PocoEsHttpClient() override;

  EsResponse request(const std::string& method, const std::string& pathAndQuery, const std::string& body,
                     const std::string& contentType) override;
  std::string describe() const override { return describe_; }

  // The Authorization header value for these options ("" for none): ApiKey wins over basic auth.
  // Public for tests; never log it.
  static std::string authorizationFor(const ElasticsearchOptions& options);

 private:
  std::string pathPrefix_;
  std::string describe_;
  http::HttpClient::Ptr http_;
};

}  // namespace podmon::index
