#include "spool/spool_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "spool/spool_format.h"
#include "unit/spool/spool_test_dir.h"

namespace podmon::spool {
namespace {

using testing::SpoolTestDir;

TEST(SpoolFile, AppendedRecordsSurviveAReopenAndClearEmptiesIt) {
  SpoolTestDir dir;
  const auto path = dir.path("crashes.spool");
  {
    SpoolFile file(path);
    EXPECT_TRUE(file.empty());
    file.append("one");
    file.append("two");
    EXPECT_FALSE(file.empty());
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  SpoolFile again(path);
  EXPECT_EQ(again.readRecords(), (std::vector<std::string>{"one", "two"}));
  again.append("three");
  EXPECT_EQ(again.readRecords().size(), 3u);
  again.clear();
  EXPECT_TRUE(again.empty());
  EXPECT_TRUE(SpoolFile(path).readRecords().empty());
}

// podmon killed in the middle of an append: the intact records are kept, the tail cut off, and
// the next append goes where the damage was.
TEST(SpoolFile, ACorruptTailIsCutOffAndAppendsContinue) {
  SpoolTestDir dir;
  const auto path = dir.path("crashes.spool");
  {
    SpoolFile file(path);
    file.append("one");
    file.append("two");
  }
  const std::string intact = SpoolTestDir::read(path);
  SpoolTestDir::write(path, intact + encodeSpoolRecord("three, half written").substr(0, 11));
  SpoolFile file(path);
  EXPECT_EQ(file.sizeBytes(), intact.size());
  EXPECT_EQ(std::filesystem::file_size(path), intact.size());
  file.append("four");
  EXPECT_EQ(SpoolFile(path).readRecords(), (std::vector<std::string>{"one", "two", "four"}));
}

TEST(SpoolFile, AFileThatIsNoSpoolIsMovedAsideNotDeleted) {
  SpoolTestDir dir;
  const auto path = dir.path("crashes.spool");
  SpoolTestDir::write(path, "something else entirely");
  SpoolFile file(path);
  EXPECT_TRUE(file.readRecords().empty());
  int aside = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.dir())) {
    if (entry.path().filename().string().rfind("crashes.spool.corrupt-", 0) == 0) {
      ++aside;
      EXPECT_EQ(SpoolTestDir::read(entry.path().string()), "something else entirely");
    }
  }
  EXPECT_EQ(aside, 1);
}

TEST(SpoolFile, AnUnusableFolderThrows) { EXPECT_ANY_THROW(SpoolFile("/nonexistent-podmon-folder/crashes.spool")); }

}  // namespace
}  // namespace podmon::spool
