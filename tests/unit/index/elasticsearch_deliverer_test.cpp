#include "index/elasticsearch_deliverer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/errors.h"
#include "unit/index/fake_es_http_client.h"
#include "unit/index/sample_crash.h"

namespace podmon::index {
namespace {

using Kind = delivery::DeliveryOutcome::Kind;
using testing::FakeEsHttpClient;
using testing::sampleItem;

std::size_t documentsIn(const std::string& ndjson) {
  return static_cast<std::size_t>(std::count(ndjson.begin(), ndjson.end(), '\n')) / 2;
}

// Answers a bulk request with the given status for every item.
FakeEsHttpClient::Responder bulkItems(int status) {
  return [status](const FakeEsHttpClient::Request& r) {
    std::string items;
    for (std::size_t i = 0; i < documentsIn(r.body); ++i) {
      items += (i ? "," : "") + std::string(R"({"create":{"status":)") + std::to_string(status) + "}}";
    }
    return EsResponse{200, R"({"took":1,"errors":false,"items":[)" + items + "]}", std::nullopt};
  };
}

class ElasticsearchDelivererTest : public ::testing::Test {
 protected:
  ElasticsearchDelivererTest() {
    options_.url = "http://fake:9200";
    options_.indexPrefix = "crashes-";
  }

  ElasticsearchDeliverer make() { return ElasticsearchDeliverer(options_, client_); }

  std::vector<store::OutboxItem> items(int n) {
    std::vector<store::OutboxItem> out;
    for (int i = 0; i < n; ++i) out.push_back(sampleItem(i + 1, "key-" + std::to_string(i)));
    return out;
  }

  ElasticsearchOptions options_;
  std::shared_ptr<FakeEsHttpClient> client_ = std::make_shared<FakeEsHttpClient>();
};

TEST_F(ElasticsearchDelivererTest, SendsCreateActionsToTheCrashesDailyIndex) {
  client_->fallback = bulkItems(201);
  auto outcomes = make().deliver(items(2));
  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, Kind::kDelivered);
  ASSERT_EQ(client_->requests.size(), 1u);
  const auto& request = client_->requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path.substr(0, 6), "/_bulk");
  EXPECT_EQ(request.contentType, "application/x-ndjson");
  EXPECT_EQ(request.body.back(), '\n');
  EXPECT_NE(request.body.find(R"({"create":{"_index":"crashes-2024.05.01","_id":"key-0"}})"), std::string::npos);
  EXPECT_NE(request.body.find(R"({"create":{"_index":"crashes-2024.05.01","_id":"key-1"}})"), std::string::npos);
}

TEST_F(ElasticsearchDelivererTest, EachItemGetsItsOwnOutcome) {
  client_->fallback = FakeEsHttpClient::answer(200, R"({"errors":true,"items":[
    {"create":{"status":201}},
    {"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"exists"}}},
    {"create":{"status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
    {"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"bad field"}}}]})");
  auto outcomes = make().deliver(items(4));
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].kind, Kind::kDelivered);
  EXPECT_EQ(outcomes[1].kind, Kind::kDelivered);
  EXPECT_EQ(outcomes[2].kind, Kind::kRetry);
  EXPECT_EQ(outcomes[3].kind, Kind::kDead);
  EXPECT_NE(outcomes[3].error.find("mapper_parsing_exception: bad field"), std::string::npos);
  // The item statuses and failure causes the metrics count.
  EXPECT_EQ(outcomes[0].status, 201);
  EXPECT_EQ(outcomes[1].status, 409);
  EXPECT_EQ(outcomes[2].status, 429);
  EXPECT_EQ(outcomes[2].cause, "item_429");
  EXPECT_EQ(outcomes[3].cause, "item_400");
}

TEST_F(ElasticsearchDelivererTest, NoAnswerMeansEverythingRetriesWithoutThrowing) {
  client_->fallback = FakeEsHttpClient::refuse();
  auto outcomes = make().deliver(items(3));
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.kind, Kind::kRetry);
    EXPECT_NE(o.error.find("Connection refused"), std::string::npos);
    EXPECT_EQ(o.cause, "connection");
  }
}

