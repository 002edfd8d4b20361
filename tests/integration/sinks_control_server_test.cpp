// The control port of sinks-sim over HTTP: each fault knob the end-to-end and fault scripts use
// changes what the Elasticsearch and Slack test servers answer, exactly as documented (per-item
// bulk errors inside a 200, Retry-After on 429), and bad parameters get a 400 that names them.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

#include "servers/es_test_server.h"
#include "servers/sinks_control_server.h"
#include "servers/slack_test_server.h"

namespace podmon::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

struct Answer {
  int status = 0;
  std::string body;
  std::string retryAfter;
};

Answer httpRequest(std::uint16_t port, const std::string& method, const std::string& uri, const std::string& body = "",
                   const std::string& contentType = "", const std::string& authorization = "") {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!authorization.empty()) req.set("Authorization", authorization);
  if (!contentType.empty()) req.setContentType(contentType);
  req.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Answer a;
  a.status = resp.getStatus();
  a.retryAfter = resp.get("Retry-After", "");
  Poco::StreamCopier::copyToString(in, a.body);
  return a;
}

Object::Ptr parseObject(const std::string& body) { return Poco::JSON::Parser().parse(body).extract<Object::Ptr>(); }

class SinksControlServerTest : public ::testing::Test {
 protected:
  Answer control(const std::string& uri, const std::string& method = "POST") {
    return httpRequest(control_.port(), method, uri);
  }
  Answer bulk(const std::string& ndjson) {
    return httpRequest(es_.port(), "POST", "/_bulk", ndjson, "application/x-ndjson");
  }
  Answer post(const std::string& channel, const std::string& text) {
    return httpRequest(slack_.port(), "POST", "/api/chat.postMessage",
                       R"({"channel":")" + channel + R"(","text":")" + text + R"("})",
                       "application/json; charset=utf-8", "Bearer " + slack_.token());
  }
  static std::string create(const std::string& id, const std::string& container) {
    return R"({"create":{"_index":"k8s-crash-monitor-2026.01.01","_id":")" + id + "\"}}\n" + R"({"container_name":")" +
           container + R"(","restart_count":1})" + "\n";
  }
  // The per-item results of a bulk answer: status and error type of each item, in order.
  static std::vector<std::pair<int, std::string>> items(const Answer& a) {
    std::vector<std::pair<int, std::string>> out;
    Array::Ptr list = parseObject(a.body)->getArray("items");
    for (unsigned i = 0; i < list->size(); ++i) {
      Object::Ptr item = list->getObject(i)->getObject("create");
      Object::Ptr error = item->getObject("error");
      out.emplace_back(item->getValue<int>("status"), error ? error->getValue<std::string>("type") : "");
    }
    return out;
  }

  EsTestServer es_;
  SlackTestServer slack_;
  SinksControlServer control_{es_, slack_};
};

TEST_F(SinksControlServerTest, EsDownRefusesConnectionsUntilUp) {
  ASSERT_EQ(control("/es/down").status, 200);
  EXPECT_THROW(httpRequest(es_.port(), "GET", "/"), Poco::Net::NetException);
  ASSERT_EQ(control("/es/up").status, 200);
  EXPECT_EQ(httpRequest(es_.port(), "GET", "/").status, 200);
}

TEST_F(SinksControlServerTest, RejectItemsFailsTheNextItemsInsideA200) {
  ASSERT_EQ(control("/es/reject-items?n=2&status=429").status, 200);
  auto a = bulk(create("a", "x") + create("b", "x") + create("c", "x"));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_TRUE(parseObject(a.body)->getValue<bool>("errors"));
  auto results = items(a);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], std::make_pair(429, std::string("es_rejected_execution_exception")));
  EXPECT_EQ(results[1], std::make_pair(429, std::string("es_rejected_execution_exception")));
  EXPECT_EQ(results[2], std::make_pair(201, std::string()));
  // The rejected ones are not stored; sent again they are created.
  EXPECT_EQ(es_.documentCount(), 1u);
  EXPECT_EQ(items(bulk(create("a", "x")))[0].first, 201);
}

TEST_F(SinksControlServerTest, FailRequestsAnswersWholeRequestsWithTheStatus) {
  ASSERT_EQ(control("/es/fail-requests?n=1&status=503").status, 200);
  auto failed = bulk(create("a", "x"));
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(parseObject(failed.body)->getValue<int>("status"), 503);
  EXPECT_EQ(bulk(create("a", "x")).status, 200);
}

