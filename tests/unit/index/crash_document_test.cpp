#include "index/crash_document.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "unit/index/sample_crash.h"

namespace podmon::index {
namespace {

using Poco::JSON::Object;
using testing::sampleCrash;

const auto kFallback = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));

Object::Ptr parse(const std::string& text) { return Poco::JSON::Parser().parse(text).extract<Object::Ptr>(); }

TEST(CrashDocumentTest, KeepsTheOriginalToolsFieldsAndTypes) {
  const std::string json = buildCrashDocument(sampleCrash(), kFallback);
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one NDJSON line";
  auto doc = parse(json);
  EXPECT_EQ(doc->getValue<std::string>("namespace"), "payments");
  EXPECT_EQ(doc->getValue<std::string>("pod_name"), "api-7d9f8-abcde");
  EXPECT_EQ(doc->getValue<std::string>("container_name"), "api");
  EXPECT_EQ(doc->getValue<Poco::Int64>("created_at"), 1714557935123);  // detection time, epoch ms
  EXPECT_EQ(doc->getValue<std::string>("cluster_name"), "prod-eu");
  EXPECT_EQ(doc->getValue<std::string>("logs"), "starting\nout of memory\n");
  EXPECT_EQ(doc->getValue<int>("restart_count"), 7);
  EXPECT_EQ(doc->getValue<std::string>("termination_state"),
            "&ContainerStateTerminated{ExitCode:137,Signal:9,Reason:OOMKilled,Message:memory limit reached,"
            "StartedAt:2024-05-01 10:00:00 +0000 UTC,FinishedAt:2024-05-01 10:05:30 +0000 UTC,ContainerID:,}");
}

TEST(CrashDocumentTest, AddsPodmonFields) {
  auto doc = parse(buildCrashDocument(sampleCrash(), kFallback));
  EXPECT_EQ(doc->getValue<Poco::Int64>("@timestamp"), 1714557930000);  // finishedAt
  EXPECT_EQ(doc->getValue<std::string>("crash_key"), "c0ffee0123456789");
  EXPECT_EQ(doc->getValue<std::string>("pod_uid"), "6f1c2d3e-0000-4000-8000-000000000001");
  EXPECT_EQ(doc->getValue<std::string>("reason"), "OOMKilled");
  EXPECT_EQ(doc->getValue<int>("exit_code"), 137);
  EXPECT_EQ(doc->getValue<int>("signal"), 9);
  EXPECT_EQ(doc->getValue<std::string>("message"), "memory limit reached");
  EXPECT_EQ(doc->getValue<std::string>("started_at"), "2024-05-01T10:00:00Z");
  EXPECT_EQ(doc->getValue<std::string>("finished_at"), "2024-05-01T10:05:30Z");
  EXPECT_EQ(doc->getValue<std::string>("node_name"), "node-1");
  EXPECT_EQ(doc->getValue<std::string>("owner_kind"), "Deployment");
  EXPECT_EQ(doc->getValue<std::string>("container_state"), "CrashLoopBackOff");
  EXPECT_EQ(doc->getValue<std::string>("owner_name"), "api");
  EXPECT_EQ(doc->getValue<std::string>("image"), "registry.example/api:1.2.3");
  EXPECT_EQ(doc->getValue<std::string>("logs_status"), "ok");
  EXPECT_EQ(doc->getValue<int>("restart_delta"), 1);
  EXPECT_FALSE(doc->getValue<bool>("detected_while_down"));
  EXPECT_EQ(doc->getValue<std::string>("fingerprint"), "9f86d081884c7d65");
  EXPECT_EQ(doc->getValue<Poco::Int64>("fingerprint_count"), 3);
  auto events = doc->getArray("events");
  ASSERT_EQ(events->size(), 1u);
  auto event = events->getObject(0);
  EXPECT_EQ(event->getValue<std::string>("reason"), "BackOff");
  EXPECT_EQ(event->getValue<int>("count"), 5);
  EXPECT_EQ(event->getValue<std::string>("last_timestamp"), "2024-05-01T10:05:31Z");
  EXPECT_EQ(event->getValue<std::string>("field_path"), "spec.containers{api}");
}

