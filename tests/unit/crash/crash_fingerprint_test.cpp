#include "crash/crash_fingerprint.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace podmon::crash {
namespace {

FingerprintInput crash(std::string image, int exitCode, std::string reason, std::string logs,
                       std::string podName = "api-7d9f8c6b5d-x2k4p",
                       std::string nodeName = "ip-10-0-1-17.ec2.internal") {
  FingerprintInput input;
  input.image = std::move(image);
  input.exitCode = exitCode;
  input.reason = std::move(reason);
  input.logs = std::move(logs);
  input.podName = std::move(podName);
  input.nodeName = std::move(nodeName);
  return input;
}

// --- Go ---

const char* kGoPanicA = R"LOG(2026/11/20 10:00:01 listening on :8080
2026/11/20 10:00:03 GET /orders/81723 request_id=7f3c2a91 took 12.5ms
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6a5b2c]

goroutine 52 [running]:
github.com/acme/orders/internal/store.(*Repo).Find(0x0, {0x7ea1c0, 0xc0001a2000}, 0x13f7b)
	/src/internal/store/repo.go:88 +0x2c
github.com/acme/orders/internal/api.(*Handler).Get(0xc0000b6040, {0x7ec2a8, 0xc0002d8000}, 0xc000196300)
	/src/internal/api/handler.go:41 +0x9d
net/http.HandlerFunc.ServeHTTP(0xc000112f60, {0x7ec2a8, 0xc0002d8000}, 0xc000196300)
	/usr/local/go/src/net/http/server.go:2136 +0x29

goroutine 1 [IO wait]:
internal/poll.runtime_pollWait(0x7f1e2c1b8e88, 0x72)
	/usr/local/go/src/runtime/netpoll.go:343 +0x85
)LOG";

// The same bug in another pod: other goroutine ids and addresses, other timings, the other
// goroutines dumped in another order, a line number moved by a rebuild.
const char* kGoPanicB = R"LOG(2026/11/21 22:41:09 listening on :8080
2026/11/21 22:41:10 GET /orders/5 request_id=0b9e77d1c4 took 3.1s
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6a5f10]

goroutine 1337 [running]:
github.com/acme/orders/internal/store.(*Repo).Find(0x0, {0x7eb3c0, 0xc000482000}, 0x5)
	/src/internal/store/repo.go:91 +0x2c
github.com/acme/orders/internal/api.(*Handler).Get(0xc0004c2040, {0x7ec2a8, 0xc000318000}, 0xc000522300)
	/src/internal/api/handler.go:41 +0x9d
net/http.HandlerFunc.ServeHTTP(0xc000512f60, {0x7ec2a8, 0xc000318000}, 0xc000522300)
	/usr/local/go/src/net/http/server.go:2136 +0x29

goroutine 7 [select]:
net/http.(*persistConn).writeLoop(0xc0001b4000)
	/usr/local/go/src/net/http/transport.go:2421 +0xe5
)LOG";

const char* kGoIndexPanic = R"LOG(panic: runtime error: index out of range [5] with length 3

goroutine 52 [running]:
github.com/acme/orders/internal/api.parseItems({0xc0001a2000, 0x3, 0x3})
	/src/internal/api/items.go:17 +0x1d4
)LOG";