TEST_F(ElasticsearchDelivererTest, OverloadAndAuthFailuresRetryEverything) {
  for (int status : {429, 502, 503, 504, 401, 403, 500}) {
    client_->fallback = [status](const FakeEsHttpClient::Request&) {
      return EsResponse{status, R"({"error":{"type":"x","reason":"y"},"status":1})", std::chrono::milliseconds(7000)};
    };
    auto outcomes = make().deliver(items(2));
    for (const auto& o : outcomes) {
      EXPECT_EQ(o.kind, Kind::kRetry) << status;
      EXPECT_NE(o.error.find(std::to_string(status)), std::string::npos);
      EXPECT_EQ(o.retryAfter, std::chrono::milliseconds(7000));
      EXPECT_EQ(o.cause, "http_" + std::to_string(status));
    }
  }
}

TEST_F(ElasticsearchDelivererTest, UnreadableSuccessResponseRetriesEverything) {
  client_->fallback = FakeEsHttpClient::answer(200, "<html>proxy</html>");
  for (const auto& o : make().deliver(items(2))) EXPECT_EQ(o.kind, Kind::kRetry);
}

TEST_F(ElasticsearchDelivererTest, TooLargeBatchesAreHalvedUntilTheyFit) {
  client_->fallback = [](const FakeEsHttpClient::Request& r) {
    if (documentsIn(r.body) > 2) return EsResponse{413, "", std::nullopt};
    return bulkItems(201)(r);
  };
  auto outcomes = make().deliver(items(8));
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, Kind::kDelivered);
  std::size_t sent = 0;
  for (const auto& r : client_->requests) {
    if (documentsIn(r.body) <= 2) sent += documentsIn(r.body);
  }
  EXPECT_EQ(sent, 8u);
  EXPECT_EQ(client_->requests.size(), 7u);  // 8 -> 4+4 -> 2+2+2+2
}

TEST_F(ElasticsearchDelivererTest, ADocumentTooLargeOnItsOwnIsDead) {
  client_->fallback = FakeEsHttpClient::answer(413, "");
  auto outcomes = make().deliver(items(1));
  EXPECT_EQ(outcomes[0].kind, Kind::kDead);
  EXPECT_NE(outcomes[0].error.find("413"), std::string::npos);
}

TEST_F(ElasticsearchDelivererTest, BatchesAreCutByCountAndBytes) {
  client_->fallback = bulkItems(201);
  options_.maxBatchItems = 2;
  make().deliver(items(5));
  EXPECT_EQ(client_->requests.size(), 3u);

  client_->requests.clear();
  options_.maxBatchItems = 500;
  options_.maxBatchBytes = 1;  // every document alone
  auto outcomes = make().deliver(items(3));
  EXPECT_EQ(client_->requests.size(), 3u);
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, Kind::kDelivered);
}

TEST_F(ElasticsearchDelivererTest, BatchSizeAndSink) {
  options_.maxBatchItems = 123;
  auto deliverer = make();
  EXPECT_EQ(deliverer.batchSize(), 123u);
  EXPECT_EQ(deliverer.sink(), store::Sink::kElasticsearch);
}

TEST_F(ElasticsearchDelivererTest, BadOptionsFailFast) {
  options_.indexPrefix = "Crashes-";
  EXPECT_THROW(make(), ConfigException);
  options_.indexPrefix = "crashes-";
  options_.url = "";
  EXPECT_THROW(make(), ConfigException);
}

TEST_F(ElasticsearchDelivererTest, PrepareInstallsTheComposableTemplate) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"8.13.4"}})"),
                     FakeEsHttpClient::answer(200, R"({"acknowledged":true})")};
  auto deliverer = make();
  deliverer.prepare();
  ASSERT_EQ(client_->requests.size(), 2u);
  EXPECT_EQ(client_->requests[1].method, "PUT");
  EXPECT_EQ(client_->requests[1].path, "/_index_template/crashes");
  EXPECT_NE(client_->requests[1].body.find(R"("crashes-*")"), std::string::npos);
  EXPECT_TRUE(deliverer.templateInstalled());
  EXPECT_FALSE(deliverer.usesLegacyTemplate());
}

