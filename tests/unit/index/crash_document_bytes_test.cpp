// The crash document written by JsonWriter must be byte for byte the one Poco::JSON wrote before
// (tests/unit/index/legacy_crash_document.h), so Elasticsearch and NDJSON readers see no change.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "index/crash_document.h"
#include "unit/index/legacy_crash_document.h"
#include "unit/index/sample_crash.h"

namespace podmon::index {
namespace {

using testing::sampleCrash;

const auto kFallback = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));

std::string allBytes() {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  return bytes;
}

// Text an attacker controls: every byte, control characters, quotes and backslashes, broken and
// overlong UTF-8, encoded surrogates, 4-byte characters, JSON and mrkdwn look-alikes.
std::string hostileText() {
  return allBytes() +
         "\"\\\"\\\\\x1b[31mred\x1b[0m\v\a\0tail\xC3\x28\xA0\xA1\xE2\x82\xF0\x9F\x98\x80\xED\xA0\x80\xC0\xAF"
         "\xF4\x90\x80\x80\xF8\x88\x80\x80\x80</script>{\"logs\":\"x\"}```\u2028\u2029\x7f";
}

void expectSameBytes(const store::StoredCrash& crash) {
  const std::string before = legacy::legacyBuildCrashDocument(crash, kFallback);
  const std::string after = buildCrashDocument(crash, kFallback);
  ASSERT_EQ(after.size(), before.size());
  EXPECT_EQ(after, before);
}

TEST(CrashDocumentBytesTest, SampleCrashIsUnchanged) { expectSameBytes(sampleCrash()); }

TEST(CrashDocumentBytesTest, HostileLogAndFieldsAreEscapedAsBefore) {
  auto crash = sampleCrash();
  const std::string hostile = hostileText();
  crash.record.logs = hostile + std::string(64 * 1024, 'x') + hostile;
  crash.record.event.message = hostile;
  crash.record.event.terminationState = hostile;
  crash.record.event.podName = hostile;
  crash.record.event.namespace_ = hostile;
  crash.record.event.image = hostile;
  crash.record.logsStatus = hostile;
  crash.record.event.labels = {{hostile, hostile}, {"a.b", "first"}, {"a_b", "second"}, {"", "empty key"}};
  expectSameBytes(crash);
}

TEST(CrashDocumentBytesTest, EmptyAndMissingFieldsAreUnchanged) {
  store::StoredCrash crash;
  crash.id = 7;
  expectSameBytes(crash);  // no crash key, no dates, no labels, no events
  crash.record.event.exitCode = -1;
  crash.record.event.signal = 0;
  crash.record.event.restartCount = 2147483647;
  crash.record.event.restartDelta = -3;
  crash.record.event.detectedWhileDown = true;
  crash.record.event.startedAt = "not a date";
  crash.record.event.finishedAt = "2024-05-01T10:05:30.123456789+02:00";
  crash.fingerprintHistory = store::FingerprintHistory{1, {}, 1, 1};
  expectSameBytes(crash);
}

TEST(CrashDocumentBytesTest, EventsOfEveryShapeAreUnchanged) {
  auto crash = sampleCrash();
  for (const std::string& events : std::vector<std::string>{
           std::string(""),
           std::string("not json"),
           std::string(R"({"reason":"an object, not an array"})"),
           std::string("[]"),
           std::string(R"([1,"two",null,{},[]])"),
           std::string(R"([{"reason":"A\u0001\"\\\/\u00e9\ud83d\ude00","message":"","count":"5","field_path":7}])"),
           std::string(
               R"([{"count":3.5,"last_timestamp":"yesterday"},{"count":-2,"last_timestamp":"2024-05-01T10:05:31Z"}])"),
           std::string(R"([{"reason":"dup","reason":"last wins"}])"),
           "[{\"message\":\"" + std::string("\xC3\x28\xFF") + "\"}]",
       }) {
    crash.record.eventsJson = events;
    SCOPED_TRACE(events);
    expectSameBytes(crash);
  }
}

TEST(CrashDocumentBytesTest, RandomBytesAreEscapedAsBefore) {
  std::mt19937 random(2024);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  const auto text = [&] {
    std::string s(static_cast<std::size_t>(length(random)), '\0');
    for (auto& c : s) c = static_cast<char>(byte(random) % 3 == 0 ? byte(random) : 0x20 + byte(random) % 0x60);
    return s;
  };
  for (int i = 0; i < 300; ++i) {
    auto crash = sampleCrash();
    crash.record.logs = text();
    crash.record.event.message = text();
    crash.record.event.reason = text();
    crash.record.event.containerName = text();
    crash.record.event.labels = {{text(), text()}, {text(), text()}};
    crash.record.eventsJson = "[{\"reason\":\"" + text() + "\"}]";
    expectSameBytes(crash);
  }
}

}  // namespace
}  // namespace podmon::index
