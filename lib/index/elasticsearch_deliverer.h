#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "delivery/outbox_deliverer.h"
#include "index/bulk_request.h"
#include "index/elasticsearch_options.h"
#include "index/es_http_client.h"

namespace podmon::index {

// Delivers crash documents from the outbox to Elasticsearch or OpenSearch with _bulk `create`
// actions (_id = crash key, daily index from the crash's own date), so any retry is harmless.
// Every document gets its own outcome: written or already there -> delivered; 429, 5xx, auth
// and connection failures -> retry; mapping errors -> dead with Elasticsearch's reason. A body the
// server finds too large (413) is halved until it fits. prepare() installs the index template.
class ElasticsearchDeliverer : public delivery::OutboxDeliverer {
 public:
  // Talks through a PocoEsHttpClient. Throws ConfigException on unusable options.
  explicit ElasticsearchDeliverer(ElasticsearchOptions options);
  // For tests: any client. Throws ConfigException on unusable options.
  ElasticsearchDeliverer(ElasticsearchOptions options, EsHttpClient::Ptr client);

  store::Sink sink() const override { return store::Sink::kElasticsearch; }
  std::size_t batchSize() const override { return options_.maxBatchItems; }
  // Never throws: a failure becomes kRetry (or kDead) outcomes.
  std::vector<delivery::DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) override;
  // Learns the server's version (GET /) and installs the index template: composable
  // `_index_template`, else the legacy `_template` (Elasticsearch 6, old OpenSearch). Throws
  // SinkException when Elasticsearch cannot be reached, is overloaded or rejects the credentials;
  // a template refused for other reasons (403 without the manage_index_templates privilege) is
  // logged and delivery goes ahead.
  void prepare() override;

  // What prepare() found, for tests and /readyz.
  bool usesLegacyTemplate() const { return legacyTemplate_.load(); }
  bool usesMappingTypes() const { return typed_.load(); }
  bool templateInstalled() const { return templateInstalled_.load(); }

 private:
  void sendRange(const std::vector<BulkDocument>& documents, std::size_t first, std::size_t last,
                 std::vector<delivery::DeliveryOutcome>& outcomes);
  // The outcome of each document of an HTTP-200 bulk answer (all retried when unreadable).
  void readItems(const EsResponse& response, const std::vector<BulkDocument>& documents, std::size_t first,
                 std::size_t last, std::vector<delivery::DeliveryOutcome>& outcomes) const;
  // One document the server refused even alone (413 too large, 400 unreadable): dead.
  static delivery::DeliveryOutcome refusedDocument(const EsResponse& response, const BulkDocument& document);
  // A whole bulk refused (429, 5xx, 401/403, ...): every document retries.
  delivery::DeliveryOutcome retryBulk(const EsResponse& response, std::size_t count) const;
  void detectServer();
  void installTemplate();
  // Throws SinkException for answers that mean "not ready yet" (401, 408, 429, 5xx).
  void throwIfNotReady(const EsResponse& response, const std::string& what) const;

  ElasticsearchOptions options_;
  EsHttpClient::Ptr client_;
  std::string templateName_;
  std::atomic<bool> typed_{false};
  std::atomic<bool> legacyTemplate_{false};
  std::atomic<bool> templateInstalled_{false};
};

}  // namespace podmon::index
