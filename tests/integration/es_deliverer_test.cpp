// ElasticsearchDeliverer over real HTTP against the in-process EsTestServer.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "core/errors.h"
#include "index/crash_document.h"
#include "index/elasticsearch_deliverer.h"
#include "index/poco_es_http_client.h"
#include "servers/es_test_server.h"
#include "unit/status/log_capture.h"

namespace podmon::index {
namespace {

using Kind = delivery::DeliveryOutcome::Kind;
using podmon::testing::EsTestServer;

store::OutboxItem crashItem(std::int64_t id, const std::string& key, const std::string& finishedAt,
                            const std::string& reason = "Error") {
  store::OutboxItem item;
  item.id = id;
  item.attempts = 1;
  item.createdAt = std::chrono::system_clock::now();
  auto& crash = item.crash;
  crash.id = id;
  crash.crashKey = key;
  auto& e = crash.record.event;
  e.clusterName = "test";
  e.namespace_ = "default";
  e.podName = "web-" + key;
  e.podUid = "uid-" + key;
  e.containerName = "app";
  e.restartCount = 3;
  e.restartDelta = 1;
  e.reason = reason;
  e.exitCode = 1;
  e.finishedAt = finishedAt;
  e.terminationState = "Not Available";
  e.containerState = "CrashLoopBackOff";
  e.labels = {{"app", "web"}, {"app.kubernetes.io/name", "web"}};
  e.detectedAt = std::chrono::system_clock::time_point(std::chrono::seconds(1714557935));  // 2024-05-01
  crash.record.logs = "boom \xE2\x9C\x97\n";
  crash.record.logsStatus = "ok";
  return item;
}

std::vector<Kind> kinds(const std::vector<delivery::DeliveryOutcome>& outcomes) {
  std::vector<Kind> out;
  for (const auto& o : outcomes) out.push_back(o.kind);
  return out;
}

class EsDelivererTest : public ::testing::Test {
 protected:
  ElasticsearchOptions options() const {
    ElasticsearchOptions o;
    o.url = server_.url();
    o.indexPrefix = "k8s-crash-monitor-";
    o.timeout = std::chrono::milliseconds(2000);
    return o;
  }

  EsTestServer server_;
};

TEST_F(EsDelivererTest, InstallsTheComposableTemplateIdempotently) {
  ElasticsearchDeliverer deliverer(options());
  deliverer.prepare();
  deliverer.prepare();
  auto body = server_.indexTemplate("k8s-crash-monitor");
  ASSERT_TRUE(body);
  auto parsed = Poco::JSON::Parser().parse(*body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getArray("index_patterns")->getElement<std::string>(0), "k8s-crash-monitor-*");
  EXPECT_FALSE(server_.legacyTemplate("k8s-crash-monitor"));
  EXPECT_EQ(server_.templatePutCount(), 2u);
  EXPECT_FALSE(deliverer.usesLegacyTemplate());
}

// index.lifecycle.name in the template's settings, or "" when it has none.
std::string lifecycleNameIn(const std::string& templateBody, bool composable) {
  auto parsed = Poco::JSON::Parser().parse(templateBody).extract<Poco::JSON::Object::Ptr>();
  auto settings = composable ? parsed->getObject("template")->getObject("settings") : parsed->getObject("settings");
  auto index = settings ? settings->getObject("index") : nullptr;
  auto lifecycle = index ? index->getObject("lifecycle") : nullptr;
  return lifecycle ? lifecycle->optValue<std::string>("name", "") : "";
}

TEST_F(EsDelivererTest, TheIlmPolicyIsNamedInTheTemplateOnElasticsearchOnly) {
  auto o = options();
  o.ilmPolicy = "podmon-crashes";
  ElasticsearchDeliverer(options()).prepare();
  EXPECT_EQ(lifecycleNameIn(server_.indexTemplate("k8s-crash-monitor").value(), true), "");
  ElasticsearchDeliverer(o).prepare();
  EXPECT_EQ(lifecycleNameIn(server_.indexTemplate("k8s-crash-monitor").value(), true), "podmon-crashes");
  auto parsed =
      Poco::JSON::Parser().parse(*server_.indexTemplate("k8s-crash-monitor")).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getObject("template")->getObject("settings")->getObject("index")->getValue<int>("number_of_shards"),
            1);  // the file's own settings stay

