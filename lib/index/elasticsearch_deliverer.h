#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
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
// Before the first bulk into each daily index it creates the index with the template's mappings
// when the template could not be installed (as the original tool did), and says once when an
// existing index maps a field differently (e.g. `created_at` as long, mapped dynamically).
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
  // GET / answered (any status but 401, 408, 429 and 5xx: a 403 without the monitor privilege
  // still proves the server and the credentials). Throws SinkException otherwise.
  void checkReachable() override;

  // What prepare() found, for tests and /readyz.
  bool usesLegacyTemplate() const { return legacyTemplate_.load(); }
  bool usesMappingTypes() const { return typed_.load(); }
  bool templateInstalled() const { return templateInstalled_.load(); }
  // Daily indices found with a mapping that conflicts with the template (each reported once).
  std::uint64_t indicesWithMappingConflicts() const { return mappingConflicts_.load(); }

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
  // Prepares the index of each document once; the documents of an index that could not be
  // prepared (the server did not answer usefully) get a retry outcome and leave the batch.
  void prepareIndices(std::vector<BulkDocument>& documents, std::vector<std::size_t>& itemOf,
                      std::vector<delivery::DeliveryOutcome>& outcomes);
  // False (with `error`) when the index could not be prepared yet. Throws SinkException when
  // Elasticsearch did not answer.
  bool prepareIndex(const std::string& index, std::string& error);
  bool createIndex(const std::string& index, std::string& error);
  void reportMappingConflicts(const std::string& index);
  void detectServer();
  void installTemplate();
  // ELASTICSEARCH_ILM_POLICY where the server has ILM (Elasticsearch), else "".
  std::string lifecyclePolicy() const;
  // Throws SinkException for answers that mean "not ready yet" (401, 408, 429, 5xx).
  void throwIfNotReady(const EsResponse& response, const std::string& what) const;

  ElasticsearchOptions options_;
  EsHttpClient::Ptr client_;
  std::string templateName_;
  std::atomic<bool> typed_{false};
  std::atomic<bool> openSearch_{false};  // OpenSearch has no ILM: its ISM policies pick indices by ism_template
  std::atomic<bool> legacyTemplate_{false};
  std::atomic<bool> templateInstalled_{false};
  std::atomic<bool> prepared_{false};  // deliver() before prepare() knows no server: no index checks
  std::mutex indexMutex_;
  std::set<std::string> preparedIndices_;  // bounded: cleared when it grows past a limit
  std::atomic<std::uint64_t> mappingConflicts_{0};
};

}  // namespace podmon::index
