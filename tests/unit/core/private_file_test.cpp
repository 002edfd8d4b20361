// createPrivateFile: 0600 whatever the umask; an existing file is left as it is.
#include "core/private_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

namespace podmon {
namespace {

namespace fs = std::filesystem;

class PrivateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "podmon-private-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PrivateFileTest, CreatedOwnerReadWriteUnderEveryUmask) {
  // 0277 takes the owner's write bit away from open(2)'s mode: fchmod puts it back.
  for (const mode_t mask : {mode_t{022}, mode_t{0}, mode_t{077}, mode_t{0277}}) {
    const mode_t previous = ::umask(mask);
    const std::string path = dir_ + "/f" + std::to_string(mask);
    EXPECT_TRUE(createPrivateFile(path));
    EXPECT_EQ(filePermissions(path), 0600) << "umask " << std::oct << mask;
    ::umask(previous);
  }
}

TEST_F(PrivateFileTest, AnExistingFileKeepsItsContentAndMode) {
  const std::string path = dir_ + "/existing";
  std::ofstream(path) << "kept";
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read);
  EXPECT_FALSE(createPrivateFile(path));
  EXPECT_EQ(filePermissions(path), 0740);
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "kept");
}

TEST_F(PrivateFileTest, AMissingFolderIsAnErrorNamingThePath) {
  try {
    createPrivateFile(dir_ + "/no-folder/f");
    ADD_FAILURE() << "created a file in a missing folder";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOENT);
    EXPECT_NE(std::string(e.what()).find("no-folder/f"), std::string::npos) << e.what();
  }
  EXPECT_EQ(filePermissions(dir_ + "/no-folder/f"), -1);
}

}  // namespace
}  // namespace podmon
