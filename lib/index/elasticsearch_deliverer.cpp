#include "index/elasticsearch_deliverer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "aws/aws_error_text.h"
#include "core/errors.h"
#include "index/bulk_response.h"
#include "index/crash_document.h"
#include "index/index_naming.h"
#include "index/index_template.h"
#include "index/mapping_conflicts.h"
#include "index/poco_es_http_client.h"

namespace podmon::index {

namespace {

using delivery::DeliveryOutcome;

// Smaller replies: only what classification reads.
constexpr const char* kBulkPath = "/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason";
constexpr const char* kJson = "application/json";
constexpr const char* kNdjson = "application/x-ndjson";
// Daily indices remembered as prepared; beyond this the memory starts again (a few extra checks).
constexpr std::size_t kMaxPreparedIndices = 1024;

bool isAuthFailure(int status) { return status == 401 || status == 403; }

std::string authHint(int status) {
  return status == 401 ? "check ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD or ELASTICSEARCH_API_KEY"
                       : "the user needs the create_doc (or write) privilege on the indices";
}

void fill(std::vector<DeliveryOutcome>& outcomes, std::size_t first, std::size_t last, const DeliveryOutcome& outcome) {
  for (std::size_t i = first; i < last; ++i) outcomes[i] = outcome;
}

}  // namespace

ElasticsearchDeliverer::ElasticsearchDeliverer(ElasticsearchOptions options)
    : ElasticsearchDeliverer(options, std::make_shared<PocoEsHttpClient>(options)) {}

ElasticsearchDeliverer::ElasticsearchDeliverer(ElasticsearchOptions options, EsHttpClient::Ptr client)
    : options_(std::move(options)), client_(std::move(client)) {
  options_.validate();
  templateName_ = options_.effectiveTemplateName();
}

std::vector<DeliveryOutcome> ElasticsearchDeliverer::deliver(const std::vector<store::OutboxItem>& items) {
  std::vector<DeliveryOutcome> outcomes(items.size());
  std::vector<BulkDocument> documents;
  std::vector<std::size_t> itemOf;  // documents[i] carries items[itemOf[i]]
  documents.reserve(items.size());
  const std::string mappingType = typed_ ? "_doc" : "";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& crash = items[i].crash;
    try {
      BulkDocument document;
      document.index = dailyIndexName(options_.indexPrefix, crashTime(crash.record.event, items[i].createdAt));
      document.id = documentId(crash);
      document.source = buildCrashDocument(crash, items[i].createdAt);
      document.mappingType = mappingType;
      documents.push_back(std::move(document));
      itemOf.push_back(i);
    } catch (const Poco::Exception& e) {
      outcomes[i] = DeliveryOutcome::dead("document", "cannot build the Elasticsearch document: " + e.displayText());
    } catch (const std::exception& e) {
      outcomes[i] =
          DeliveryOutcome::dead("document", std::string("cannot build the Elasticsearch document: ") + e.what());
    }
  }

  prepareIndices(documents, itemOf, outcomes);
  std::vector<DeliveryOutcome> documentOutcomes(documents.size());
  for (const auto& range : planBulkRanges(documents, options_.maxBatchItems, options_.maxBatchBytes)) {
    sendRange(documents, range.first, range.last, documentOutcomes);
  }
  for (std::size_t d = 0; d < documents.size(); ++d) outcomes[itemOf[d]] = std::move(documentOutcomes[d]);
  return outcomes;
}

