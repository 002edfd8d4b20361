// The embedded store's files hold the cluster's crash logs: the database, its -wal and its -shm are
// created 0600 whatever the umask (SQLite itself creates a new database 0644; its -wal and -shm
// copy the database file's mode, which is what keeps them private too).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/errors.h"
#include "core/private_file.h"
#include "store/sqlite_database.h"

namespace podmon::store {
namespace {

namespace fs = std::filesystem;

class SqliteFileModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "podmon-sqlite-mode-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(SqliteFileModeTest, DatabaseWalAndShmAreOwnerOnlyWhateverTheUmask) {
  for (const mode_t mask : {mode_t{022}, mode_t{0}}) {
    const mode_t previous = ::umask(mask);
    const std::string path = dir_ + "/podmon-" + std::to_string(mask) + ".db";
    {
      SqliteDatabase db(path);
      db.migrate(*SystemClock::instance());  // writes: WAL mode creates -wal and -shm
      ASSERT_TRUE(fs::exists(path + "-wal")) << "the store is expected to run in WAL mode";
      ASSERT_TRUE(fs::exists(path + "-shm"));
      for (const auto& file : {path, path + "-wal", path + "-shm"}) {
        EXPECT_EQ(filePermissions(file), 0600) << file << " under umask " << std::oct << mask;
      }
    }
    ::umask(previous);
  }
}

TEST_F(SqliteFileModeTest, AnExistingDatabaseKeepsItsMode) {
  const std::string path = dir_ + "/existing.db";
  std::ofstream(path).close();
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  SqliteDatabase db(path);
  db.migrate(*SystemClock::instance());
  EXPECT_EQ(filePermissions(path), 0640);  // the operator's choice (a warning says so at start-up)
}

TEST_F(SqliteFileModeTest, AMissingFolderIsAClearStoreError) {
  SqliteDatabase db(dir_ + "/no-folder/podmon.db");
  try {
    db.migrate(*SystemClock::instance());
    ADD_FAILURE() << "opened a database in a missing folder";
  } catch (const StoreException& e) {
    EXPECT_NE(e.message().find("cannot create the SQLite database " + dir_ + "/no-folder/podmon.db (SQLITE_PATH)"),
              std::string::npos)
        << e.message();
  }
}

}  // namespace
}  // namespace podmon::store
