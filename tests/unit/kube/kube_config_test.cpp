#include "kube/kube_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/errors.h"
#include "kube/credential_sources.h"

namespace podmon::kube {
namespace {

namespace fs = std::filesystem;

const std::string kTestConfig = std::string(PODMON_TESTDATA) + "/kubeconfig/config";
const std::string kTestCertDir = std::string(PODMON_TESTDATA) + "/kubeconfig/certs";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A private directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "podmon-kc-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& content) const {
    fs::path file = fs::path(path_) / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

EnvLookup envOf(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// Returns the ConfigException message of `action`, failing the test when nothing is thrown.
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

KubeConnection loadTestContext(const std::string& context) { return loadKubeConfigFiles({kTestConfig}, context); }

// ---- every kind of authentication ----

TEST(KubeConfigTest, CurrentContextWithStaticTokenAndRelativeCaFile) {
  KubeConnection c = loadTestContext("");
  EXPECT_EQ(c.server, "https://prod.example.com:6443");
  EXPECT_EQ(c.caPem, slurp(kTestCertDir + "/ca.crt"));
  EXPECT_EQ(c.tlsServerName, "kubernetes.default.svc");
  EXPECT_FALSE(c.insecureSkipTlsVerify);
  EXPECT_EQ(c.defaultNamespace, "team-a");
  ASSERT_TRUE(c.credentials);
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer static-token-abc");
  EXPECT_EQ(c.origin, "kubeconfig " + kTestConfig + " (context token)");
}

TEST(KubeConfigTest, BasicAuthAndCaData) {
  KubeConnection c = loadTestContext("basic");
  EXPECT_EQ(c.server, "https://10.0.0.1:6443");
  EXPECT_EQ(c.caPem, slurp(kTestCertDir + "/ca.crt"));
  EXPECT_EQ(c.defaultNamespace, "default");
  ASSERT_TRUE(c.credentials);
  EXPECT_EQ(c.credentials->authorizationHeader(), "Basic YWRtaW46aHVudGVyMg==");  // admin:hunter2
}

TEST(KubeConfigTest, ClientCertificateFilesRelativeToKubeconfig) {
  KubeConnection c = loadTestContext("cert-files");
  EXPECT_EQ(c.clientCertPem, slurp(kTestCertDir + "/client.crt"));
  EXPECT_EQ(c.clientKeyPem, slurp(kTestCertDir + "/client.key"));
  EXPECT_FALSE(c.credentials);
}

TEST(KubeConfigTest, ClientCertificateData) {
  KubeConnection c = loadTestContext("cert-data");
  EXPECT_EQ(c.clientCertPem, slurp(kTestCertDir + "/client.crt"));
  EXPECT_EQ(c.clientKeyPem, slurp(kTestCertDir + "/client.key"));
}

TEST(KubeConfigTest, TokenFileRelativeToKubeconfigAndInsecureCluster) {
  KubeConnection c = loadTestContext("token-file");
  EXPECT_TRUE(c.insecureSkipTlsVerify);
  EXPECT_EQ(c.server, "https://lab.example.com");
  ASSERT_TRUE(std::dynamic_pointer_cast<TokenFileSource>(c.credentials));
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer token-from-file-1");
}

TEST(KubeConfigTest, ExecPluginUser) {
  KubeConnection c = loadTestContext("exec");
  EXPECT_TRUE(std::dynamic_pointer_cast<ExecCredentialSource>(c.credentials));
}

TEST(KubeConfigTest, ExecCommandWithSlashIsRelativeToKubeconfigAndGetsArgsAndEnv) {
  TempDir dir;
  dir.write("bin/plugin.sh",
            "#!/bin/sh\n"
            "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"%s-%s\"}}' \"$1\" \"$PLUGIN_SUFFIX\"\n");
  fs::permissions(dir.path() + "/bin/plugin.sh", fs::perms::owner_all);
  std::string path = dir.write("config", R"(
clusters: [{name: c, cluster: {server: "http://127.0.0.1:8001"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./bin/plugin.sh
      args: [from-arg]
      env: [{name: PLUGIN_SUFFIX, value: from-env}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
)");
  KubeConnection c = loadKubeConfigFiles({path}, "");
  ASSERT_TRUE(c.credentials);
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer from-arg-from-env");
}

TEST(KubeConfigTest, PlainHttpWithoutUser) {
  KubeConnection c = loadTestContext("anonymous");
  EXPECT_EQ(c.server, "http://127.0.0.1:8001");
  EXPECT_FALSE(c.credentials);
  EXPECT_TRUE(c.caPem.empty());
  EXPECT_TRUE(c.clientCertPem.empty());
}

TEST(KubeConfigTest, ServerWithoutSchemeDefaultsToHttps) {
  KubeConnection c = parseKubeConfig(R"(
clusters: [{name: c, cluster: {server: "k8s.local:6443"}}]
contexts: [{name: x, context: {cluster: c, namespace: ns}}]
current-context: x
)",
                                     "/virtual/config", "");
  EXPECT_EQ(c.server, "https://k8s.local:6443");
  EXPECT_EQ(c.defaultNamespace, "ns");
}

TEST(KubeConfigTest, EntryWithoutItsBodyIsAConfigErrorNotAYamlCrash) {
  // Found by fuzz_kubeconfig: a context without `context:` made yaml-cpp throw InvalidNode.
  const std::string yaml = R"(
clusters: [{name: k, cluster: {server: "127.0.0.1:6443"}}]
contexts:
- name: c
  conteyt: {cluster: k, user: u}
users: [{name: u, user: {token: t}}]
current-context: c
)";
  try {
    parseKubeConfig(yaml, "/virtual/config", "");
    FAIL() << "no exception";
  } catch (const ConfigException& e) {
    EXPECT_NE(e.message().find("kubeconfig /virtual/config"), std::string::npos) << e.message();
  }
  // A user without `user:` is an anonymous user, as before.
  KubeConnection c = parseKubeConfig(R"(
clusters: [{name: k, cluster: {server: "http://127.0.0.1:1"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u}]
current-context: c
)",
                                     "/virtual/config", "");
  EXPECT_FALSE(c.credentials);
}

TEST(KubeConfigTest, NamesTheContextAndItsClusterForClusterNameDefault) {
  const std::string yaml = R"(
clusters: [{name: prod-eu, cluster: {server: "https://a"}}, {name: staging, cluster: {server: "https://b"}}]
contexts: [{name: admin@prod, context: {cluster: prod-eu}}, {name: dev, context: {cluster: staging}}]
current-context: admin@prod
)";
  KubeConnection current = parseKubeConfig(yaml, "/virtual/config", "");
  EXPECT_EQ(current.contextName, "admin@prod");
  EXPECT_EQ(current.clusterName, "prod-eu");
  KubeConnection chosen = parseKubeConfig(yaml, "/virtual/config", "dev");
  EXPECT_EQ(chosen.contextName, "dev");
  EXPECT_EQ(chosen.clusterName, "staging");
}

// ---- merging and resolution ----

class KubeConfigMergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    first_ = dir_.write("a/config", R"(
current-context: ctx-a
clusters:
- name: shared
  cluster: {server: "https://first.example.com"}
users:
- name: ua
  user: {token: token-a}
contexts:
- name: ctx-a
  context: {cluster: shared, user: ua}
)");
    dir_.write("b/ca.crt", slurp(kTestCertDir + "/ca.crt"));
    second_ = dir_.write("b/config", R"(
current-context: ctx-b
clusters:
- name: shared
  cluster: {server: "https://second.example.com"}
- name: only-b
  cluster: {server: "https://b.example.com", certificate-authority: ca.crt}
users:
- name: ua
  user: {token: token-from-b}
- name: ub
  user: {token: token-b}
contexts:
- name: ctx-a
  context: {cluster: only-b, user: ub}
- name: ctx-b
  context: {cluster: only-b, user: ub, namespace: nb}
)");
  }

  TempDir dir_;
  std::string first_;
  std::string second_;
};

TEST_F(KubeConfigMergeTest, FirstFileWinsForNamesAndCurrentContext) {
  KubeConnection c = loadKubeConfigFiles({first_, second_}, "");
  EXPECT_EQ(c.server, "https://first.example.com");
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer token-a");
  EXPECT_EQ(c.origin, "kubeconfig " + first_ + ":" + second_ + " (context ctx-a)");
}

TEST_F(KubeConfigMergeTest, ContextFromSecondFileResolvesPathsAgainstItsOwnDirectory) {
  KubeConnection c = loadKubeConfigFiles({first_, second_}, "ctx-b");
  EXPECT_EQ(c.server, "https://b.example.com");
  EXPECT_EQ(c.caPem, slurp(kTestCertDir + "/ca.crt"));
  EXPECT_EQ(c.defaultNamespace, "nb");
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer token-b");
}

TEST_F(KubeConfigMergeTest, KubeconfigEnvListSkipsMissingFilesAndEmptyEntries) {
  auto env = envOf({{"KUBECONFIG", first_ + "::" + dir_.path() + "/missing:" + second_}, {"HOME", dir_.path()}});
  KubeConnection c = resolveKubeConnection({}, env);
  EXPECT_EQ(c.server, "https://first.example.com");
  c = resolveKubeConnection({.kubeconfigPath = "", .context = "ctx-b"}, env);
  EXPECT_EQ(c.server, "https://b.example.com");
}

TEST_F(KubeConfigMergeTest, ExplicitPathBeatsKubeconfigEnv) {
  auto env = envOf({{"KUBECONFIG", first_}});
  KubeConnection c = resolveKubeConnection({.kubeconfigPath = second_, .context = ""}, env);
  EXPECT_EQ(c.server, "https://b.example.com");
}

TEST_F(KubeConfigMergeTest, HomeConfigIsTheLastResort) {
  dir_.write("home/.kube/config", slurp(second_));
  dir_.write("home/.kube/ca.crt", slurp(kTestCertDir + "/ca.crt"));
  KubeConnection c = resolveKubeConnection({}, envOf({{"HOME", dir_.path() + "/home"}}));
  EXPECT_EQ(c.defaultNamespace, "nb");
}

TEST(KubeConfigResolveTest, NothingFoundListsWhatWasTried) {
  TempDir dir;
  std::string message = configError([&] {
    resolveKubeConnection({}, envOf({{"HOME", dir.path()}, {"KUBECONFIG", dir.path() + "/nope"}}));
  });
  EXPECT_NE(message.find("no Kubernetes configuration found"), std::string::npos) << message;
  EXPECT_NE(message.find("KUBECONFIG=" + dir.path() + "/nope"), std::string::npos) << message;
  EXPECT_NE(message.find("KUBERNETES_SERVICE_HOST"), std::string::npos) << message;
  EXPECT_NE(message.find(dir.path() + "/.kube/config"), std::string::npos) << message;
}

TEST(KubeConfigResolveTest, MissingExplicitFileIsAnError) {
  std::string message = configError(
      [] { resolveKubeConnection({.kubeconfigPath = "/nonexistent/podmon/config", .context = ""}, envOf({})); });
  EXPECT_NE(message.find("kubeconfig /nonexistent/podmon/config: cannot read the file"), std::string::npos) << message;
}

// ---- in-cluster ----

class FixedClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point{} + offset;
  }
  std::chrono::steady_clock::time_point steadyNow() const override {
    return std::chrono::steady_clock::time_point{} + offset;
  }
  std::chrono::seconds offset{1000};
};