TEST_F(SinksControlServerTest, FailDocumentsGivesMappingErrorsToMatchingDocumentsOnly) {
  ASSERT_EQ(control("/es/fail-documents?field=container_name&value=badmap").status, 200);
  auto a = bulk(create("good", "web") + create("bad", "badmap"));
  ASSERT_EQ(a.status, 200);
  auto results = items(a);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].first, 201);
  EXPECT_EQ(results[1], std::make_pair(400, std::string("mapper_parsing_exception")));
  // /es/docs lists what is stored, with its source.
  auto docs = control("/es/docs", "GET");
  ASSERT_EQ(docs.status, 200);
  Array::Ptr list = Poco::JSON::Parser().parse(docs.body).extract<Array::Ptr>();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), "good");
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("index"), "k8s-crash-monitor-2026.01.01");
  EXPECT_EQ(list->getObject(0)->getObject("source")->getValue<std::string>("container_name"), "web");
  // Without a field the rule is cleared.
  ASSERT_EQ(control("/es/fail-documents").status, 200);
  EXPECT_EQ(items(bulk(create("bad", "badmap")))[0].first, 201);
}

TEST_F(SinksControlServerTest, Slack429CarriesRetryAfterThenRecovers) {
  ASSERT_EQ(control("/slack/429?n=1&retry=2").status, 200);
  auto limited = post("alerts", "one");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.retryAfter, "2");
  EXPECT_EQ(parseObject(limited.body)->getValue<std::string>("error"), "ratelimited");
  auto sent = post("alerts", "one");
  EXPECT_EQ(sent.status, 200);
  EXPECT_TRUE(parseObject(sent.body)->getValue<bool>("ok"));
  auto messages = Poco::JSON::Parser().parse(control("/slack/messages", "GET").body).extract<Array::Ptr>();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("channel"), "alerts");
  EXPECT_EQ(messages->getObject(0)->getValue<std::string>("text"), "one");
}

TEST_F(SinksControlServerTest, SlackFailAnswers5xxThenRecovers) {
  ASSERT_EQ(control("/slack/fail?n=2&status=502").status, 200);
  EXPECT_EQ(post("alerts", "x").status, 502);
  EXPECT_EQ(post("alerts", "x").status, 502);
  EXPECT_EQ(post("alerts", "x").status, 200);
  EXPECT_EQ(slack_.messages().size(), 1u);
}

TEST_F(SinksControlServerTest, ChannelErrorAppliesToThatChannel) {
  ASSERT_EQ(control("/slack/channel-error?channel=gone&error=channel_not_found").status, 200);
  auto refused = post("gone", "x");
  EXPECT_EQ(refused.status, 200);
  EXPECT_EQ(parseObject(refused.body)->getValue<std::string>("error"), "channel_not_found");
  EXPECT_TRUE(parseObject(post("other", "x").body)->getValue<bool>("ok"));
}

TEST_F(SinksControlServerTest, BadParametersAndPathsAreRefusedWithAReason) {
  struct Case {
    const char* uri;
    int status;
    const char* mentions;
  };
  for (const Case& c :
       {Case{"/es/reject-items?n=abc", 400, "n must be an integer"},
        Case{"/es/reject-items?n=2x", 400, "n must be an integer"},
        Case{"/es/reject-items?status=200", 400, "status must be between 400 and 599"},
        Case{"/es/fail-requests?n=-1", 400, "n must be between"},
        Case{"/slack/429?retry=soon", 400, "retry must be an integer"},
        Case{"/slack/fail?status=404", 400, "status must be between 500 and 599"},
        Case{"/slack/channel-error?error=x", 400, "channel is required"},
        Case{"/es/doc?index=i&id=none", 404, "no document none"}, Case{"/nope", 404, "unknown control path /nope"}}) {
    auto a = control(c.uri);
    EXPECT_EQ(a.status, c.status) << c.uri;
    EXPECT_NE(parseObject(a.body)->getValue<std::string>("error").find(c.mentions), std::string::npos)
        << c.uri << ": " << a.body;
  }
  // Nothing was armed by the refused requests.
  EXPECT_EQ(items(bulk(create("a", "x")))[0].first, 201);
  EXPECT_EQ(post("alerts", "x").status, 200);
}

}  // namespace
}  // namespace podmon::testing
