#include "index/bulk_response.h"

#include <gtest/gtest.h>

namespace podmon::index {
namespace {

using Kind = delivery::DeliveryOutcome::Kind;

// A real-shaped answer: created, already there, rejected, mapping error, shard unavailable.
const char* kMixed = R"json({"took":30,"errors":true,"items":[
 {"create":{"_index":"k-2024.05.01","_id":"a","_version":1,"result":"created","status":201}},
 {"create":{"_index":"k-2024.05.01","_id":"b","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[b]: version conflict, document already exists (current version [1])"}}},
 {"create":{"_index":"k-2024.05.01","_id":"c","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}},
 {"create":{"_index":"k-2024.05.01","_id":"d","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [exit_code]"}}},
 {"create":{"_index":"k-2024.05.01","_id":"e","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}},
 {"index":{"_index":"k-2024.05.01","_id":"f","status":200,"result":"updated"}},
 {"create":{"_index":"k-2024.05.01","_id":"g","status":404,"error":{"type":"index_not_found_exception","reason":"no such index"}}},
 {"create":{"_index":"k-2024.05.01","_id":"h","status":403,"error":{"type":"cluster_block_exception","reason":"index [k] blocked by: [FORBIDDEN/8/index write (api)];"}}}
]})json";

TEST(BulkResponseTest, MixedItemStatusesBecomeOutcomes) {
  auto items = parseBulkResponse(kMixed, 8);
  ASSERT_TRUE(items);
  std::vector<Kind> kinds;
  for (const auto& item : *items) kinds.push_back(classifyBulkItem(item).kind);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kDelivered, Kind::kDelivered, Kind::kRetry, Kind::kDead, Kind::kRetry,
                                      Kind::kDelivered, Kind::kDead, Kind::kRetry}));
  const auto dead = classifyBulkItem((*items)[3]);
  EXPECT_EQ(dead.error, "Elasticsearch item status 400 mapper_parsing_exception: failed to parse field [exit_code]");
  EXPECT_NE(classifyBulkItem((*items)[2]).error.find("es_rejected_execution_exception"), std::string::npos);
}

TEST(BulkResponseTest, FilteredResponseIsEnough) {
  auto items = parseBulkResponse(R"({"errors":false,"items":[{"create":{"status":201}}]})", 1);
  ASSERT_TRUE(items);
  EXPECT_EQ(classifyBulkItem(items->front()).kind, Kind::kDelivered);
}

TEST(BulkResponseTest, MalformedOrMismatchedResponsesAreUnreadable) {
  EXPECT_FALSE(parseBulkResponse("", 1));
  EXPECT_FALSE(parseBulkResponse("<html>bad gateway</html>", 1));
  EXPECT_FALSE(parseBulkResponse(R"({"took":1,"errors":false})", 1));
  EXPECT_FALSE(parseBulkResponse(R"({"items":[{"create":{"status":201}}]})", 2));
  EXPECT_FALSE(parseBulkResponse(R"({"items":[{"create":{}}]})", 1));
  EXPECT_FALSE(parseBulkResponse(R"({"items":[{"create":{"status":"abc"}}]})", 1));
  EXPECT_FALSE(parseBulkResponse(R"([1,2])", 1));
}

TEST(BulkResponseTest, WholeRequestStatuses) {
  EXPECT_EQ(classifyBulkStatus(200), BulkRequestVerdict::kReadItems);
  EXPECT_EQ(classifyBulkStatus(413), BulkRequestVerdict::kSplit);
  EXPECT_EQ(classifyBulkStatus(400), BulkRequestVerdict::kSplit);
  for (int status : {401, 403, 404, 408, 429, 500, 502, 503, 504}) {
    EXPECT_EQ(classifyBulkStatus(status), BulkRequestVerdict::kRetryAll) << status;
  }
}

TEST(BulkResponseTest, ErrorBodiesAreDescribedShortly) {
  EXPECT_EQ(
      describeErrorBody(
          R"({"error":{"root_cause":[],"type":"security_exception","reason":"missing credentials"},"status":401})"),
      "security_exception: missing credentials");
  EXPECT_EQ(describeErrorBody(R"({"error":"Incorrect HTTP method","status":405})"), "Incorrect HTTP method");
  EXPECT_EQ(describeErrorBody("<html>\n502 Bad Gateway</html>"), "<html> 502 Bad Gateway</html>");
  EXPECT_LE(describeErrorBody(std::string(5000, 'x')).size(), 200u);
}

}  // namespace
}  // namespace podmon::index

namespace podmon::index {
namespace {

// AWS echoes the canonical request, session token included, in its 403: never into last_error.
TEST(BulkResponseTest, AwsSignatureErrorIsRedacted) {
  const std::string body =
      R"({"message":"The request signature we calculated does not match the signature you provided. Check your AWS )"
      R"(Secret Access Key and signing method.\n\nThe Canonical String for this request should have been\n'POST\n)"
      R"(/_bulk\n\nhost:x\nx-amz-security-token:SeCrEtToKeN\n'\n"})";
  const std::string described = describeErrorBody(body);
  EXPECT_EQ(described.find("SeCrEtToKeN"), std::string::npos);
  EXPECT_NE(described.find("signature we calculated does not match"), std::string::npos);
  const std::string excerpt = describeErrorBody("not json x-amz-security-token:SeCrEtToKeN");
  EXPECT_EQ(excerpt, "not json x-amz-security-token:[REDACTED]");
}

}  // namespace
}  // namespace podmon::index