void ElasticsearchDeliverer::prepareIndices(std::vector<BulkDocument>& documents, std::vector<std::size_t>& itemOf,
                                            std::vector<DeliveryOutcome>& outcomes) {
  if (!prepared_) return;
  std::map<std::string, std::string> heldBack;  // index -> why
  std::set<std::string> seen;
  for (const auto& document : documents) {
    if (!seen.insert(document.index).second) continue;
    std::string error;
    try {
      if (!prepareIndex(document.index, error)) heldBack[document.index] = error;
    } catch (const Poco::Exception& e) {
      heldBack[document.index] = "preparing the index " + document.index + ": " + e.message();
    }
  }
  if (heldBack.empty()) return;
  std::vector<BulkDocument> kept;
  std::vector<std::size_t> keptItems;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    auto held = heldBack.find(documents[d].index);
    if (held == heldBack.end()) {
      kept.push_back(std::move(documents[d]));
      keptItems.push_back(itemOf[d]);
    } else {
      outcomes[itemOf[d]] = DeliveryOutcome::retry("index_prepare", held->second);
    }
  }
  for (const auto& [index, why] : heldBack) spdlog::warn("elasticsearch: documents for {} wait: {}", index, why);
  documents = std::move(kept);
  itemOf = std::move(keptItems);
}

bool ElasticsearchDeliverer::prepareIndex(const std::string& index, std::string& error) {
  {
    std::lock_guard lock(indexMutex_);
    if (preparedIndices_.count(index) > 0) return true;
  }
  if (!templateInstalled_ && !createIndex(index, error)) return false;
  reportMappingConflicts(index);
  std::lock_guard lock(indexMutex_);
  if (preparedIndices_.size() >= kMaxPreparedIndices) preparedIndices_.clear();
  preparedIndices_.insert(index);
  return true;
}

// Without the template, the index gets the template's settings and mappings here, before the
// first document could create it with dynamic ones.
bool ElasticsearchDeliverer::createIndex(const std::string& index, std::string& error) {
  const EsResponse r = client_->request("PUT", "/" + index, indexCreationBody(typed_, lifecyclePolicy()), kJson);
  const int s = r.status;
  if (s >= 200 && s < 300) {
    spdlog::info("elasticsearch: created the index {} with podmon's mappings (the index template is not installed)",
                 index);
    return true;
  }
  if (s == 400 && r.body.find("resource_already_exists_exception") != std::string::npos) return true;
  if (s == 401 || s == 408 || s == 429 || s >= 500) {
    error = "creating the index " + index + ": HTTP " + std::to_string(s) + " " + describeErrorBody(r.body);
    return false;
  }
  spdlog::warn(
      "elasticsearch: cannot create the index {} with podmon's mappings (HTTP {}: {}); the first document creates "
      "it with the server's dynamic mappings (needs the create_index privilege, or the template's)",
      index, s, describeErrorBody(r.body));
  return true;
}

void ElasticsearchDeliverer::reportMappingConflicts(const std::string& index) {
  const EsResponse r = client_->request("GET", "/" + index + "/_mapping", "", "");
  // 404: not created yet, the template or createIndex decides its mapping; 403: the user may
  // not read mappings (view_index_metadata), nothing to check.
  if (r.status != 200) return;
  const auto conflicts = findMappingConflicts(r.body);
  if (conflicts.empty()) return;
  ++mappingConflicts_;
  spdlog::error(
      "elasticsearch: the index {} maps fields differently from podmon's index template: {}. Documents still go "
      "there (a document the index refuses stays in the outbox as dead, with the reason); searches and dashboards "
      "that need the template's types miss this index until it is reindexed. Said once per index.",
      index, describeConflicts(conflicts));
}

void ElasticsearchDeliverer::sendRange(const std::vector<BulkDocument>& documents, std::size_t first, std::size_t last,
                                       std::vector<DeliveryOutcome>& outcomes) {
  const std::size_t count = last - first;
  EsResponse response;
  try {
    response = client_->request("POST", kBulkPath, buildBulkBody(documents, first, last), kNdjson);
  } catch (const Poco::Exception& e) {
    spdlog::warn("elasticsearch: bulk of {} documents not sent, will retry: {}", count, e.message());
    fill(outcomes, first, last, DeliveryOutcome::retry("connection", e.message()));
    return;
  } catch (const std::exception& e) {
    spdlog::warn("elasticsearch: bulk of {} documents not sent, will retry: {}", count, e.what());
    fill(outcomes, first, last, DeliveryOutcome::retry("connection", e.what()));
    return;
  }

  switch (classifyBulkStatus(response.status)) {
    case BulkRequestVerdict::kReadItems: readItems(response, documents, first, last, outcomes); return;
    case BulkRequestVerdict::kSplit:
      if (count > 1) {
        spdlog::info("elasticsearch: bulk of {} documents refused with HTTP {}, splitting it", count, response.status);
        const std::size_t middle = first + count / 2;
        sendRange(documents, first, middle, outcomes);
        sendRange(documents, middle, last, outcomes);
        return;
      }
      outcomes[first] = refusedDocument(response, documents[first]);
      return;
    case BulkRequestVerdict::kRetryAll: fill(outcomes, first, last, retryBulk(response, count)); return;
  }
}