TEST(InClusterTest, BuildsHttpsUrlReadsCaNamespaceAndRereadsToken) {
  TempDir dir;
  dir.write("ca.crt", slurp(kTestCertDir + "/ca.crt"));
  dir.write("token", "sa-token-1\n");
  dir.write("namespace", "monitoring");
  auto clock = std::make_shared<FixedClock>();
  KubeConnection c = inClusterConnection(
      envOf({{"KUBERNETES_SERVICE_HOST", "10.96.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}), dir.path(), clock);
  EXPECT_EQ(c.server, "https://10.96.0.1:443");
  EXPECT_EQ(c.caPem, slurp(kTestCertDir + "/ca.crt"));
  EXPECT_EQ(c.defaultNamespace, "monitoring");
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer sa-token-1");
  dir.write("token", "sa-token-2\n");
  clock->offset += std::chrono::seconds(61);
  EXPECT_EQ(c.credentials->authorizationHeader(), "Bearer sa-token-2");
}

TEST(InClusterTest, Ipv6HostIsBracketed) {
  TempDir dir;
  dir.write("ca.crt", slurp(kTestCertDir + "/ca.crt"));
  dir.write("token", "t");
  KubeConnection c = inClusterConnection(
      envOf({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}}), dir.path());
  EXPECT_EQ(c.server, "https://[fd00::1]:6443");
  EXPECT_EQ(c.defaultNamespace, "default");
}

TEST(InClusterTest, MissingTokenNamesTheFile) {
  TempDir dir;
  dir.write("ca.crt", slurp(kTestCertDir + "/ca.crt"));
  std::string message = configError([&] {
    inClusterConnection(envOf({{"KUBERNETES_SERVICE_HOST", "h"}, {"KUBERNETES_SERVICE_PORT", "1"}}), dir.path());
  });
  EXPECT_NE(message.find(dir.path() + "/token"), std::string::npos) << message;
}

TEST(InClusterTest, ResolveUsesInClusterWhenNoKubeconfigEnv) {
  // The real service account dir does not exist here, so the attempt fails naming it.
  std::string message = configError([] {
    resolveKubeConnection({}, envOf({{"KUBERNETES_SERVICE_HOST", "h"}, {"KUBERNETES_SERVICE_PORT", "1"}}));
  });
  EXPECT_NE(message.find("in-cluster config: cannot read /var/run/secrets/kubernetes.io/serviceaccount/"),
            std::string::npos)
      << message;
}

// ---- broken files: one clear message naming the file and the field, never a secret ----

struct BrokenCase {
  const char* name;
  const char* yaml;
  const char* context;
  std::vector<std::string> expected;  // substrings of the message (after "kubeconfig FILE: ")
};

const char* const kSecrets[] = {"s3cret-token", "hunter2", "c2VjcmV0", "PRIVATE"};

class BrokenKubeConfigTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenKubeConfigTest, MessageNamesFileAndFieldAndNoSecret) {
  const BrokenCase& broken = GetParam();
  TempDir dir;
  std::string path = dir.write("config", broken.yaml);
  std::string message = configError([&] { loadKubeConfigFiles({path}, broken.context); });
  EXPECT_EQ(message.rfind("kubeconfig " + path + ": ", 0), 0u) << message;
  for (const auto& part : broken.expected) EXPECT_NE(message.find(part), std::string::npos) << message;
  for (const char* secret : kSecrets) EXPECT_EQ(message.find(secret), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BrokenKubeConfigTest,
    ::testing::Values(BrokenCase{"ContextNotFound",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
contexts: [{name: a, context: {cluster: c}}, {name: b, context: {cluster: c}}]
current-context: a
)",
                                 "foo",
                                 {"context \"foo\" not found (contexts: a, b)"}},
                      BrokenCase{"CurrentContextNotFound",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: gone
)",
                                 "",
                                 {"context \"gone\" not found (contexts: a)"}},
                      BrokenCase{"NoCurrentContext",
                                 R"(
contexts: [{name: a, context: {cluster: c}}]
)",
                                 "",
                                 {"current-context is not set", "contexts: a"}},
                      BrokenCase{"InvalidBase64Key",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users:
- name: u
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: "c2VjcmV0!!!PRIVATE"
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user.client-key-data is not valid base64"}},
                      // Found by fuzz_kubeconfig: invalid base64 after valid data leaked the decoded part.
                      BrokenCase{"InvalidBase64AfterValidData",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x", certificate-authority-data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUt\xff\xfe!!LS0tLQo="}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"clusters[0].cluster.certificate-authority-data is not valid base64"}},
                      BrokenCase{"NoServer",
                                 R"(
clusters: [{name: c, cluster: {certificate-authority-data: ""}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"cluster \"c\" has no server", "clusters[0].cluster.server"}},
                      BrokenCase{"BadScheme",
                                 R"(
clusters: [{name: c, cluster: {server: "ftp://x"}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"clusters[0].cluster.server", "http:// or https://"}},
                      BrokenCase{
                          "YamlSyntax",
                          "clusters:\n- name: c\n  cluster: {server: \"https://x\"\nusers: [\n  token: s3cret-token\n",
                          "",
                          {"YAML syntax error at line"}},
                      BrokenCase{"MissingCaFile",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x", certificate-authority: no-such-ca.crt}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"clusters[0].cluster.certificate-authority: cannot read", "no-such-ca.crt"}},
                      BrokenCase{"CaNotPem",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x", certificate-authority-data: "aGVsbG8="}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"clusters[0].cluster.certificate-authority-data does not contain a PEM certificate"}},
                      BrokenCase{"UnknownCluster",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
contexts: [{name: a, context: {cluster: nope}}]
current-context: a
)",
                                 "",
                                 {"context \"a\" refers to cluster \"nope\"", "clusters: c"}},
                      BrokenCase{"UnknownUser",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {token: s3cret-token}}]
contexts: [{name: a, context: {cluster: c, user: nope}}]
current-context: a
)",
                                 "",
                                 {"refers to user \"nope\"", "users: u"}},
                      BrokenCase{"TwoAuthMethods",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {token: s3cret-token, username: admin, password: hunter2}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user sets more than one"}},
                      BrokenCase{"CertWithoutKey",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user has client-certificate but no client-key"}},
                      BrokenCase{"InsecureWithCa",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: true,
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"cluster \"c\" sets both insecure-skip-tls-verify and a certificate authority"}},
                      BrokenCase{"InsecureNotBool",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: maybe}}]
