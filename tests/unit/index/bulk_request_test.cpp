#include "index/bulk_request.h"

#include <gtest/gtest.h>

namespace podmon::index {
namespace {

BulkDocument doc(const std::string& id, std::size_t sourceBytes = 10) {
  return {"crashes-2024.05.01", id, "{\"x\":\"" + std::string(sourceBytes - 8, 'a') + "\"}", ""};
}

TEST(BulkRequestTest, CreateActionsWithIndexAndId) {
  EXPECT_EQ(bulkActionLine({"crashes-2024.05.01", "k1", "{}", ""}),
            R"({"create":{"_index":"crashes-2024.05.01","_id":"k1"}})");
  EXPECT_EQ(bulkActionLine({"crashes-2024.05.01", "k1", "{}", "_doc"}),
            R"({"create":{"_index":"crashes-2024.05.01","_type":"_doc","_id":"k1"}})");
}

TEST(BulkRequestTest, BodyIsActionSourcePairsEachEndingInNewline) {
  std::vector<BulkDocument> docs = {{"i", "a", R"({"n":1})", ""}, {"i", "b", R"({"n":2})", ""}};
  EXPECT_EQ(buildBulkBody(docs, 0, 2),
            "{\"create\":{\"_index\":\"i\",\"_id\":\"a\"}}\n{\"n\":1}\n"
            "{\"create\":{\"_index\":\"i\",\"_id\":\"b\"}}\n{\"n\":2}\n");
  EXPECT_EQ(buildBulkBody(docs, 1, 2), "{\"create\":{\"_index\":\"i\",\"_id\":\"b\"}}\n{\"n\":2}\n");
  EXPECT_EQ(bulkEntrySize(docs[0]), buildBulkBody(docs, 0, 1).size());
}

TEST(BulkRequestTest, RangesRespectItemAndByteLimits) {
  std::vector<BulkDocument> docs;
  for (int i = 0; i < 5; ++i) docs.push_back(doc("id" + std::to_string(i)));
  EXPECT_EQ(planBulkRanges(docs, 2, 1 << 20), (std::vector<BulkRange>{{0, 2}, {2, 4}, {4, 5}}));
  const std::size_t entry = bulkEntrySize(docs[0]);
  EXPECT_EQ(planBulkRanges(docs, 100, entry * 3), (std::vector<BulkRange>{{0, 3}, {3, 5}}));
  EXPECT_EQ(planBulkRanges(docs, 100, entry * 3 - 1), (std::vector<BulkRange>{{0, 2}, {2, 4}, {4, 5}}));
  EXPECT_TRUE(planBulkRanges({}, 10, 10).empty());
}

TEST(BulkRequestTest, OversizedDocumentGetsARangeOfItsOwn) {
  std::vector<BulkDocument> docs = {doc("a"), doc("big", 1000), doc("c")};
  EXPECT_EQ(planBulkRanges(docs, 100, 200), (std::vector<BulkRange>{{0, 1}, {1, 2}, {2, 3}}));
}

}  // namespace
}  // namespace podmon::index