  server_.setComposableTemplates(false);
  server_.setVersion("7.10.2", "elasticsearch");
  ElasticsearchDeliverer(o).prepare();
  EXPECT_EQ(lifecycleNameIn(server_.legacyTemplate("k8s-crash-monitor").value(), false), "podmon-crashes");

  // OpenSearch has no ILM (an unknown index setting would refuse the template): ISM's ism_template does it.
  server_.setVersion("2.11.0", "opensearch");
  ElasticsearchDeliverer(o).prepare();
  EXPECT_EQ(lifecycleNameIn(server_.legacyTemplate("k8s-crash-monitor").value(), false), "");
}

TEST_F(EsDelivererTest, FallsBackToLegacyTemplateWithoutIndexTemplateApi) {
  server_.setComposableTemplates(false);
  server_.setVersion("1.3.14", "opensearch");
  ElasticsearchDeliverer deliverer(options());
  deliverer.prepare();
  EXPECT_TRUE(deliverer.usesLegacyTemplate());
  EXPECT_FALSE(server_.indexTemplate("k8s-crash-monitor"));
  ASSERT_TRUE(server_.legacyTemplate("k8s-crash-monitor"));
  auto outcomes = deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(server_.templateAppliedTo("k8s-crash-monitor-2024.05.01"), "k8s-crash-monitor");
}

TEST_F(EsDelivererTest, Elasticsearch6GetsTypedTemplateAndTypedActions) {
  server_.setComposableTemplates(false);
  server_.setVersion("6.8.23", "elasticsearch");
  ElasticsearchDeliverer deliverer(options());
  deliverer.prepare();
  EXPECT_TRUE(deliverer.usesMappingTypes());
  auto outcomes = deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>{Kind::kDelivered}) << outcomes[0].error;
}

TEST_F(EsDelivererTest, IndexesABatchByCrashKeyIntoTheCrashesDailyIndex) {
  ElasticsearchDeliverer deliverer(options());
  deliverer.prepare();
  auto outcomes = deliverer.deliver(
      {crashItem(1, "a", "2024-05-01T23:59:59Z"), crashItem(2, "b", "2024-05-02T00:00:01Z"), crashItem(3, "c", "")});
  EXPECT_EQ(kinds(outcomes), (std::vector<Kind>{Kind::kDelivered, Kind::kDelivered, Kind::kDelivered}));
  EXPECT_EQ(server_.indices(), (std::map<std::string, std::size_t>{{"k8s-crash-monitor-2024.05.01", 2},
                                                                   {"k8s-crash-monitor-2024.05.02", 1}}));
  auto source = server_.document("k8s-crash-monitor-2024.05.01", "a");
  ASSERT_TRUE(source);
  auto doc = Poco::JSON::Parser().parse(*source).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(doc->getValue<std::string>("crash_key"), "a");
  EXPECT_EQ(doc->getValue<std::string>("logs"), "boom \xE2\x9C\x97\n");
  EXPECT_EQ(doc->getObject("labels")->getValue<std::string>("app_kubernetes_io/name"), "web");
  EXPECT_TRUE(server_.document("k8s-crash-monitor-2024.05.01", "c")) << "no finishedAt: detection date";
  EXPECT_EQ(server_.templateAppliedTo("k8s-crash-monitor-2024.05.01"), "k8s-crash-monitor");
  EXPECT_EQ(server_.lastContentType(), "application/x-ndjson");
}