TEST(CrashFingerprintTest, GoPanicWithDifferentNoiseIsOneFailure) {
  const auto a = crashFingerprint(crash("ghcr.io/acme/orders:1.4.2", 2, "Error", kGoPanicA));
  const auto b = crashFingerprint(
      crash("ghcr.io/acme/orders:1.4.3", 2, "Error", kGoPanicB, "api-5c6b7d8f9-q8w7e", "ip-10-0-3-201.ec2.internal"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, crashFingerprint(crash("ghcr.io/acme/orders:1.4.2", 2, "Error", kGoIndexPanic)));
}

TEST(CrashFingerprintTest, GoSignatureIsThePanicAndThePanickingGoroutine) {
  const auto signature = failureSignature(crash("orders", 2, "Error", kGoPanicA));
  ASSERT_FALSE(signature.empty());
  EXPECT_EQ(signature[0], "panic: runtime error: invalid memory address or nil pointer dereference");
  for (const auto& line : signature) {
    EXPECT_EQ(line.find("IO wait"), std::string::npos) << "another goroutine leaked into the signature: " << line;
    EXPECT_EQ(line.find("goroutine"), std::string::npos) << line;
  }
  EXPECT_NE(std::find(signature.begin(), signature.end(),
                      "github.com/acme/orders/internal/store.(*Repo).Find(<hex>, {<hex>, <hex>}, <hex>)"),
            signature.end());
}

// --- Java ---

const char* kJavaA =
    R"LOG(2026-11-20 10:00:00.123  INFO 1 --- [           main] c.a.billing.BillingApplication : Started in 7.2 seconds
2026-11-20 10:00:04.981 ERROR 1 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception
Exception in thread "main" java.lang.IllegalStateException: Invoice 4711 has no customer (tenant 17)
	at com.acme.billing.InvoiceService.charge(InvoiceService.java:142)
	at com.acme.billing.InvoiceController.lambda$post$0(InvoiceController.java:58)
	at com.acme.billing.InvoiceController$$Lambda$812/0x0000000800c0b040.apply(Unknown Source)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)
	at javax.servlet.http.HttpServlet.service(HttpServlet.java:764)
	at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)
	at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)
	at java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.lang.NullPointerException: Cannot invoke "com.acme.billing.Customer.id()" because "invoice.customer" is null
	at com.acme.billing.InvoiceService.charge(InvoiceService.java:139)
	... 7 more
)LOG";

const char* kJavaB =
    R"LOG(2026-11-21 04:12:55.007  INFO 1 --- [           main] c.a.billing.BillingApplication : Started in 9.81 seconds
2026-11-21 04:13:02.412 ERROR 1 --- [io-8080-exec-11] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception
Exception in thread "worker-2" java.lang.IllegalStateException: Invoice 90210 has no customer (tenant 3)
	at com.acme.billing.InvoiceService.charge(InvoiceService.java:145)
	at com.acme.billing.InvoiceController.lambda$post$0(InvoiceController.java:58)
	at com.acme.billing.InvoiceController$$Lambda$1044/0x0000000801a2c7f8.apply(Unknown Source)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)
	at javax.servlet.http.HttpServlet.service(HttpServlet.java:764)
	at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)
	at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)
	at java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.lang.NullPointerException: Cannot invoke "com.acme.billing.Customer.id()" because "invoice.customer" is null
	at com.acme.billing.InvoiceService.charge(InvoiceService.java:142)
	... 7 more
)LOG";

const char* kJavaOther =
    R"LOG(2026-11-20 10:00:04.981 ERROR 1 --- [           main] o.s.boot.SpringApplication : Application run failed
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource'
	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1804)
	at org.springframework.boot.SpringApplication.run(SpringApplication.java:1306)
Caused by: java.net.ConnectException: Connection refused
	at java.base/sun.nio.ch.Net.pollConnect(Native Method)
	... 2 more
)LOG";

TEST(CrashFingerprintTest, JavaStackTraceWithDifferentNoiseIsOneFailure) {
  const auto a = crashFingerprint(crash("registry.acme.io/billing:2024.11.3", 1, "Error", kJavaA));
  const auto b =
      crashFingerprint(crash("123456789.dkr.ecr.eu-west-1.amazonaws.com/billing:2024.11.4", 1, "Error", kJavaB));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, crashFingerprint(crash("registry.acme.io/billing:2024.11.3", 1, "Error", kJavaOther)));
}

