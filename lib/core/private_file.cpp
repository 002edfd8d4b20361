#include "core/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace podmon {

bool createPrivateFile(const std::string& path) {
  constexpr mode_t kOwnerReadWrite = S_IRUSR | S_IWUSR;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kOwnerReadWrite);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw std::system_error(errno, std::generic_category(), "cannot create " + path);
  }
  // The umask may have taken bits away (a umask of 0277 leaves 0400): set the mode itself.
  const int chmodError = ::fchmod(fd, kOwnerReadWrite) == 0 ? 0 : errno;
  ::close(fd);
  if (chmodError != 0) throw std::system_error(chmodError, std::generic_category(), "cannot chmod 600 " + path);
  return true;
}

int filePermissions(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace podmon