TEST_F(ElasticsearchDelivererTest, PrepareFallsBackToTheLegacyTemplate) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"1.3.0","distribution":"opensearch"}})"),
                     FakeEsHttpClient::answer(404, R"({"error":"no handler found","status":404})"),
                     FakeEsHttpClient::answer(200, R"({"acknowledged":true})")};
  auto deliverer = make();
  deliverer.prepare();
  ASSERT_EQ(client_->requests.size(), 3u);
  EXPECT_EQ(client_->requests[2].path, "/_template/crashes");
  EXPECT_TRUE(deliverer.usesLegacyTemplate());
  EXPECT_FALSE(deliverer.usesMappingTypes());
}

TEST_F(ElasticsearchDelivererTest, Elasticsearch6GetsTypedTemplateAndDocuments) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"6.8.23"}})"),
                     FakeEsHttpClient::answer(200, R"({"acknowledged":true})")};
  auto deliverer = make();
  deliverer.prepare();
  ASSERT_EQ(client_->requests.size(), 2u);
  EXPECT_EQ(client_->requests[1].path, "/_template/crashes");
  EXPECT_NE(client_->requests[1].body.find(R"("_doc")"), std::string::npos);
  client_->fallback = bulkItems(201);
  deliverer.deliver(items(1));
  EXPECT_NE(client_->requests.back().body.find(R"("_type":"_doc")"), std::string::npos);
}

TEST_F(ElasticsearchDelivererTest, PrepareThrowsWhileElasticsearchIsNotReady) {
  client_->script = {FakeEsHttpClient::refuse()};
  EXPECT_THROW(make().prepare(), SinkException);
  client_->script = {FakeEsHttpClient::answer(503, "")};
  EXPECT_THROW(make().prepare(), SinkException);
  client_->script = {FakeEsHttpClient::answer(401, "")};
  EXPECT_THROW(make().prepare(), SinkException);
}

TEST_F(ElasticsearchDelivererTest, PrepareGoesAheadWithoutTemplatePrivileges) {
  client_->script = {FakeEsHttpClient::answer(403, ""), FakeEsHttpClient::answer(403, "")};
  auto deliverer = make();
  EXPECT_NO_THROW(deliverer.prepare());
  EXPECT_FALSE(deliverer.templateInstalled());
}

// Issue 20: without the template privilege, each daily index is created with the template's
// mappings before the first bulk into it, once.
TEST_F(ElasticsearchDelivererTest, WithoutTheTemplateEachDailyIndexIsCreatedWithItsMappings) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"8.13.4"}})"),
                     FakeEsHttpClient::answer(403, R"({"error":{"type":"security_exception"},"status":403})"),
                     FakeEsHttpClient::answer(200, R"({"acknowledged":true})"),
                     FakeEsHttpClient::answer(404, R"({"error":{"type":"index_not_found_exception"},"status":404})")};
  client_->fallback = bulkItems(201);
  auto deliverer = make();
  deliverer.prepare();
  ASSERT_FALSE(deliverer.templateInstalled());
  auto outcomes = deliverer.deliver(items(2));
  ASSERT_EQ(client_->requests.size(), 5u);
  const auto& create = client_->requests[2];
  EXPECT_EQ(create.method, "PUT");
  EXPECT_EQ(create.path.rfind("/crashes-", 0), 0u) << create.path;
  EXPECT_NE(create.body.find(R"("created_at":{"format":"strict_date_optional_time||epoch_millis","type":"date"})"),
            std::string::npos)
      << create.body;
  EXPECT_NE(create.body.find(R"("number_of_shards":1)"), std::string::npos) << create.body;
  EXPECT_EQ(create.body.find("index_patterns"), std::string::npos);
  EXPECT_EQ(client_->requests[3].path, create.path + "/_mapping");
  EXPECT_EQ(client_->requests[4].path.rfind("/_bulk", 0), 0u);
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, Kind::kDelivered);
  deliverer.deliver(items(1));  // the same day: no second creation
  ASSERT_EQ(client_->requests.size(), 6u);
  EXPECT_EQ(client_->requests[5].path.rfind("/_bulk", 0), 0u);
}

