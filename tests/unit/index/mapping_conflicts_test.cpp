#include "index/mapping_conflicts.h"

#include <gtest/gtest.h>

namespace podmon::index {
namespace {

// What Elasticsearch 7/8 and OpenSearch answer to GET /<index>/_mapping for an index that
// dynamic mapping created from podmon's documents (numbers become long, strings text+keyword).
constexpr const char* kDynamic = R"({"k8s-crash-monitor-2024.03.11":{"mappings":{"properties":{
  "@timestamp":{"type":"long"},
  "created_at":{"type":"long"},
  "namespace":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
  "restart_count":{"type":"long"},
  "labels":{"properties":{"app":{"type":"text"}}},
  "something_else":{"type":"keyword"}}}}})";

TEST(MappingConflicts, DynamicMappingsAreNamedFieldByField) {
  auto conflicts = findMappingConflicts(kDynamic);
  ASSERT_EQ(conflicts.size(), 3u);
  EXPECT_EQ(conflicts[0].field, "@timestamp");
  EXPECT_EQ(conflicts[1].field, "created_at");
  EXPECT_EQ(conflicts[1].indexType, "long");
  EXPECT_EQ(conflicts[1].templateType, "date");
  EXPECT_EQ(conflicts[2].field, "namespace");
  EXPECT_EQ(conflicts[2].templateType, "keyword");
  EXPECT_EQ(describeConflicts({conflicts[1]}), "created_at is long (podmon's template: date)");
}

TEST(MappingConflicts, TheOriginalsMappingAgrees) {
  // config/esmapping.go's Mappingv7, as the original created its daily indices.
  constexpr const char* kOriginal = R"({"k8s-crash-monitor-2022.03.11":{"mappings":{"properties":{
    "namespace":{"type":"keyword"},"pod_name":{"type":"keyword"},"container_name":{"type":"keyword"},
    "cluster_name":{"type":"keyword"},
    "created_at":{"type":"date","format":"strict_date_optional_time||epoch_millis"},
    "restart_count":{"type":"long"},"logs":{"type":"text","index":false},
    "termination_state":{"type":"text"}}}}})";
  EXPECT_TRUE(findMappingConflicts(kOriginal).empty());
}

TEST(MappingConflicts, Elasticsearch6TypedMappingsAreRead) {
  constexpr const char* kTyped =
      R"({"crashes-2019.01.01":{"mappings":{"_doc":{"properties":{"created_at":{"type":"long"}}}}}})";
  auto conflicts = findMappingConflicts(kTyped);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].field, "created_at");
}

TEST(MappingConflicts, UnreadableAnswersNameNothing) {
  EXPECT_TRUE(findMappingConflicts("").empty());
  EXPECT_TRUE(findMappingConflicts("not json").empty());
  EXPECT_TRUE(findMappingConflicts(R"({"error":{"type":"x"},"status":404})").empty());
  EXPECT_TRUE(findMappingConflicts(R"({"i":{"mappings":{}}})").empty());
  EXPECT_TRUE(findMappingConflicts(R"([1,2])").empty());
}

}  // namespace
}  // namespace podmon::index
