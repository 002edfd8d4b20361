#include "index/elasticsearch_options.h"

#include "core/errors.h"
#include "core/settings.h"
#include "index/index_naming.h"

namespace podmon::index {

ElasticsearchOptions ElasticsearchOptions::fromSettings(const ElasticsearchSettings& settings) {
  ElasticsearchOptions options;
  options.url = settings.url;
  options.indexPrefix = settings.index;
  options.username = settings.username;
  options.password = settings.password;
  options.apiKey = settings.apiKey;
  options.caFile = settings.caFile;
  options.ilmPolicy = settings.ilmPolicy;
  options.validate();
  return options;
}

void ElasticsearchOptions::validate() const {
  if (url.empty()) throw ConfigException("ELASTICSEARCH_URL is empty: set it to http(s)://host:9200");
  const std::string problem = indexPrefixProblem(indexPrefix);
  if (!problem.empty()) {
    throw ConfigException("ELASTICSEARCH_INDEX \"" + indexPrefix + "\" cannot start an index name: " + problem +
                          " (e.g. k8s-crash-monitor-)");
  }
  if (maxBatchItems == 0 || maxBatchBytes == 0) throw ConfigException("Elasticsearch batch limits must be positive");
}

std::string ElasticsearchOptions::effectiveTemplateName() const {
  if (!templateName.empty()) return templateName;
  std::string name = indexPrefix;
  while (!name.empty() && (name.back() == '-' || name.back() == '_' || name.back() == '.')) name.pop_back();
  return name.empty() ? "podmon-crashes" : name;
}

}  // namespace podmon::index
