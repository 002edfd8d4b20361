#include "kube/credential_sources.h"

#include <poll.h>
#include <unistd.h>

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <Poco/String.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/errors.h"
#include "core/rfc3339.h"
#include "http/base64.h"

namespace podmon::kube {

namespace {

constexpr std::size_t kMaxStdout = 1 << 20;
constexpr std::size_t kMaxStderrShown = 2048;

std::string truncateForMessage(std::string text, std::size_t limit) {
  text = Poco::trim(text);
  if (text.size() > limit) {
    // Do not cut a UTF-8 character in half.
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "... (truncated)";
  }
  return text;
}

// Resolves the plugin command like client-go: a path with a '/' is used as is (the kubeconfig
// parser already made it relative to the kubeconfig's directory), a bare name is looked up on PATH.
std::optional<std::string> findExecutable(const std::string& command) {
  auto executable = [](const std::string& path) {
    return ::access(path.c_str(), X_OK) == 0 && Poco::File(path).isFile();
  };
  if (command.find('/') != std::string::npos) {
    if (executable(command)) return command;
    return std::nullopt;
  }
  std::string pathList = Poco::Environment::get("PATH", "/usr/local/bin:/usr/bin:/bin");
  std::istringstream dirs(pathList);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + command;
    try {
      if (executable(candidate)) return candidate;
    } catch (const Poco::Exception&) {
      // unreadable PATH entry: skip it like a shell does
    }
  }
  return std::nullopt;
}

struct PluginRun {
  bool timedOut = false;
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Reads both pipes into `run` until the plugin closes them or the deadline passes.
void collectOutput(Poco::Pipe& outPipe, Poco::Pipe& errPipe, std::chrono::steady_clock::time_point deadline,
                   PluginRun& run) {
  pollfd fds[2] = {{outPipe.readHandle(), POLLIN, 0}, {errPipe.readHandle(), POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  bool open[2] = {true, true};
  char buffer[4096];
  while (open[0] || open[1]) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.timedOut = true;
      break;
    }
    for (int i = 0; i < 2; ++i) fds[i].fd = open[i] ? (i == 0 ? outPipe.readHandle() : errPipe.readHandle()) : -1;
    int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i) {
      if (!open[i] || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        open[i] = false;
        continue;
      }
      if (sinks[i]->size() < kMaxStdout) sinks[i]->append(buffer, static_cast<std::size_t>(n));
    }
  }
}

// Waits for the exit status within what is left of the time; kills the plugin when time is up.
void awaitExit(Poco::ProcessHandle& handle, std::chrono::steady_clock::time_point deadline, PluginRun& run) {
  while (!run.timedOut) {
    int code = handle.tryWait();
    if (code != -1 || !Poco::Process::isRunning(handle)) {
      run.exitCode = code;
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      run.timedOut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  try {
    Poco::Process::kill(handle);
  } catch (const Poco::Exception&) {
    // already gone
  }
  try {
    handle.wait();
  } catch (const Poco::Exception&) {}
}

// Runs the plugin and collects what it prints. Real time on purpose: this bounds a real child
// process, which a simulated Clock would never bring to an end.
PluginRun runAndCollect(const std::string& executable, const ExecPluginConfig& config,
                        std::chrono::milliseconds timeout) {
  Poco::Pipe inPipe;
  Poco::Pipe outPipe;
  Poco::Pipe errPipe;
  Poco::Process::Env env;
  env["KUBERNETES_EXEC_INFO"] =
      "{\"apiVersion\":\"" + config.apiVersion + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}";
  for (const auto& [name, value] : config.env) env[name] = value;
  Poco::Process::Args args(config.args.begin(), config.args.end());
  Poco::ProcessHandle handle = Poco::Process::launch(executable, args, &inPipe, &outPipe, &errPipe, env);
  inPipe.close(Poco::Pipe::CLOSE_WRITE);  // a plugin that reads stdin sees EOF, never hangs

  PluginRun run;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  collectOutput(outPipe, errPipe, deadline, run);
  // Both pipes are closed (or time is up): wait for the exit status within what is left.
  awaitExit(handle, deadline, run);
  return run;
}

// Finds and runs the plugin; throws ConfigException unless it exited 0 within the timeout.
PluginRun runPluginOrThrow(const std::string& name, const ExecPluginConfig& config, std::chrono::milliseconds timeout) {
  auto executable = findExecutable(config.command);
  if (!executable) {
    std::string message =
        name + ": command not found" + (config.command.find('/') == std::string::npos ? " on PATH" : "");
    if (!config.installHint.empty()) message += " (" + Poco::trim(config.installHint) + ")";
    throw ConfigException(message);
  }

  PluginRun run;
  try {
    run = runAndCollect(*executable, config, timeout);
  } catch (const Poco::Exception& e) {
    throw ConfigException(name + ": cannot start: " + e.displayText());
  } catch (const std::exception& e) {
    throw ConfigException(name + ": cannot start: " + e.what());
  }
  const std::string stderrText = truncateForMessage(run.err, kMaxStderrShown);
  const std::string stderrSuffix = stderrText.empty() ? "" : ": " + stderrText;
  if (run.timedOut) {
    throw ConfigException(name + " did not finish within " + std::to_string(timeout.count()) + " ms and was killed" +
                          stderrSuffix);
  }
  if (run.exitCode != 0) {
    throw ConfigException(name + " failed with exit code " + std::to_string(run.exitCode) + stderrSuffix);
  }
  return run;
}

// The ExecCredential object the plugin printed; throws ConfigException (never quoting stdout,
// which carries the credential) when it is not one of `apiVersion`.
Poco::JSON::Object::Ptr execCredentialOf(const std::string& name, const std::string& out,
                                         const std::string& apiVersion) {
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {}
  if (!root) {
    throw ConfigException(name + " printed " + std::to_string(out.size()) +
                          " bytes that are not an ExecCredential JSON object");
  }
  if (root->optValue<std::string>("kind", "") != "ExecCredential") {
    throw ConfigException(name + " printed an object whose kind is not ExecCredential");
  }
  std::string printedVersion = root->optValue<std::string>("apiVersion", "");
  if (printedVersion != apiVersion) {
    throw ConfigException(name + " printed apiVersion \"" + printedVersion + "\" but the kubeconfig asks for \"" +
                          apiVersion + "\"");
  }
  return root;
}

}  // namespace

std::string readWholeFile(const std::string& path) {
  // Certificates, keys and tokens are small; a path naming a device or a huge file (a typo in a
  // kubeconfig, /dev/zero) must fail with a message instead of reading forever.
  constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::strerror(errno));
  std::string content;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxBytes)
      throw std::runtime_error("larger than 4 MiB (not a certificate, key or token file)");
  }
  if (in.bad()) throw std::runtime_error(std::strerror(errno));
  return content;
}

