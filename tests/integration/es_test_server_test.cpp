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

}  // namespace
}  // namespace podmon::testing
