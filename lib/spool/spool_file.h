#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace podmon::spool {

// One append-only spool file on disk (spool_format.h): what must survive a kill of podmon while
// the store cannot take it. append() returns only once the record is on disk (fdatasync). Opening
// reads the file: a damaged tail (podmon killed mid-append) is cut off with a warning, and a file
// that is not a spool at all is renamed to PATH.corrupt-N and a new one started, so nothing is
// ever thrown away unseen. Not thread-safe: its owner serialises the calls.
class SpoolFile {
 public:
  // Opens or creates `path` (mode 0600). Throws SpoolException when it cannot be created or read.
  explicit SpoolFile(std::string path);
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // The payloads on disk, in the order appended (read again from the file). Throws SpoolException.
  std::vector<std::string> readRecords();
  // Appends one record and syncs it to disk. Throws SpoolException (disk full, I/O error); the file
  // is then left as it was before the call.
  void append(std::string_view payload);
  // Drops every record (the file keeps its header) and syncs. Throws SpoolException.
  void clear();
  // Bytes the file holds (header and records).
  std::uint64_t sizeBytes() const { return size_; }
  bool empty() const;
  const std::string& path() const { return path_; }

 private:
  void openOrCreate();
  void writeHeader();
  // Reads the file, cutting off a damaged tail; returns the intact payloads.
  std::vector<std::string> load();
  [[noreturn]] void fail(const std::string& what) const;

  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace podmon::spool