void ElasticsearchDeliverer::readItems(const EsResponse& response, const std::vector<BulkDocument>& documents,
                                       std::size_t first, std::size_t last,
                                       std::vector<DeliveryOutcome>& outcomes) const {
  const std::size_t count = last - first;
  auto results = parseBulkResponse(response.body, count);
  if (!results) {
    spdlog::warn("elasticsearch: unreadable bulk response (HTTP {}) for {} documents, will retry", response.status,
                 count);
    fill(outcomes, first, last,
         DeliveryOutcome::retry("unreadable_response",
                                "unreadable _bulk response: " + describeErrorBody(response.body)));
    return;
  }
  std::size_t failed = 0;
  for (std::size_t i = 0; i < count; ++i) {
    outcomes[first + i] = classifyBulkItem((*results)[i]);
    if (outcomes[first + i].kind != DeliveryOutcome::Kind::kDelivered) {
      ++failed;
      spdlog::log(outcomes[first + i].kind == DeliveryOutcome::Kind::kDead ? spdlog::level::err : spdlog::level::debug,
                  "elasticsearch: document {} in {}: {}", documents[first + i].id, documents[first + i].index,
                  outcomes[first + i].error);
    }
  }
  if (failed > 0) spdlog::warn("elasticsearch: {} of {} documents in a bulk were not written", failed, count);
}

DeliveryOutcome ElasticsearchDeliverer::refusedDocument(const EsResponse& response, const BulkDocument& document) {
  const std::string error = response.status == 413
                                ? "document of " + std::to_string(document.source.size()) +
                                      " bytes is larger than Elasticsearch accepts (HTTP 413, http.max_content_length)"
                                : "Elasticsearch refused the document: HTTP " + std::to_string(response.status) + " " +
                                      describeErrorBody(response.body);
  spdlog::error("elasticsearch: document {} in {}: {}", document.id, document.index, error);
  return DeliveryOutcome::dead("http_" + std::to_string(response.status), error);
}

DeliveryOutcome ElasticsearchDeliverer::retryBulk(const EsResponse& response, std::size_t count) const {
  const std::string error =
      "Elasticsearch answered HTTP " + std::to_string(response.status) + " " + describeErrorBody(response.body);
  if (isAuthFailure(response.status)) {
    const bool aws = aws::classifyAwsAuthError(response.body) != aws::AwsAuthError::kNone;
    spdlog::error("elasticsearch: {} refused the bulk request with HTTP {} ({}): {}. Crashes stay queued.",
                  client_->describe(), response.status,
                  aws ? "AWS refused the SigV4 signature or credentials, see the aws: line" : authHint(response.status),
                  error);
  } else {
    spdlog::warn("elasticsearch: bulk of {} documents not written, will retry: {}", count, error);
  }
  return DeliveryOutcome::retry("http_" + std::to_string(response.status), error, response.retryAfter);
}

void ElasticsearchDeliverer::prepare() {
  detectServer();
  installTemplate();
  prepared_ = true;
}

void ElasticsearchDeliverer::checkReachable() {
  EsResponse response;
  try {
    response = client_->request("GET", "/", "", "");
  } catch (const Poco::Exception& e) {
    throw SinkException("Elasticsearch at " + client_->describe() + " did not answer: " + e.message());
  }
  const int s = response.status;
  if (s == 401 || s == 408 || s == 429 || s >= 500) {
    throw SinkException("Elasticsearch at " + client_->describe() + " answered HTTP " + std::to_string(s), s);
  }
}

