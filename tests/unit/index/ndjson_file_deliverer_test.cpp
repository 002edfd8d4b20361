// INDEX_FILE: each crash's Elasticsearch document as one line of a file; failures are retried.
#include "index/ndjson_file_deliverer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "core/private_file.h"
#include "index/crash_document.h"
#include "unit/index/sample_crash.h"

namespace podmon::index {
namespace {

namespace fs = std::filesystem;
using Kind = delivery::DeliveryOutcome::Kind;

class NdjsonFileDelivererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "podmon-ndjson-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static store::OutboxItem item(std::int64_t id, const std::string& pod) {
    store::OutboxItem i;
    i.id = id;
    i.sink = store::Sink::kElasticsearch;
    i.crash = testing::sampleCrash();
    i.crash.id = id;
    i.crash.record.event.podName = pod;
    return i;
  }

  std::string dir_;
};

TEST_F(NdjsonFileDelivererTest, AppendsOneDocumentPerLine) {
  const std::string path = dir_ + "/crashes.ndjson";
  NdjsonFileDeliverer deliverer(path);
  EXPECT_EQ(deliverer.sink(), store::Sink::kElasticsearch);
  deliverer.prepare();
  const auto items = std::vector<store::OutboxItem>{item(1, "a"), item(2, "b")};
  const auto outcomes = deliverer.deliver(items);
  ASSERT_EQ(outcomes.size(), 2u);
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, Kind::kDelivered);
  deliverer.deliver({item(3, "c")});

  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], buildCrashDocument(items[0].crash, items[0].createdAt));
  EXPECT_EQ(lines[1], buildCrashDocument(items[1].crash, items[1].createdAt));
  EXPECT_NE(lines[2].find("\"pod_name\":\"c\""), std::string::npos) << lines[2];
}

TEST_F(NdjsonFileDelivererTest, AnUnwritableFileIsRetriedNotLost) {
  const std::string path = dir_ + "/missing-folder/crashes.ndjson";
  NdjsonFileDeliverer deliverer(path);
  EXPECT_THROW(deliverer.prepare(), SinkException);
  const auto outcomes = deliverer.deliver({item(1, "a")});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].kind, Kind::kRetry);
  EXPECT_NE(outcomes[0].error.find("INDEX_FILE"), std::string::npos) << outcomes[0].error;
  fs::create_directories(dir_ + "/missing-folder");
  EXPECT_EQ(deliverer.deliver({item(1, "a")})[0].kind, Kind::kDelivered);
}

// Crash logs of the whole cluster: 0600 under any umask, also when re-created after a rotation.
TEST_F(NdjsonFileDelivererTest, TheFileIsCreatedOwnerOnlyWhateverTheUmask) {
  for (const mode_t mask : {mode_t{022}, mode_t{0}}) {
    const mode_t previous = ::umask(mask);
    const std::string path = dir_ + "/crashes-" + std::to_string(mask) + ".ndjson";
    NdjsonFileDeliverer deliverer(path);
    deliverer.prepare();
    EXPECT_EQ(filePermissions(path), 0600) << "umask " << std::oct << mask;
    fs::remove(path);  // rotated away: the next batch creates it again
    EXPECT_EQ(deliverer.deliver({item(1, "a")})[0].kind, Kind::kDelivered);
    EXPECT_EQ(filePermissions(path), 0600) << "umask " << std::oct << mask;
    ::umask(previous);
  }
}

TEST_F(NdjsonFileDelivererTest, AnEmptyPathIsAConfigError) { EXPECT_THROW(NdjsonFileDeliverer(""), ConfigException); }

}  // namespace
}  // namespace podmon::index
