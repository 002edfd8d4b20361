#include "kube/credential_sources.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.h"

namespace podmon::kube {
namespace {

namespace fs = std::filesystem;

// Simulated time: tests move it forward by hand.
class ManualClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return wall; }
  std::chrono::steady_clock::time_point steadyNow() const override { return steady; }
  void advance(std::chrono::seconds by) {
    wall += by;
    steady += by;
  }
  // 2030-01-01T00:00:00Z
  std::chrono::system_clock::time_point wall = std::chrono::system_clock::from_time_t(1893456000);
  std::chrono::steady_clock::time_point steady{std::chrono::hours(1)};
};

class CredentialTempDir {
 public:
  CredentialTempDir() {
    std::string pattern = (fs::temp_directory_path() / "podmon-cred-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~CredentialTempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& content, bool executable = false) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    if (executable) fs::permissions(file, fs::perms::owner_all);
    return file;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path_ + "/" + name);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <typename F>
std::string configError(F&& action) {
  try {
    action();
  } catch (const ConfigException& e) {
    return e.message();
  }
  ADD_FAILURE() << "expected a ConfigException";
  return "";
}

TEST(StaticTokenSourceTest, BearerHeader) { EXPECT_EQ(StaticTokenSource("abc").authorizationHeader(), "Bearer abc"); }

TEST(BasicAuthSourceTest, Base64OfUserColonPassword) {
  EXPECT_EQ(BasicAuthSource("Aladdin", "open sesame").authorizationHeader(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  // Long credentials must not be wrapped onto several lines.
  std::string header = BasicAuthSource(std::string(100, 'u'), std::string(100, 'p')).authorizationHeader();
  EXPECT_EQ(header.find('\n'), std::string::npos);
}

TEST(TokenFileSourceTest, RereadsAfterAMinuteNotBefore) {
  CredentialTempDir dir;
  std::string path = dir.write("token", "one\n");
  auto clock = std::make_shared<ManualClock>();
  TokenFileSource source(path, clock);
  EXPECT_EQ(source.authorizationHeader(), "Bearer one");
  dir.write("token", "two");
  clock->advance(std::chrono::seconds(59));
  EXPECT_EQ(source.authorizationHeader(), "Bearer one");
  clock->advance(std::chrono::seconds(1));
  EXPECT_EQ(source.authorizationHeader(), "Bearer two");
}

TEST(TokenFileSourceTest, InvalidateRereadsAtOnce) {
  CredentialTempDir dir;
  std::string path = dir.write("token", "one");
  auto clock = std::make_shared<ManualClock>();
  TokenFileSource source(path, clock);
  EXPECT_EQ(source.authorizationHeader(), "Bearer one");
  dir.write("token", "two");
  source.invalidate();
  EXPECT_EQ(source.authorizationHeader(), "Bearer two");
}

TEST(TokenFileSourceTest, KeepsLastGoodTokenWhenTheFileVanishes) {
  CredentialTempDir dir;
  std::string path = dir.write("token", "one");
  auto clock = std::make_shared<ManualClock>();
  TokenFileSource source(path, clock);
  EXPECT_EQ(source.authorizationHeader(), "Bearer one");
  fs::remove(path);
  clock->advance(std::chrono::seconds(120));
  EXPECT_EQ(source.authorizationHeader(), "Bearer one");
}

TEST(TokenFileSourceTest, MissingOrEmptyFileNamesIt) {
  CredentialTempDir dir;
  auto clock = std::make_shared<ManualClock>();
  std::string missing = dir.path() + "/missing";
  std::string message = configError([&] { TokenFileSource(missing, clock).authorizationHeader(); });
  EXPECT_NE(message.find("token file " + missing + " cannot be read"), std::string::npos) << message;
  std::string empty = dir.write("empty", "  \n");
  message = configError([&] { TokenFileSource(empty, clock).authorizationHeader(); });
  EXPECT_NE(message.find("token file " + empty + " is empty"), std::string::npos) << message;
}

// A plugin that counts its runs in a file and prints an ExecCredential whose token names the run.
class ExecCredentialSourceTest : public ::testing::Test {
 protected:
  ExecPluginConfig plugin(const std::string& expiry) {
    std::string expiryField = expiry.empty() ? "" : ",\"expirationTimestamp\":\"" + expiry + "\"";
    std::string script =
        "#!/bin/sh\n"
        "n=$(cat \"$COUNT_FILE\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$COUNT_FILE\"\n"
        "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"token\":\"%s-run%s\"" +
        expiryField + "}}' \"$1\" \"$n\"\n";
    ExecPluginConfig config;
    config.apiVersion = "client.authentication.k8s.io/v1";
    config.command = dir_.write("plugin.sh", script, true);
    config.args = {"tok"};
    config.env = {{"COUNT_FILE", dir_.path() + "/count"}};
    return config;
  }
  int runs() const {
    std::string text = dir_.read("count");
    return text.empty() ? 0 : std::stoi(text);
  }

  CredentialTempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
};

TEST_F(ExecCredentialSourceTest, CachedUntilShortlyBeforeExpiry) {
  ExecCredentialSource source(plugin("2030-01-01T00:05:00Z"), clock_);
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  clock_->advance(std::chrono::minutes(4));
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  EXPECT_EQ(runs(), 1);
  clock_->advance(std::chrono::seconds(55));  // within kExpiryMargin of the expiry
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run2");
  EXPECT_EQ(runs(), 2);
}

TEST_F(ExecCredentialSourceTest, FractionalSecondsAndOffsetInExpiry) {
  // 01:05:00+01:00 is 00:05:00Z.
  ExecCredentialSource source(plugin("2030-01-01T01:05:00.123456+01:00"), clock_);
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  clock_->advance(std::chrono::minutes(4));
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  clock_->advance(std::chrono::minutes(1));
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run2");
}

TEST_F(ExecCredentialSourceTest, WithoutExpiryCachedUntilInvalidated) {
  ExecCredentialSource source(plugin(""), clock_);
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  clock_->advance(std::chrono::hours(24));
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run1");
  source.invalidate();
  EXPECT_EQ(source.authorizationHeader(), "Bearer tok-run2");
  EXPECT_EQ(runs(), 2);
}

TEST_F(ExecCredentialSourceTest, FailingPluginNamesCommandAndQuotesStderr) {
  ExecPluginConfig config = plugin("");
  config.command =
      dir_.write("failing.sh", "#!/bin/sh\necho 'error: SSO session expired, run aws sso login' >&2\nexit 3\n", true);
  ExecCredentialSource source(config, clock_);
  std::string message = configError([&] { source.authorizationHeader(); });
  EXPECT_NE(message.find("exec plugin \"" + config.command + "\" failed with exit code 3"), std::string::npos)
      << message;
  EXPECT_NE(message.find("SSO session expired"), std::string::npos) << message;
}

TEST_F(ExecCredentialSourceTest, LongStderrIsTruncated) {
  ExecPluginConfig config = plugin("");
  config.command = dir_.write("noisy.sh", "#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\0' x >&2\nexit 1\n", true);
  std::string message = configError([&] { ExecCredentialSource(config, clock_).authorizationHeader(); });
  EXPECT_LT(message.size(), 3000u);
  EXPECT_NE(message.find("(truncated)"), std::string::npos);
}

TEST_F(ExecCredentialSourceTest, InvalidOutputDoesNotLeakIt) {
  ExecPluginConfig config = plugin("");
  config.command = dir_.write("bad.sh", "#!/bin/sh\necho 'not json secret-ish-output'\n", true);
  std::string message = configError([&] { ExecCredentialSource(config, clock_).authorizationHeader(); });
  EXPECT_NE(message.find("not an ExecCredential"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-ish-output"), std::string::npos) << message;
}

TEST_F(ExecCredentialSourceTest, ClientCertificateResultIsUnsupported) {
  ExecPluginConfig config = plugin("");
  config.command =
      dir_.write("cert.sh",
                 "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                 "\"status\":{\"clientCertificateData\":\"x\",\"clientKeyData\":\"y\"}}'\n",
                 true);
  std::string message = configError([&] { ExecCredentialSource(config, clock_).authorizationHeader(); });
  EXPECT_NE(message.find("client certificates from exec plugins are not supported"), std::string::npos) << message;
}

TEST_F(ExecCredentialSourceTest, MismatchedApiVersionIsRejected) {
  ExecPluginConfig config = plugin("");
  config.apiVersion = "client.authentication.k8s.io/v1beta1";
  std::string message = configError([&] { ExecCredentialSource(config, clock_).authorizationHeader(); });
  EXPECT_NE(message.find("printed apiVersion \"client.authentication.k8s.io/v1\""), std::string::npos) << message;
}

TEST_F(ExecCredentialSourceTest, MissingCommandShowsInstallHint) {
  ExecPluginConfig config = plugin("");
  config.command = "podmon-no-such-plugin";
  config.installHint = "install it from example.com";
  std::string message = configError([&] { ExecCredentialSource(config, clock_).authorizationHeader(); });
  EXPECT_NE(
      message.find("exec plugin \"podmon-no-such-plugin\": command not found on PATH (install it from example.com)"),
      std::string::npos)
      << message;
}

TEST_F(ExecCredentialSourceTest, HangingPluginIsKilledAfterTheTimeout) {
  ExecPluginConfig config = plugin("");
  config.command = dir_.write("hang.sh", "#!/bin/sh\necho starting >&2\nexec sleep 30\n", true);
  ExecCredentialSource source(config, clock_, std::chrono::milliseconds(200));
  auto started = std::chrono::steady_clock::now();
  std::string message = configError([&] { source.authorizationHeader(); });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_NE(message.find("did not finish within 200 ms"), std::string::npos) << message;
  EXPECT_NE(message.find("starting"), std::string::npos) << message;
}

TEST_F(ExecCredentialSourceTest, PluginSeesParentEnvironmentAndExecInfo) {
  ExecPluginConfig config = plugin("");
  config.command =
      dir_.write("env.sh",
                 "#!/bin/sh\n"
                 "case \"$KUBERNETES_EXEC_INFO\" in *ExecCredential*) ;; *) echo no exec info >&2; exit 1;; esac\n"
                 "[ -n \"$PATH\" ] || { echo no PATH >&2; exit 1; }\n"
                 "printf "
                 "'{\"apiVersion\":\"client.authentication.k8s.io/"
                 "v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"ok\"}}'\n",
                 true);
  EXPECT_EQ(ExecCredentialSource(config, clock_).authorizationHeader(), "Bearer ok");
}

TEST(ReadWholeFile, RefusesEndlessFilesInsteadOfReadingForever) {
  // A kubeconfig naming a device (a typo, or a hostile file) fails with a message.
  try {
    readWholeFile("/dev/zero");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("larger than 4 MiB"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace podmon::kube