// ---- StaticTokenSource ----

StaticTokenSource::StaticTokenSource(std::string token) : header_("Bearer " + std::move(token)) {}

std::string StaticTokenSource::authorizationHeader() { return header_; }

// ---- TokenFileSource ----

TokenFileSource::TokenFileSource(std::string path, Clock::Ptr clock, std::chrono::seconds refresh)
    : path_(std::move(path)), clock_(std::move(clock)), refresh_(refresh) {}

std::string TokenFileSource::authorizationHeader() {
  std::lock_guard lock(mutex_);
  const auto now = clock_->steadyNow();
  if (!readAt_ || now - *readAt_ >= refresh_) {
    std::string problem;
    try {
      std::string token = Poco::trim(readWholeFile(path_));
      if (token.empty()) {
        problem = "is empty";
      } else {
        token_ = std::move(token);
      }
    } catch (const std::exception& e) {
      problem = std::string("cannot be read: ") + e.what();
    }
    if (!problem.empty()) {
      if (token_.empty()) throw ConfigException("token file " + path_ + " " + problem);
      spdlog::warn("token file {} {}; keeping the previous token", path_, problem);
    }
    readAt_ = now;
  }
  return "Bearer " + token_;
}

void TokenFileSource::invalidate() {
  std::lock_guard lock(mutex_);
  readAt_.reset();
}

// ---- BasicAuthSource ----

BasicAuthSource::BasicAuthSource(const std::string& username, const std::string& password)
    : header_(http::basicAuthorization(username, password)) {}

std::string BasicAuthSource::authorizationHeader() { return header_; }

// ---- ExecCredentialSource ----

ExecCredentialSource::ExecCredentialSource(ExecPluginConfig config, Clock::Ptr clock, std::chrono::milliseconds timeout)
    : config_(std::move(config)), clock_(std::move(clock)), timeout_(timeout) {}

std::string ExecCredentialSource::authorizationHeader() {
  std::lock_guard lock(mutex_);
  bool fresh = !token_.empty() && (!expiry_ || clock_->now() + kExpiryMargin < *expiry_);
  if (!fresh) runPlugin();
  return "Bearer " + token_;
}

void ExecCredentialSource::invalidate() {
  std::lock_guard lock(mutex_);
  token_.clear();
  expiry_.reset();
}

void ExecCredentialSource::runPlugin() {
  const std::string name = "exec plugin \"" + config_.command + "\"";
  const PluginRun run = runPluginOrThrow(name, config_, timeout_);
  // From here on never quote stdout: it carries the credential.
  Poco::JSON::Object::Ptr root = execCredentialOf(name, run.out, config_.apiVersion);
  Poco::JSON::Object::Ptr status = root->getObject("status");
  if (!status) throw ConfigException(name + " printed an ExecCredential without status");
  std::string token = status->optValue<std::string>("token", "");
  if (token.empty()) {
    if (status->has("clientCertificateData")) {
      throw ConfigException(name +
                            " returned a client certificate; client certificates from exec "
                            "plugins are not supported by podmon, use a plugin that returns status.token");
    }
    throw ConfigException(name + " printed an ExecCredential without status.token");
  }
  std::optional<std::chrono::system_clock::time_point> expiry;
  std::string expiryText = status->optValue<std::string>("expirationTimestamp", "");
  if (!expiryText.empty()) {
    expiry = parseRfc3339(expiryText);
    if (!expiry) {
      throw ConfigException(name + " printed status.expirationTimestamp \"" + expiryText +
                            "\", which is not an RFC 3339 time");
    }
  }
  token_ = std::move(token);
  expiry_ = expiry;
}

}  // namespace podmon::kube