TEST_F(EsDelivererTest, RetryNeverDuplicates) {
  ElasticsearchDeliverer deliverer(options());
  const std::vector<store::OutboxItem> batch = {crashItem(1, "a", "2024-05-01T10:00:00Z"),
                                                crashItem(2, "b", "2024-05-01T10:00:00Z")};
  EXPECT_EQ(kinds(deliverer.deliver(batch)), (std::vector<Kind>{Kind::kDelivered, Kind::kDelivered}));
  EXPECT_EQ(kinds(deliverer.deliver(batch)), (std::vector<Kind>{Kind::kDelivered, Kind::kDelivered}));  // 409s
  EXPECT_EQ(server_.documentCount(), 2u);
  EXPECT_EQ(server_.documentVersion("k8s-crash-monitor-2024.05.01", "a"), 1) << "create never rewrites";
}

TEST_F(EsDelivererTest, PerItemRejectionsRetryOnlyThoseItems) {
  ElasticsearchDeliverer deliverer(options());
  server_.rejectNextItems(1, 429);
  auto outcomes =
      deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z"), crashItem(2, "b", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), (std::vector<Kind>{Kind::kRetry, Kind::kDelivered}));
  EXPECT_NE(outcomes[0].error.find("es_rejected_execution_exception"), std::string::npos);
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(server_.documentCount(), 2u);
}

TEST_F(EsDelivererTest, MappingErrorsAreDeadWithTheirReason) {
  ElasticsearchDeliverer deliverer(options());
  server_.failDocumentsWithField("reason", "Poison");
  auto outcomes = deliverer.deliver(
      {crashItem(1, "a", "2024-05-01T10:00:00Z", "Poison"), crashItem(2, "b", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), (std::vector<Kind>{Kind::kDead, Kind::kDelivered}));
  EXPECT_NE(outcomes[0].error.find("mapper_parsing_exception"), std::string::npos);
  EXPECT_NE(outcomes[0].error.find("400"), std::string::npos);
}

TEST_F(EsDelivererTest, UnavailableClusterRetriesEverything) {
  ElasticsearchDeliverer deliverer(options());
  server_.failNextRequests(1, 503);
  auto outcomes =
      deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z"), crashItem(2, "b", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), (std::vector<Kind>{Kind::kRetry, Kind::kRetry}));
  EXPECT_EQ(server_.documentCount(), 0u);
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
}

TEST_F(EsDelivererTest, TooLargeBodiesAreSplit) {
  ElasticsearchDeliverer deliverer(options());
  std::vector<store::OutboxItem> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(crashItem(i + 1, "k" + std::to_string(i), "2024-05-01T10:00:00Z"));
  // Room for two documents (and their action lines) but not three.
  const std::size_t entry = buildCrashDocument(batch[0].crash, batch[0].createdAt).size() + 80;
  server_.setMaxContentLength(entry * 2);
  auto outcomes = deliverer.deliver(batch);
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>(6, Kind::kDelivered));
  EXPECT_EQ(server_.documentCount(), 6u);
  EXPECT_EQ(server_.requestCount(), 7u);  // 6 -> 3 + 3 -> (1 + 2) + (1 + 2)
}