TEST(CrashFingerprintTest, JavaSignatureKeepsExceptionClassesAndTopFrames) {
  const auto signature = failureSignature(crash("billing", 1, "Error", kJavaA));
  const auto has = [&](const std::string& line) {
    return std::find(signature.begin(), signature.end(), line) != signature.end();
  };
  EXPECT_TRUE(
      has("Exception in thread \"<q>\" java.lang.IllegalStateException: Invoice <n> has no customer (tenant <n>)"));
  EXPECT_TRUE(has("at com.acme.billing.InvoiceService.charge(InvoiceService.java:<n>)"));
  EXPECT_TRUE(has("Caused by: java.lang.NullPointerException: Cannot invoke \"<q>\" because \"<q>\" is null"));
  EXPECT_TRUE(has("... <n> more"));
  // 8 frames under the first exception: the first four and last four, not more.
  EXPECT_LE(signature.size(), 14u);
}

// --- Python ---

const char* kPythonA = R"LOG(INFO:     Started server process [7]
INFO:     10.42.0.1:51234 - "GET /healthz HTTP/1.1" 200 OK
Traceback (most recent call last):
  File "/app/worker.py", line 88, in <module>
    main()
  File "/app/worker.py", line 81, in main
    process(job)
  File "/app/jobs.py", line 27, in process
    account = accounts[job["account_id"]]
KeyError: 'acct_8f2b1c'
)LOG";

const char* kPythonB = R"LOG(INFO:     Started server process [12]
INFO:     10.42.3.9:40022 - "GET /healthz HTTP/1.1" 200 OK
INFO:     10.42.3.9:40022 - "GET /healthz HTTP/1.1" 200 OK
Traceback (most recent call last):
  File "/app/worker.py", line 88, in <module>
    main()
  File "/app/worker.py", line 81, in main
    process(job)
  File "/app/jobs.py", line 27, in process
    account = accounts[job["account_id"]]
KeyError: 'acct_71d0aa'
)LOG";

const char* kPythonOther = R"LOG(Traceback (most recent call last):
  File "/app/worker.py", line 88, in <module>
    main()
  File "/app/worker.py", line 79, in main
    job = queue.get(timeout=30)
  File "/usr/local/lib/python3.12/site-packages/redis/client.py", line 1266, in get
    raise ConnectionError(f"Error {err.errno} connecting to {host}:{port}.")
redis.exceptions.ConnectionError: Error 111 connecting to redis-master.cache.svc:6379. Connection refused.
)LOG";

TEST(CrashFingerprintTest, PythonTracebackWithDifferentNoiseIsOneFailure) {
  const auto a = crashFingerprint(crash("acme/worker:3", 1, "Error", kPythonA));
  const auto b = crashFingerprint(crash("acme/worker:4", 1, "Error", kPythonB, "worker-6b9c7f5d48-m2n3b"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, crashFingerprint(crash("acme/worker:3", 1, "Error", kPythonOther)));
}

TEST(CrashFingerprintTest, PythonSignatureKeepsFilePathsAndTheException) {
  const auto signature = failureSignature(crash("worker", 1, "Error", kPythonA));
  ASSERT_FALSE(signature.empty());
  EXPECT_EQ(signature.front(), "Traceback (most recent call last):");
  EXPECT_EQ(signature.back(), "KeyError: '<q>'");
  EXPECT_NE(std::find(signature.begin(), signature.end(), "File /app/jobs.py, line <n>, in process"), signature.end());
  EXPECT_EQ(std::find(signature.begin(), signature.end(), "INFO: <ip> - \"<q>\" <n> OK"), signature.end());
}

// --- Node.js ---

const char* kNodeA = R"LOG(> orders@1.0.0 start
> node server.js

listening on http://0.0.0.0:3000
/app/node_modules/pg/lib/client.js:132
      throw err
      ^

Error: connect ECONNREFUSED 10.96.14.2:5432
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
  errno: -111,
  code: 'ECONNREFUSED',
  syscall: 'connect',
  address: '10.96.14.2',
  port: 5432
}

Node.js v20.11.1
)LOG";

const char* kNodeB = R"LOG(> orders@1.0.0 start
> node server.js