TEST(CrashDocumentTest, LabelKeysAreDeDottedSoTheyNeverClash) {
  auto labels = parse(buildCrashDocument(sampleCrash(), kFallback))->getObject("labels");
  ASSERT_TRUE(labels);
  EXPECT_EQ(labels->size(), 3u);
  EXPECT_EQ(labels->getValue<std::string>("app"), "api");
  EXPECT_EQ(labels->getValue<std::string>("app_kubernetes_io/name"), "api");
  EXPECT_EQ(labels->getValue<std::string>("pod-template-hash"), "7d9f8");
  EXPECT_EQ(dedotLabelKey("a.b.c/d"), "a_b_c/d");
}

TEST(CrashDocumentTest, KeysThatDeDotAlikeKeepTheFirst) {
  auto crash = sampleCrash();
  crash.record.event.labels = {{"a.b", "dotted"}, {"a_b", "underscored"}};
  auto labels = parse(buildCrashDocument(crash, kFallback))->getObject("labels");
  EXPECT_EQ(labels->size(), 1u);
  EXPECT_EQ(labels->getValue<std::string>("a_b"), "dotted");
}

TEST(CrashDocumentTest, LogsBecomeValidUtf8AndKeepMultibyteText) {
  auto crash = sampleCrash();
  crash.record.logs = std::string("panic: \xF0\x9F\x92\xA5 ") + "\xC3\x28" + " \xE6\x97\xA5\xE6\x9C\xAC\n\ttab\x01";
  const std::string json = buildCrashDocument(crash, kFallback);
  auto doc = parse(json);
  EXPECT_EQ(doc->getValue<std::string>("logs"),
            std::string("panic: \xF0\x9F\x92\xA5 ") + "\xEF\xBF\xBD(" + " \xE6\x97\xA5\xE6\x9C\xAC\n\ttab\x01");
  EXPECT_NE(json.find("\xF0\x9F\x92\xA5"), std::string::npos) << "non-ASCII text is written as UTF-8";
  EXPECT_EQ(json.find('\x01'), std::string::npos) << "control characters are escaped";
}

TEST(CrashDocumentTest, EmptyOptionalFieldsAndBadDatesAreLeftOut) {
  store::StoredCrash crash;
  crash.id = 9;
  crash.record.event.namespace_ = "ns";
  crash.record.event.finishedAt = "not a date";
  crash.record.eventsJson = "{broken";
  auto doc = parse(buildCrashDocument(crash, kFallback));
  for (const char* absent : {"exit_code", "signal", "reason", "message", "started_at", "finished_at", "pod_uid",
                             "image", "fingerprint", "fingerprint_count"}) {
    EXPECT_FALSE(doc->has(absent)) << absent;
  }
  EXPECT_EQ(doc->getValue<std::string>("crash_key"), "podmon-crash-9");
  EXPECT_EQ(doc->getValue<Poco::Int64>("created_at"), 1700000000000);
  EXPECT_EQ(doc->getValue<Poco::Int64>("@timestamp"), 1700000000000);
  EXPECT_EQ(doc->getArray("events")->size(), 0u);
  EXPECT_EQ(documentId(crash), "podmon-crash-9");
}

TEST(CrashDocumentTest, EventsWithoutTimestampsKeepTheirOtherFields) {
  auto crash = sampleCrash();
  crash.record.eventsJson = R"([{"reason":"Failed","message":"x","count":1,"last_timestamp":""},{"unexpected":true}])";
  auto events = parse(buildCrashDocument(crash, kFallback))->getArray("events");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_FALSE(events->getObject(0)->has("last_timestamp"));
  EXPECT_EQ(events->getObject(0)->getValue<std::string>("reason"), "Failed");
  EXPECT_EQ(events->getObject(1)->size(), 0u);
}

}  // namespace
}  // namespace podmon::index