TEST_F(EsDelivererTest, SendsBasicAuthAndApiKeyHeaders) {
  auto o = options();
  o.username = "elastic";
  o.password = "s3cret";
  server_.setRequiredAuthorization(PocoEsHttpClient::authorizationFor(o));
  EXPECT_EQ(PocoEsHttpClient::authorizationFor(o), "Basic ZWxhc3RpYzpzM2NyZXQ=");
  ElasticsearchDeliverer basic(o);
  EXPECT_EQ(kinds(basic.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});

  o.apiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
  server_.setRequiredAuthorization("ApiKey " + o.apiKey);
  ElasticsearchDeliverer apiKey(o);
  EXPECT_EQ(kinds(apiKey.deliver({crashItem(2, "b", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(server_.lastAuthorization(), "ApiKey " + o.apiKey);
}

// The hook a request signer (AWS SigV4) uses: it sees each whole request and adds headers last.
TEST_F(EsDelivererTest, ARequestSignerAddsHeadersToEachRequest) {
  struct CountingSigner : http::RequestSigner {
    void sign(http::HttpRequest& request) const override {
      ++signedRequests;
      request.setHeader("Authorization", "Signed " + request.method + " " + request.target.substr(0, 6) + " " +
                                             std::to_string(request.body.size() > 0));
    }
    mutable int signedRequests = 0;
  };
  auto signer = std::make_shared<CountingSigner>();
  auto o = options();
  o.username = "elastic";  // the fixed header is replaced by the signer's
  o.password = "s3cret";
  server_.setRequiredAuthorization("Signed POST /_bulk 1");
  ElasticsearchDeliverer deliverer(o, std::make_shared<PocoEsHttpClient>(o, signer));
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(signer->signedRequests, 1);
  EXPECT_EQ(server_.lastAuthorization(), "Signed POST /_bulk 1");
}

TEST_F(EsDelivererTest, WrongCredentialsRetryAndPrepareSaysNotReady) {
  auto o = options();
  o.username = "elastic";
  o.password = "wrong";
  server_.setRequiredAuthorization("Basic something-else");
  ElasticsearchDeliverer deliverer(o);
  EXPECT_THROW(deliverer.prepare(), SinkException);
  auto outcomes = deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>{Kind::kRetry});
  EXPECT_NE(outcomes[0].error.find("401"), std::string::npos);
  EXPECT_EQ(outcomes[0].error.find("wrong"), std::string::npos) << "no credentials in errors";
}

TEST_F(EsDelivererTest, ServerDownMeansRetryAndNothingIsLost) {
  ElasticsearchDeliverer deliverer(options());
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  server_.setDown(true);
  std::vector<delivery::DeliveryOutcome> outcomes;
  EXPECT_NO_THROW(outcomes = deliverer.deliver({crashItem(2, "b", "2024-05-01T10:00:00Z")}));
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>{Kind::kRetry});
  EXPECT_THROW(deliverer.prepare(), SinkException);
  server_.setDown(false);
  deliverer.prepare();
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(2, "b", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(server_.documentCount(), 2u);
}

TEST_F(EsDelivererTest, SlowServerTimesOutIntoRetries) {
  auto o = options();
  o.timeout = std::chrono::milliseconds(200);
  ElasticsearchDeliverer deliverer(o);
  server_.setResponseDelay(std::chrono::milliseconds(1000));
  auto outcomes = deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), std::vector<Kind>{Kind::kRetry});
  server_.setResponseDelay(std::chrono::milliseconds(0));
  // The late answer wrote it; the retry gets 409 and counts as delivered.
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})), std::vector<Kind>{Kind::kDelivered});
  EXPECT_EQ(server_.documentCount(), 1u);
}

