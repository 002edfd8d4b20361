#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace podmon::spool::testing {

// A private folder for one test's spool files, removed afterwards.
class SpoolTestDir {
 public:
  SpoolTestDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "podmon-spool-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  ~SpoolTestDir() { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  const std::string& dir() const { return dir_; }

  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write(const std::string& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  }

 private:
  std::string dir_;
};

}  // namespace podmon::spool::testing
