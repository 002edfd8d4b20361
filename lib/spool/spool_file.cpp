#include "spool/spool_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "spool/spool_exception.h"
#include "spool/spool_format.h"

namespace podmon::spool {

SpoolFile::SpoolFile(std::string path) : path_(std::move(path)) {
  openOrCreate();
  load();
}

SpoolFile::~SpoolFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SpoolFile::fail(const std::string& what) const {
  throw SpoolException("spool " + path_ + ": " + what + ": " + std::strerror(errno));
}

void SpoolFile::openOrCreate() {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) fail("cannot open");
  ::fchmod(fd_, 0600);  // crash logs: the owner's only, whatever the umask
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("cannot stat");
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ == 0) writeHeader();
}

void SpoolFile::writeHeader() {
  const std::string header = encodeSpoolHeader();
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    fail("cannot write the header");
  if (::fdatasync(fd_) != 0) fail("cannot sync");
  size_ = header.size();
  // The new file's directory entry too: a spool that vanishes with a power cut spooled nothing.
  const int dir = ::open(std::filesystem::path(path_).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::vector<std::string> SpoolFile::load() {
  std::string bytes(size_, '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot read");
    done += static_cast<std::size_t>(n);
  }
  SpoolContents contents = decodeSpool(bytes);
  if (!contents.headerValid) {
    const std::string aside = path_ + ".corrupt-" + std::to_string(::time(nullptr));
    spdlog::warn("spool {}: {}; moved to {} and started a new spool", path_, contents.problem, aside);
    if (::rename(path_.c_str(), aside.c_str()) != 0) fail("cannot move aside");
    ::close(fd_);
    fd_ = -1;
    openOrCreate();
    return {};
  }
  if (!contents.problem.empty()) {
    spdlog::warn("spool {}: {} (podmon was killed while writing it?); {} intact records kept", path_, contents.problem,
                 contents.records.size());
    if (::ftruncate(fd_, static_cast<off_t>(contents.validBytes)) != 0 || ::fdatasync(fd_) != 0)
      fail("cannot cut off the damaged tail");
    size_ = contents.validBytes;
  }
  return std::move(contents.records);
}

std::vector<std::string> SpoolFile::readRecords() { return load(); }

bool SpoolFile::empty() const { return size_ <= kSpoolHeaderBytes; }

void SpoolFile::append(std::string_view payload) {
  const std::string record = encodeSpoolRecord(payload);
  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::pwrite(fd_, record.data() + done, record.size() - done, static_cast<off_t>(size_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(size_));  // no half record left
      errno = saved;
      fail("cannot append");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    const int saved = errno;
    [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(size_));
    errno = saved;
    fail("cannot sync");
  }
  size_ += record.size();
}

void SpoolFile::clear() {
  if (::ftruncate(fd_, static_cast<off_t>(kSpoolHeaderBytes)) != 0 || ::fdatasync(fd_) != 0) fail("cannot empty");
  size_ = kSpoolHeaderBytes;
}

}  // namespace podmon::spool
