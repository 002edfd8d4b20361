#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "servers/sigv4_verifier.h"

namespace Poco::JSON {
class Object;
}

namespace podmon::testing {

// An in-process stand-in for Elasticsearch (no real one can be installed here). It implements
// what podmon uses exactly as documented: `_bulk` (NDJSON that must end with "\n", create/index
// actions, 409 version_conflict_engine_exception on create of an existing _id, HTTP 200 with
// per-item statuses in request order), composable and legacy index templates, `GET /`,
// `_cluster/health`, `GET /<index>/_doc/<id>` and `_cat/indices`, plus fault injection and C++
// accessors so tests can see what was stored. It listens on 127.0.0.1, port 0 by default.
// `filter_path` is accepted and ignored (a full answer is a superset of a filtered one).
class EsTestServer {
 public:
  struct Options {
    std::uint16_t port = 0;
    std::string version = "8.13.4";
    std::string distribution = "elasticsearch";        // "opensearch" reports like OpenSearch
    bool composableTemplates = true;                   // false: behaves like Elasticsearch 6 (no _index_template)
    std::size_t maxContentLength = 100 * 1024 * 1024;  // larger bodies get 413
    std::string requiredAuthorization;                 // "" = no auth check; else exact header value
  };
  // Decides whether a document source (parsed) is refused with 400 mapper_parsing_exception.
  using DocumentPredicate = std::function<bool(const Poco::JSON::Object& source)>;

  EsTestServer();
  explicit EsTestServer(Options options);
  ~EsTestServer();
  EsTestServer(const EsTestServer&) = delete;
  EsTestServer& operator=(const EsTestServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:<port>

  // --- behaviour switches and fault injection (thread-safe) ---
  void setComposableTemplates(bool supported);
  void setVersion(const std::string& version, const std::string& distribution);
  void setRequiredAuthorization(const std::string& header);
  void setMaxContentLength(std::size_t bytes);
  // The next n bulk items (across requests) fail with this status (429 es_rejected_execution_exception,
  // or e.g. 503 unavailable_shards_exception).
  void rejectNextItems(int n, int status = 429);
  // Documents matching the predicate fail with 400 mapper_parsing_exception (nullptr: none).
  void failDocumentsWhere(DocumentPredicate predicate);
  // Convenience: documents whose top-level string `field` equals `value` fail with 400.
  void failDocumentsWithField(const std::string& field, const std::string& value);
  // The next n requests (any endpoint) are answered with this status and an error body.
  void failNextRequests(int n, int status = 503);
  // Every answer is delayed by this much (slow cluster).
  void setResponseDelay(std::chrono::milliseconds delay);
  // Down: the port refuses connections and open connections are cut. Up again on the same port.
  void setDown(bool down);
  // The SigV4 check (Amazon OpenSearch Service's answers), off until enabled.
  Sigv4Verifier& sigv4();

  // --- what the server holds (thread-safe copies) ---
  // Source of a stored document.
  std::optional<std::string> document(const std::string& index, const std::string& id) const;
  // index -> number of documents.
  std::map<std::string, std::size_t> indices() const;
  struct StoredDocument {
    std::string index;
    std::string id;
    std::string source;
  };
  // Every stored document, by index then _id.
  std::vector<StoredDocument> documents() const;
  std::size_t documentCount() const;
  // Version of a stored document (1 when created, +1 per `index` overwrite).
  int documentVersion(const std::string& index, const std::string& id) const;
  std::optional<std::string> indexTemplate(const std::string& name) const;   // composable, body as sent
  std::optional<std::string> legacyTemplate(const std::string& name) const;  // legacy, body as sent
  // The template whose pattern matched when an index was created ("" when none).
  std::string templateAppliedTo(const std::string& index) const;

  // --- counters ---
  std::size_t requestCount() const;
  std::size_t bulkRequestCount() const;
  std::size_t bulkItemCount() const;  // items received over all bulk requests
  std::size_t templatePutCount() const;
  std::string lastAuthorization() const;  // Authorization header of the last request ("" if none)
  std::string lastContentType() const;
  std::vector<std::string> requestLog() const;  // "METHOD /path" in arrival order

  struct State;

 private:
  void startListening(std::uint16_t port);

  Options options_;
  std::shared_ptr<State> state_;
  struct Listener;
  std::mutex listenerMutex_;  // setDown() comes from the control API's threads too
  std::unique_ptr<Listener> listener_;
  std::atomic<std::uint16_t> port_{0};  // url() is read while a restart re-listens
};

}  // namespace podmon::testing