void ElasticsearchDeliverer::throwIfNotReady(const EsResponse& response, const std::string& what) const {
  const int s = response.status;
  if (s == 401) {
    spdlog::error("elasticsearch: {} rejected the credentials (HTTP 401): {}", client_->describe(), authHint(401));
  }
  if (s == 401 || s == 408 || s == 429 || s >= 500) {
    throw SinkException(what + ": HTTP " + std::to_string(s) + " " + describeErrorBody(response.body), s);
  }
}

void ElasticsearchDeliverer::detectServer() {
  // Throws SinkException when unreachable: not ready.
  EsResponse response = client_->request("GET", "/", "", "");
  throwIfNotReady(response, "Elasticsearch at " + client_->describe() + " is not ready");
  if (response.status < 200 || response.status >= 300) {
    // E.g. 403 for an API key without the monitor privilege: assume a current server.
    spdlog::info("elasticsearch: GET / answered HTTP {}; assuming a server without mapping types", response.status);
    return;
  }
  std::string number;
  std::string distribution;
  try {
    auto root = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
    if (auto version = root ? root->getObject("version") : nullptr) {
      number = version->optValue<std::string>("number", "");
      distribution = version->optValue<std::string>("distribution", "elasticsearch");
    }
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {}
  int major = 0;
  Poco::NumberParser::tryParse(number.substr(0, number.find('.')), major);
  // Elasticsearch 6 needs a mapping type ("_doc"); OpenSearch 1.x reports its own 1.x version.
  typed_ = distribution != "opensearch" && major > 0 && major < 7;
  openSearch_ = distribution == "opensearch";
  if (openSearch_ && !options_.ilmPolicy.empty()) {
    spdlog::warn(
        "elasticsearch: ELASTICSEARCH_ILM_POLICY is not put in the template on OpenSearch, which has no ILM; give "
        "the ISM policy {} an ism_template for {}* instead (docs/retention.md)",
        options_.ilmPolicy, options_.indexPrefix);
  }
  spdlog::info("elasticsearch: {} is {} {}", client_->describe(), distribution.empty() ? "elasticsearch" : distribution,
               number.empty() ? "(version unknown)" : number);
}

std::string ElasticsearchDeliverer::lifecyclePolicy() const { return openSearch_ ? "" : options_.ilmPolicy; }

void ElasticsearchDeliverer::installTemplate() {
  const std::string what = "installing the index template " + templateName_;
  // Throws when not ready; true (and remembered) when the server took the template.
  auto installed = [&](const EsResponse& response, bool legacy) {
    throwIfNotReady(response, what);
    if (response.status < 200 || response.status >= 300) return false;
    legacyTemplate_ = legacy;
    templateInstalled_ = true;
    spdlog::info("elasticsearch: {}index template {} installed for {}*", legacy ? "legacy " : "", templateName_,
                 options_.indexPrefix);
    return true;
  };
  if (!typed_) {
    EsResponse composable = client_->request("PUT", "/_index_template/" + templateName_,
                                             composableTemplateBody(options_.indexPrefix, lifecyclePolicy()), kJson);
    if (installed(composable, false)) return;
    if (composable.status == 403) {
      spdlog::warn(
          "elasticsearch: not allowed to install the index template {} (HTTP 403, needs "
          "manage_index_templates); indexing goes ahead with the templates already there",
          templateName_);
      return;
    }
    // 404/405 (no such endpoint) or 400 (Elasticsearch 6 reads it as an index named _index_template).
    spdlog::info("elasticsearch: _index_template answered HTTP {}; using the legacy _template API", composable.status);
  }
  EsResponse legacy = client_->request("PUT", "/_template/" + templateName_,
                                       legacyTemplateBody(options_.indexPrefix, typed_, lifecyclePolicy()), kJson);
  if (installed(legacy, true)) return;
  spdlog::error(
      "elasticsearch: the index template {} was refused (HTTP {}: {}); documents are indexed with "
      "whatever mapping the server chooses",
      templateName_, legacy.status, describeErrorBody(legacy.body));
}

}  // namespace podmon::index