TEST_F(ElasticsearchDelivererTest, AnIndexThatExistsAlreadyIsFine) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"7.17.0"}})"),
                     FakeEsHttpClient::answer(403, ""),
                     FakeEsHttpClient::answer(400, R"({"error":{"type":"resource_already_exists_exception"}})"),
                     FakeEsHttpClient::answer(403, "")};  // may not read mappings: nothing to check
  client_->fallback = bulkItems(201);
  auto deliverer = make();
  deliverer.prepare();
  auto outcomes = deliverer.deliver(items(1));
  EXPECT_EQ(outcomes[0].kind, Kind::kDelivered);
  EXPECT_EQ(deliverer.indicesWithMappingConflicts(), 0u);
}

TEST_F(ElasticsearchDelivererTest, DocumentsWaitWhileTheirIndexCannotBeCreated) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"8.13.4"}})"),
                     FakeEsHttpClient::answer(403, ""), FakeEsHttpClient::answer(503, ""), FakeEsHttpClient::refuse()};
  client_->fallback = bulkItems(201);
  auto deliverer = make();
  deliverer.prepare();
  auto first = deliverer.deliver(items(2));
  for (const auto& o : first) {
    EXPECT_EQ(o.kind, Kind::kRetry);
    EXPECT_EQ(o.cause, "index_prepare");
  }
  auto second = deliverer.deliver(items(1));  // no answer at all: still waiting, never dead
  EXPECT_EQ(second[0].kind, Kind::kRetry);
  const auto bulks = std::count_if(client_->requests.begin(), client_->requests.end(),
                                   [](const auto& r) { return r.path.rfind("/_bulk", 0) == 0; });
  EXPECT_EQ(bulks, 0);  // nothing went where dynamic mappings would have created the index
}

TEST_F(ElasticsearchDelivererTest, AConflictingIndexIsReportedOnceAndStillWrittenTo) {
  client_->script = {FakeEsHttpClient::answer(200, R"({"version":{"number":"8.13.4"}})"),
                     FakeEsHttpClient::answer(200, R"({"acknowledged":true})"),
                     FakeEsHttpClient::answer(200, R"({"crashes-x":{"mappings":{"properties":{
                       "created_at":{"type":"long"}}}}})")};
  client_->fallback = bulkItems(201);
  auto deliverer = make();
  deliverer.prepare();
  ASSERT_TRUE(deliverer.templateInstalled());
  auto outcomes = deliverer.deliver(items(2));
  EXPECT_EQ(outcomes[0].kind, Kind::kDelivered);
  EXPECT_EQ(deliverer.indicesWithMappingConflicts(), 1u);
  deliverer.deliver(items(1));
  EXPECT_EQ(deliverer.indicesWithMappingConflicts(), 1u);  // once
  EXPECT_EQ(client_->requests.size(), 5u);                 // GET /, template, mapping, 2 bulks
}

TEST_F(ElasticsearchDelivererTest, CheckReachableAsksTheRoot) {
  auto deliverer = make();
  client_->script = {FakeEsHttpClient::answer(200, "{}"), FakeEsHttpClient::answer(403, ""),
                     FakeEsHttpClient::answer(401, ""), FakeEsHttpClient::answer(503, ""), FakeEsHttpClient::refuse()};
  EXPECT_NO_THROW(deliverer.checkReachable());
  EXPECT_NO_THROW(deliverer.checkReachable());  // 403: no monitor privilege, but it answered
  EXPECT_THROW(deliverer.checkReachable(), SinkException);
  EXPECT_THROW(deliverer.checkReachable(), SinkException);
  EXPECT_THROW(deliverer.checkReachable(), SinkException);
  EXPECT_EQ(client_->requests[0].path, "/");
}

}  // namespace
}  // namespace podmon::index