listening on http://0.0.0.0:3000
/app/node_modules/pg/lib/client.js:132
      throw err
      ^

Error: connect ECONNREFUSED 10.96.201.77:5433
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {
  errno: -111,
  code: 'ECONNREFUSED',
  syscall: 'connect',
  address: '10.96.201.77',
  port: 5433
}

Node.js v20.11.1
)LOG";

const char* kNodeTypeError = R"LOG(listening on http://0.0.0.0:3000
/app/src/routes/orders.js:44
    const total = order.items.reduce((sum, i) => sum + i.price, 0);
                              ^

TypeError: Cannot read properties of undefined (reading 'reduce')
    at computeTotal (/app/src/routes/orders.js:44:31)
    at /app/src/routes/orders.js:61:19
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)

Node.js v20.11.1
)LOG";

TEST(CrashFingerprintTest, NodeErrorWithDifferentAddressesAndPortsIsOneFailure) {
  const auto a = crashFingerprint(crash("node-orders", 1, "Error", kNodeA));
  const auto b = crashFingerprint(crash("node-orders", 1, "Error", kNodeB));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, crashFingerprint(crash("node-orders", 1, "Error", kNodeTypeError)));
}

// --- nginx and envoy ---

TEST(CrashFingerprintTest, NginxEmergenciesDifferByCauseNotByTimeOrPid) {
  const auto upstreamA = crashFingerprint(crash(
      "nginx:1.27", 1, "Error",
      "/docker-entrypoint.sh: Configuration complete; ready for start up\n"
      "2026/11/20 10:00:00 [emerg] 1#1: host not found in upstream \"backend.shop.svc:8080\" in "
      "/etc/nginx/conf.d/default.conf:14\n"
      "nginx: [emerg] host not found in upstream \"backend.shop.svc:8080\" in /etc/nginx/conf.d/default.conf:14\n"));
  const auto upstreamB = crashFingerprint(crash(
      "docker.io/library/nginx:1.27.1", 1, "Error",
      "/docker-entrypoint.sh: Configuration complete; ready for start up\n"
      "2026/11/21 23:59:59 [emerg] 7#7: host not found in upstream \"backend.shop.svc:8081\" in "
      "/etc/nginx/conf.d/default.conf:15\n"
      "nginx: [emerg] host not found in upstream \"backend.shop.svc:8081\" in /etc/nginx/conf.d/default.conf:15\n"));
  const auto bind = crashFingerprint(
      crash("nginx:1.27", 1, "Error",
            "2026/11/20 10:00:00 [emerg] 1#1: bind() to 0.0.0.0:80 failed (98: Address already in use)\n"
            "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n"));
  EXPECT_EQ(upstreamA, upstreamB);
  EXPECT_NE(upstreamA, bind);
}

