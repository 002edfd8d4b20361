// The Elasticsearch stand-in itself: the documented behaviours other tests rely on.
#include <gtest/gtest.h>

#include "index/poco_es_http_client.h"
#include "servers/es_test_server.h"

namespace podmon::testing {
namespace {

class EsTestServerTest : public ::testing::Test {
 protected:
  index::EsResponse send(const std::string& method, const std::string& path, const std::string& body = "") {
    index::ElasticsearchOptions options;
    options.url = server_.url();
    return index::PocoEsHttpClient(options).request(method, path, body, body.empty() ? "" : "application/x-ndjson");
  }

  EsTestServer server_;
};

TEST_F(EsTestServerTest, BulkMustEndWithNewline) {
  auto r = send("POST", "/_bulk", "{\"create\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":1}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("terminated by a newline"), std::string::npos);
}

TEST_F(EsTestServerTest, CreateConflictsAndIndexOverwrites) {
  const std::string create = "{\"create\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":1}\n";
  EXPECT_NE(send("POST", "/_bulk", create).body.find("\"status\":201"), std::string::npos);
  auto again = send("POST", "/_bulk", create);
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("version_conflict_engine_exception"), std::string::npos);
  EXPECT_NE(again.body.find("\"errors\":true"), std::string::npos);
  auto index = send("POST", "/_bulk", "{\"index\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":2}\n");
  EXPECT_NE(index.body.find("\"result\":\"updated\""), std::string::npos);
  EXPECT_EQ(server_.documentVersion("i", "1"), 2);
}

TEST_F(EsTestServerTest, ReadEndpoints) {
  send("POST", "/_bulk", "{\"create\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":1}\n");
  auto doc = send("GET", "/i/_doc/1");
  EXPECT_EQ(doc.status, 200);
  EXPECT_NE(doc.body.find("\"found\":true"), std::string::npos);
  EXPECT_EQ(send("GET", "/i/_doc/2").status, 404);
  EXPECT_NE(send("GET", "/_cat/indices?format=json").body.find("\"docs.count\":\"1\""), std::string::npos);
  auto health = send("GET", "/_cluster/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find("\"status\":\"yellow\""), std::string::npos);
}

TEST_F(EsTestServerTest, WholeRequestFaults) {
  server_.failNextRequests(1, 503);
  EXPECT_EQ(send("GET", "/").status, 503);
  EXPECT_EQ(send("GET", "/").status, 200);
  server_.setMaxContentLength(10);
  EXPECT_EQ(send("POST", "/_bulk", "{\"create\":{\"_index\":\"i\",\"_id\":\"1\"}}\n{\"a\":1}\n").status, 413);
}

TEST_F(EsTestServerTest, RootAnswersLikeElasticsearchOrOpenSearch) {
  auto es = send("GET", "/");
  EXPECT_NE(es.body.find("\"number\":\"8.13.4\""), std::string::npos) << es.body;
  EXPECT_EQ(es.body.find("distribution"), std::string::npos) << es.body;
  EXPECT_NE(es.body.find("You Know, for Search"), std::string::npos);
  server_.setVersion("2.11.0", "opensearch");
  auto os = send("GET", "/");
  EXPECT_NE(os.body.find("\"distribution\":\"opensearch\",\"number\":\"2.11.0\""), std::string::npos) << os.body;
  EXPECT_NE(os.body.find("The OpenSearch Project"), std::string::npos) << os.body;
}

TEST_F(EsTestServerTest, TemplatesCanBeRefusedLikeAUserWithoutThePrivilege) {
  server_.refuseTemplateInstallation(true);
  const std::string body = R"({"index_patterns":["i-*"],"template":{"mappings":{}}})";
  auto composable = send("PUT", "/_index_template/t", body);
  EXPECT_EQ(composable.status, 403);
  EXPECT_NE(composable.body.find("security_exception"), std::string::npos);
  EXPECT_NE(composable.body.find("manage_index_templates"), std::string::npos);
  EXPECT_EQ(send("PUT", "/_template/t", R"({"index_patterns":["i-*"]})").status, 403);
  EXPECT_FALSE(server_.indexTemplate("t"));
  server_.refuseTemplateInstallation(false);
  EXPECT_EQ(send("PUT", "/_index_template/t", body).status, 200);
}

TEST_F(EsTestServerTest, IndicesKeepMappingsCreatedOrDynamic) {
  auto created = send("PUT", "/i-1", R"({"mappings":{"properties":{"created_at":{"type":"date"}}}})");
  EXPECT_EQ(created.status, 200);
  auto again = send("PUT", "/i-1", "{}");
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("resource_already_exists_exception"), std::string::npos);
  send("POST", "/_bulk",
       "{\"create\":{\"_index\":\"i-2\",\"_id\":\"1\"}}\n{\"created_at\":1714557935000,\"ns\":\"a\"}\n");
  auto mapping = send("GET", "/i-2/_mapping");
  EXPECT_EQ(mapping.status, 200);
  EXPECT_NE(mapping.body.find(R"({"i-2":{"mappings":{"properties":{"created_at":{"type":"long"})"), std::string::npos)
      << mapping.body;
  EXPECT_NE(send("GET", "/i-1/_mapping").body.find(R"("created_at":{"type":"date"})"), std::string::npos);
  EXPECT_EQ(send("GET", "/i-3/_mapping").status, 404);
  // A value the mapping cannot take is refused per item, as Elasticsearch does.
  auto misfit = send("POST", "/_bulk", "{\"create\":{\"_index\":\"i-2\",\"_id\":\"2\"}}\n{\"created_at\":\"x\"}\n");
  EXPECT_NE(misfit.body.find("failed to parse field [created_at] of type [long]"), std::string::npos) << misfit.body;
}

}  // namespace
}  // namespace podmon::testing
