#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace podmon {
struct ElasticsearchSettings;
}

namespace podmon::index {

// How podmon reaches Elasticsearch (or OpenSearch) and how it batches. Built from the
// ELASTICSEARCH_* settings; fromSettings() fails fast on values that can never work.
struct ElasticsearchOptions {
  std::string url;                                 // http(s)://host:port[/path-prefix]
  std::string indexPrefix = "k8s-crash-monitor-";  // daily indices are prefix + YYYY.MM.DD (UTC)
  std::string templateName;                        // "" = derived from indexPrefix
  std::string username;                            // basic auth when set
  std::string password;
  std::string apiKey;     // base64(id:key), or "id:key" (encoded here)
  std::string caFile;     // PEM bundle for https; "" = system CAs
  std::string ilmPolicy;  // ELASTICSEARCH_ILM_POLICY: index.lifecycle.name in the template (Elasticsearch)
  std::size_t maxBatchItems = 500;
  std::size_t maxBatchBytes = 5 * 1024 * 1024;
  std::chrono::milliseconds timeout{30000};  // connect and each read/write

  // From ELASTICSEARCH_URL, _INDEX, _USERNAME, _PASSWORD, _API_KEY, _CA_FILE. Throws
  // ConfigException naming the setting when the index prefix or URL is unusable.
  static ElasticsearchOptions fromSettings(const ElasticsearchSettings& settings);

  // Throws ConfigException (naming the setting) when these options can never work.
  void validate() const;
  // templateName, or one derived from the prefix ("k8s-crash-monitor-" -> "k8s-crash-monitor").
  std::string effectiveTemplateName() const;
};

}  // namespace podmon::index