TEST(CrashFingerprintTest, EnvoyConfigErrorsDifferByCause) {
  const std::string prefixA =
      "[2026-11-20 10:00:00.412][1][info][main] [source/server/server.cc:413] initializing epoch 0\n";
  const std::string prefixB =
      "[2026-11-21 08:31:17.001][14][info][main] [source/server/server.cc:413] initializing epoch 0\n";
  const std::string listener =
      "[critical][main] [source/server/server.cc:117] error initializing configuration '/etc/envoy/envoy.yaml': "
      "cannot bind '0.0.0.0:10000': Address already in use\n";
  const std::string cluster =
      "[critical][main] [source/server/server.cc:117] error initializing configuration '/etc/envoy/envoy.yaml': "
      "Proto constraint validation failed (ClusterValidationError.ConnectTimeout: value must be greater than 0s)\n";
  const auto a = crashFingerprint(
      crash("envoyproxy/envoy:v1.31.2", 1, "Error", prefixA + "[2026-11-20 10:00:00.415][1]" + listener));
  const auto b = crashFingerprint(
      crash("envoyproxy/envoy:v1.31.3", 1, "Error", prefixB + "[2026-11-21 08:31:17.009][14]" + listener));
  const auto c = crashFingerprint(
      crash("envoyproxy/envoy:v1.31.2", 1, "Error", prefixA + "[2026-11-20 10:00:00.415][1]" + cluster));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// --- OOM kills ---

TEST(CrashFingerprintTest, OomKillIsTheImageReasonAndExitCode) {
  const auto noLogs = crashFingerprint(crash("ghcr.io/acme/cache:7", 137, "OOMKilled", ""));
  const auto otherPodWithLogs = crashFingerprint(
      crash("ghcr.io/acme/cache:8", 137, "OOMKilled", "loaded 81723 keys\nsnapshot in progress\n", "cache-2"));
  EXPECT_EQ(noLogs, otherPodWithLogs);
  EXPECT_NE(noLogs, crashFingerprint(crash("ghcr.io/acme/search:7", 137, "OOMKilled", "")));
  EXPECT_NE(noLogs, crashFingerprint(crash("ghcr.io/acme/cache:7", 137, "Error", "")));  // a SIGKILL, not an OOM
  EXPECT_NE(noLogs, crashFingerprint(crash("ghcr.io/acme/cache:7", 1, "Error", "")));
}

// --- general rules ---

TEST(CrashFingerprintTest, IsSixteenLowercaseHexDigitsAndStable) {
  const auto fp = crashFingerprint(crash("acme/worker:3", 1, "Error", kPythonA));
  EXPECT_TRUE(std::regex_match(fp, std::regex("[0-9a-f]{16}"))) << fp;
  EXPECT_EQ(fp, crashFingerprint(crash("acme/worker:3", 1, "Error", kPythonA)));
}

TEST(CrashFingerprintTest, PodAndNodeNamesInTheLogDoNotMatter) {
  const auto a = crashFingerprint(crash("acme/api", 1, "Error",
                                        "pod api-7d9f8c6b5d-x2k4p on ip-10-0-1-17.ec2.internal: fatal: lease lost\n",
                                        "api-7d9f8c6b5d-x2k4p", "ip-10-0-1-17.ec2.internal"));
  const auto b = crashFingerprint(
      crash("acme/api", 1, "Error", "pod api-5f6f7cf698-75crd on gke-prod-pool-1-a1b2c3d4-xyz1: fatal: lease lost\n",
            "api-5f6f7cf698-75crd", "gke-prod-pool-1-a1b2c3d4-xyz1"));
  EXPECT_EQ(a, b);
}

TEST(CrashFingerprintTest, ErrorLinesAmongOrdinaryLogLinesAreTheSignature) {
  const auto signature = failureSignature(
      crash("acme/api", 1, "Error",
            "starting api v1.8.2\nconnected to queue\nprocessed 5123 messages\n"
            "ERROR failed to connect to db 10.0.4.12:5432 after 5 attempts (last: 2.5s): connection refused\n"
            "FATAL giving up\n"));
  EXPECT_EQ(signature, (std::vector<std::string>{
                           "ERROR failed to connect to db <ip> after <n> attempts (last: <dur>): connection refused",
                           "FATAL giving up"}));
}

TEST(CrashFingerprintTest, WithoutErrorLinesTheLastLinesCount) {
  const auto signature = failureSignature(crash("acme/batch", 3, "Error", "a\nstep 1 done\nstep 2 done\nexiting\n\n"));
  EXPECT_EQ(signature, (std::vector<std::string>{"step <n> done", "step <n> done", "exiting"}));
}

TEST(CrashFingerprintTest, TerminationMessageStandsInForMissingLogs) {
  auto input = crash("acme/migrate", 1, "Error", "");
  input.message = "migration 0042 failed: relation \"orders\" already exists";
  EXPECT_EQ(failureSignature(input),
            (std::vector<std::string>{"migration <n> failed: relation \"<q>\" already exists"}));
  auto other = input;
  other.message = "migration 0042 failed: permission denied for schema public";
  EXPECT_NE(crashFingerprint(input), crashFingerprint(other));
}

TEST(CrashFingerprintTest, DifferentImagesOrExitCodesAreDifferentFailures) {
  const std::string log = "fatal: config file missing\n";
  const auto base = crashFingerprint(crash("acme/api:1", 1, "Error", log));
  EXPECT_NE(base, crashFingerprint(crash("acme/worker:1", 1, "Error", log)));
  EXPECT_NE(base, crashFingerprint(crash("acme/api:1", 2, "Error", log)));
  auto noExit = crash("acme/api:1", 1, "Error", log);
  noExit.exitCode.reset();
  EXPECT_NE(base, crashFingerprint(noExit));
}

TEST(CrashFingerprintTest, LongLogsUseOnlyTheirTail) {
  std::string noise;
  for (int i = 0; i < 20000; ++i) noise += "GET /items/" + std::to_string(i) + " 200\n";
  const auto a = crashFingerprint(crash("acme/api", 1, "Error", noise + "fatal: out of file descriptors\n"));
  const auto b = crashFingerprint(crash("acme/api", 1, "Error", "fatal: out of file descriptors\n"));
  EXPECT_EQ(a, b);
}

TEST(CrashFingerprintTest, AHugeSingleLineIsCutNotACrash) {
  const std::string huge = "fatal: bad payload {\"data\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
  const auto a = crashFingerprint(crash("acme/api", 1, "Error", huge));
  const auto b = crashFingerprint(crash("acme/api", 1, "Error", huge + "yyy"));
  EXPECT_EQ(a, b);
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{16}")));
  EXPECT_LE(normalizeLogLine(std::string(5000, 'a')).size(), 1024u);
}

TEST(ImageNameTest, DropsTagDigestAndRegistryHost) {
  EXPECT_EQ(imageName("nginx"), "nginx");
  EXPECT_EQ(imageName("nginx:1.27"), "nginx");
  EXPECT_EQ(imageName("docker.io/library/nginx:1.27"), "nginx");
  EXPECT_EQ(imageName("ghcr.io/acme/api:1.2@sha256:0123abcd"), "acme/api");
  EXPECT_EQ(imageName("localhost:5000/acme/api:dev"), "acme/api");
  EXPECT_EQ(imageName("registry.acme.io:5000/team/api"), "team/api");
  EXPECT_EQ(imageName("acme/api@sha256:0123abcd"), "acme/api");
  EXPECT_EQ(imageName(""), "");
}

// Real captured pods (read-only, outside the repository; skipped when absent): the termination
// messages of their crashed containers. Changing every stand-alone number (timestamps, durations,
// line numbers, error codes) keeps each fingerprint; the failures stay apart.
TEST(CrashFingerprintTest, RealCapturedPodsTerminationMessages) {
  const char* env = std::getenv("PODMON_REAL_PODS_DIR");
  const std::filesystem::path dir = env ? env : "/work/shared/fixtures/real-pods";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " not present";
  auto shiftNumbers = [](std::string text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const bool starts = std::isdigit(static_cast<unsigned char>(text[i])) &&
                          (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_'));
      if (!starts) continue;
      for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
        text[i] = static_cast<char>('0' + (text[i] - '0' + 7) % 10);
      }
    }
    return text;
  };
  std::set<std::string> fingerprints;
  int withMessage = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto pod = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    auto status = pod->getObject("status");
    if (!status) continue;
    for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
      auto statuses = status->getArray(list);
      for (std::size_t i = 0; statuses && i < statuses->size(); ++i) {
        auto c = statuses->getObject(static_cast<unsigned>(i));
        for (const char* which : {"lastState", "state"}) {
          auto state = c->getObject(which);
          auto terminated = state ? state->getObject("terminated") : nullptr;
          if (!terminated || terminated->optValue<std::string>("message", "").empty()) continue;
          FingerprintInput input;
          input.image = c->optValue<std::string>("image", "");
          input.reason = terminated->optValue<std::string>("reason", "");
          input.exitCode = terminated->optValue<int>("exitCode", 0);
          input.message = terminated->getValue<std::string>("message");
          ++withMessage;
          const auto fp = crashFingerprint(input);
          EXPECT_FALSE(failureSignature(input).empty()) << entry.path();
          auto noisy = input;
          noisy.message = shiftNumbers(input.message);
          EXPECT_EQ(crashFingerprint(noisy), fp) << entry.path() << "\n" << input.message << "\n" << noisy.message;
          EXPECT_TRUE(fingerprints.insert(fp).second) << entry.path() << ": two failures share " << fp;
        }
      }
    }
  }
  EXPECT_GE(withMessage, 1);
}

