#pragma once

#include <string>

// The index template, kept as one JSON file (lib/index/index_template.json, the composable
// `_index_template` form) and embedded at build time, so podmon and the dashboards' tests read
// the same mapping. Installed for `<prefix>*` at start-up and whenever Elasticsearch comes back.
namespace podmon::index {

// The file's text as embedded.
const char* indexTemplateJson();

// Body for `PUT _index_template/<name>` (Elasticsearch 7.8+, OpenSearch): the file with
// index_patterns set to [prefix + "*"].
// `ilmPolicy` (ELASTICSEARCH_ILM_POLICY; "" = none) goes into the settings as index.lifecycle.name,
// Elasticsearch's ILM policy of each new index; here and below.
std::string composableTemplateBody(const std::string& indexPrefix, const std::string& ilmPolicy = "");

// Body for the legacy `PUT _template/<name>` (Elasticsearch 6/7, OpenSearch): same settings and
// mappings, `order` instead of `priority`. `typed` wraps the mappings in the `_doc` type, as
// Elasticsearch 6 requires.
std::string legacyTemplateBody(const std::string& indexPrefix, bool typed, const std::string& ilmPolicy = "");

// Body for `PUT /<index>` when the template could not be installed (as the original created its
// daily indices): the template's settings and mappings; `typed` wraps the mappings in `_doc`.
std::string indexCreationBody(bool typed, const std::string& ilmPolicy = "");

}  // namespace podmon::index
