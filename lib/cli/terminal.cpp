#include "cli/terminal.h"

#include <fcntl.h>
#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

#include "cli/cli_errors.h"
#include "core/settings.h"

namespace podmon::cli {

namespace {

// The terminal settings to put back if a signal ends podmonctl while echo is off: a shell left
// without echo looks broken.
int gTtyFd = -1;
struct termios gSavedTermios;

extern "C" void restoreEchoAndReraise(int signal) {
  if (gTtyFd >= 0) tcsetattr(gTtyFd, TCSAFLUSH, &gSavedTermios);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

std::string readHiddenFromTty(const std::string& prompt) {
  const int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) throw CliException("cannot open the terminal to ask for the password");
  struct termios saved;
  if (tcgetattr(fd, &saved) != 0) {
    close(fd);
    throw CliException("cannot read the terminal settings to ask for the password");
  }
  (void)!write(fd, prompt.data(), prompt.size());
  struct termios quiet = saved;
  quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
  quiet.c_lflag |= ECHONL;
  gSavedTermios = saved;
  gTtyFd = fd;
  auto oldInt = std::signal(SIGINT, restoreEchoAndReraise);
  auto oldTerm = std::signal(SIGTERM, restoreEchoAndReraise);
  auto oldHup = std::signal(SIGHUP, restoreEchoAndReraise);
  tcsetattr(fd, TCSAFLUSH, &quiet);
  std::string line;
  char c = 0;
  bool gotAny = false;
  while (read(fd, &c, 1) == 1) {
    gotAny = true;
    if (c == '\n' || c == '\r') break;
    line += c;
  }
  tcsetattr(fd, TCSAFLUSH, &saved);
  gTtyFd = -1;
  std::signal(SIGINT, oldInt);
  std::signal(SIGTERM, oldTerm);
  std::signal(SIGHUP, oldHup);
  close(fd);
  if (!gotAny) throw CliException("no password entered");
  return line;
}

std::string osUserName() {
  if (const struct passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "uid " + std::to_string(geteuid());
}

}  // namespace

Terminal systemTerminal() {
  Terminal terminal;
  terminal.stdinIsTerminal = isatty(STDIN_FILENO) == 1;
  terminal.readHidden = readHiddenFromTty;
  terminal.userName = osUserName;
  terminal.fileExists = [](const std::string& path) {
    std::error_code ignored;
    return std::filesystem::exists(path, ignored);
  };
  return terminal;
}

bool shouldPromptForPassword(const StoreSettings& settings, bool stdinIsTerminal) {
  return stdinIsTerminal && !settings.sqlPasswordGiven;
}

}  // namespace podmon::cli