contexts: [{name: a, context: {cluster: c}}]
current-context: a
)",
                                 "",
                                 {"clusters[0].cluster.insecure-skip-tls-verify must be true or false"}},
                      BrokenCase{"ExecWithoutApiVersion",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {exec: {command: aws}}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user.exec.apiVersion", "missing"}},
                      BrokenCase{"ExecWithoutCommand",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1}}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user.exec.command is missing"}},
                      BrokenCase{"MissingTokenFile",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {tokenFile: tokens/none}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user.tokenFile: cannot read", "tokens/none"}},
                      BrokenCase{"ClustersNotAList",
                                 R"(
clusters: {c: {server: "https://x"}}
)",
                                 "",
                                 {"clusters must be a list"}},
                      BrokenCase{"EntryWithoutName",
                                 R"(
users: [{user: {token: s3cret-token}}]
)",
                                 "",
                                 {"users[0].name is missing"}},
                      BrokenCase{"TopLevelNotAMapping", "- just\n- a list\n", "", {"not a kubeconfig"}},
                      BrokenCase{"AuthProvider",
                                 R"(
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {auth-provider: {name: gcp}}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
)",
                                 "",
                                 {"users[0].user.auth-provider is not supported"}}),
    [](const ::testing::TestParamInfo<BrokenCase>& testCase) { return std::string(testCase.param.name); });

TEST(KubeConfigErrorTest, YamlSyntaxErrorGivesTheLine) {
  std::string message = configError(
      [] { parseKubeConfig("clusters:\n- name: c\n  cluster: {server: \"https://x\"\n", "/x/config", ""); });
  EXPECT_NE(message.find("kubeconfig /x/config: YAML syntax error at line 4"), std::string::npos) << message;
}

TEST(KubeConfigErrorTest, MergedListNamesTheFileThatHoldsTheBrokenEntry) {
  TempDir dir;
  std::string good = dir.write("good", R"(
current-context: a
contexts: [{name: a, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://x"}}]
)");
  std::string bad = dir.write("bad", R"(
users: [{name: u, user: {client-key-data: "!!", client-certificate-data: "!!"}}]
)");
  std::string message = configError([&] { loadKubeConfigFiles({good, bad}, ""); });
  EXPECT_EQ(message.rfind("kubeconfig " + bad + ": users[0].user.client-certificate-data is not valid base64", 0), 0u)
      << message;
}

}  // namespace
}  // namespace podmon::kube