struct NormalizeCase {
  const char* raw;
  const char* normalized;
};

class NormalizeLogLineTest : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeLogLineTest, StripsWhatVaries) {
  EXPECT_EQ(normalizeLogLine(GetParam().raw, "web-6d4cf56db6-h7x2k", "node-a1"), GetParam().normalized);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, NormalizeLogLineTest,
    ::testing::Values(
        NormalizeCase{"2026-11-20T10:00:00.123456Z level=error", "<ts> level=error"},
        NormalizeCase{"2026-11-20 10:00:00,123 ERROR x", "<ts> ERROR x"},
        NormalizeCase{"2026-11-20T10:00:00+02:00 boom", "<ts> boom"},
        NormalizeCase{"Nov 20 10:00:00 host app[123]: boom", "<ts> host app[<n>]: boom"},
        NormalizeCase{"Wed Nov 20 10:00:00 2026 boom", "<ts> boom"},
        NormalizeCase{"I1120 10:00:00.123456       1 main.go:42] boom", "<ts> <n> main.go:<n>] boom"},
        NormalizeCase{"10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 502",
                      "<ip> - - [<ts>] \"<q>\" <n>"},
        NormalizeCase{"epoch 1763632800 done", "epoch <n> done"},
        NormalizeCase{"job 0f8fad5b-d9cb-469f-a165-70867728950e failed", "job <uuid> failed"},
        NormalizeCase{"at 0x7ffd5e8c3a10 and deadbeefcafe1234 and c0ffee42", "at <hex> and <hex> and <hex>"},
        NormalizeCase{"words like accepted and deadbeef stay", "words like accepted and deadbeef stay"},
        NormalizeCase{"dial tcp 10.96.0.10:53: i/o timeout", "dial tcp <ip>: i/o timeout"},
        NormalizeCase{"connect to [2001:db8::1]:443 and fe80::1ff:fe23:4567:890a", "connect to <ip> and <ip>"},
        NormalizeCase{"took 1m30.5s then 250ms then 3h", "took <dur> then <dur> then <dur>"},
        NormalizeCase{"request_id=ab12Xy9 traceId: 4bf92f3577b34da6 x-request-id=Zk81",
                      "request_id=<id> traceId: <id> x-request-id=<id>"},
        NormalizeCase{"open \"/data/123.db\": can't lock 'db'", "open \"<q>\": can't lock '<q>'"},
        NormalizeCase{"pod web-6d4cf56db6-h7x2k on node-a1 lost peer web-6d4cf56db6-q9z8x",
                      "pod <pod> on <node> lost peer web-<hash>"},
        NormalizeCase{"sha256 utf8 log4j stay, 42 goes", "sha256 utf8 log4j stay, <n> goes"},
        NormalizeCase{"  File \"/app/main.py\", line 12, in run", "File /app/main.py, line <n>, in run"},
        NormalizeCase{R"({"level":"error","ts":1763632800.5,"msg":"db down","user":"alice","caller":"db.go:42"})",
                      R"({"level":"error","ts":<n>,"msg":"db down","user":"<q>","caller":"db.go:<n>"})"},
        NormalizeCase{"\t  many   blanks\t", "many blanks"}));

}  // namespace
}  // namespace podmon::crash