// The type a stored index gives a field ("" when it has none).
std::string fieldType(const EsTestServer& server, const std::string& index, const std::string& field) {
  auto mappings = server.indexMappings(index);
  if (!mappings) return "";
  auto parsed = Poco::JSON::Parser().parse(*mappings).extract<Poco::JSON::Object::Ptr>();
  auto properties = parsed->getObject("properties");
  auto f = properties ? properties->getObject(field) : nullptr;
  return f ? f->optValue<std::string>("type", "") : "";
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Issue 20: a user without manage_index_templates. The original created each daily index with its
// mapping; so does podmon, or created_at would be mapped as long by dynamic mapping.
TEST_F(EsDelivererTest, WithoutTheTemplatePrivilegeEachDailyIndexGetsTheTemplatesMappings) {
  server_.refuseTemplateInstallation(true);
  ElasticsearchDeliverer deliverer(options());
  EXPECT_NO_THROW(deliverer.prepare());
  EXPECT_FALSE(deliverer.templateInstalled());
  EXPECT_FALSE(server_.indexTemplate("k8s-crash-monitor"));
  auto outcomes =
      deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z"), crashItem(2, "b", "2024-05-02T10:00:00Z")});
  EXPECT_EQ(kinds(outcomes), (std::vector<Kind>{Kind::kDelivered, Kind::kDelivered}));
  for (const char* index : {"k8s-crash-monitor-2024.05.01", "k8s-crash-monitor-2024.05.02"}) {
    EXPECT_EQ(fieldType(server_, index, "created_at"), "date") << index;
    EXPECT_EQ(fieldType(server_, index, "@timestamp"), "date") << index;
    EXPECT_EQ(fieldType(server_, index, "namespace"), "keyword") << index;
  }
  // Without that step the stand-in maps as Elasticsearch does: the number becomes a long.
  ElasticsearchDeliverer unprepared(options());
  unprepared.deliver({crashItem(3, "c", "2024-05-03T10:00:00Z")});
  EXPECT_EQ(fieldType(server_, "k8s-crash-monitor-2024.05.03", "created_at"), "long");
}

// Issue 20: an index the original (or dynamic mapping) left with created_at as long is named once,
// with the field, and documents keep going there.
TEST_F(EsDelivererTest, AConflictingDailyIndexIsReportedOnceAndStillWrittenTo) {
  server_.createIndexWithMappings("k8s-crash-monitor-2024.05.01",
                                  R"({"properties":{"created_at":{"type":"long"},"namespace":{"type":"keyword"}}})");
  podmon::testing::LogCapture log;
  ElasticsearchDeliverer deliverer(options());
  deliverer.prepare();
  EXPECT_TRUE(deliverer.templateInstalled());
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})),
            (std::vector<Kind>{Kind::kDelivered}));
  EXPECT_EQ(kinds(deliverer.deliver({crashItem(2, "b", "2024-05-01T11:00:00Z")})),
            (std::vector<Kind>{Kind::kDelivered}));
  EXPECT_EQ(server_.indices().at("k8s-crash-monitor-2024.05.01"), 2u);
  EXPECT_EQ(deliverer.indicesWithMappingConflicts(), 1u);
  const auto text = log.text();
  EXPECT_EQ(occurrences(text, "the index k8s-crash-monitor-2024.05.01 maps fields differently"), 1u) << text;
  EXPECT_NE(text.find("created_at is long (podmon's template: date)"), std::string::npos) << text;
}

// Issue 21: OpenSearch is told apart by its root answer and served like Elasticsearch 7.8+:
// composable template, _bulk, no mapping types.
TEST_F(EsDelivererTest, OpenSearchIsDetectedAndServedLikeElasticsearch) {
  for (const char* version : {"2.11.0", "1.3.14"}) {
    EsTestServer server(EsTestServer::Options{0, version, "opensearch"});
    auto o = options();
    o.url = server.url();
    podmon::testing::LogCapture log;
    ElasticsearchDeliverer deliverer(o);
    deliverer.prepare();
    EXPECT_NE(log.text().find(std::string("is opensearch ") + version), std::string::npos) << log.text();
    EXPECT_TRUE(server.indexTemplate("k8s-crash-monitor")) << version;
    EXPECT_FALSE(deliverer.usesLegacyTemplate());
    EXPECT_FALSE(deliverer.usesMappingTypes());
    EXPECT_EQ(kinds(deliverer.deliver({crashItem(1, "a", "2024-05-01T10:00:00Z")})),
              (std::vector<Kind>{Kind::kDelivered}));
    EXPECT_EQ(server.templateAppliedTo("k8s-crash-monitor-2024.05.01"), "k8s-crash-monitor");
    EXPECT_EQ(fieldType(server, "k8s-crash-monitor-2024.05.01", "created_at"), "date");
  }
}

}  // namespace
}  // namespace podmon::index
