// podmonctl run in process (runPodmonctl: settings, stores, commands, menu) on both store backends
// (a real MariaDB, and the embedded SQLite file podmonctl uses when SQL_HOST is not set):
// every command in table and JSON form, the audit rows, the errors that change nothing, the menu
// driven through an istream, and the password prompt.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "cli/podmonctl_app.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/errors.h"
#include "notify/poco_slack_client.h"
#include "notify/slack_deliverer.h"
#include "servers/slack_test_server.h"
#include "store/store_factory.h"
#include "store_backend_fixture.h"
#include "unit/index/sample_crash.h"
#include "unit/notify/notify_fakes.h"

namespace podmon::cli {
namespace {

using namespace std::chrono_literals;

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

class PodmonctlTest : public testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    if (sqlite()) {
      env_ = {{"SQLITE_PATH", sqlitePath_}, {"CLUSTER_NAME", "prod"}};
    } else {
      const auto db = storeConfig();
      env_ = {{"SQL_HOST", db.host},         {"SQL_PORT", std::to_string(db.port)}, {"SQL_USERNAME", db.user},
              {"SQL_PASSWORD", db.password}, {"SQL_DBNAME", db.database},           {"CLUSTER_NAME", "prod"}};
    }
    const auto migrated = run({"migrate"});
    ASSERT_EQ(migrated.code, 0) << migrated.err;
  }

  RunResult run(const std::vector<std::string>& args, const std::string& input = "") {
    const ConfigLoader load = [this](const std::vector<std::string>& configArgs) {
      return Config::load(
          configArgs,
          [this](const std::string& name) -> std::optional<std::string> {
            auto it = env_.find(name);
            if (it == env_.end()) return std::nullopt;
            return it->second;
          },
          [this](const std::string& path) {
            auto it = files_.find(path);
            if (it == files_.end()) throw ConfigException(path + ": no such file");
            return it->second;
          });
    };
    Terminal terminal;
    terminal.stdinIsTerminal = terminal_;
    terminal.readHidden = [this](const std::string& prompt) {
      prompts_.push_back(prompt);
      return typedPassword_;
    };
    terminal.userName = [] { return std::string("alice"); };
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    RunResult result;
    result.code = runPodmonctl(args, load, terminal, in, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  Poco::JSON::Array::Ptr jsonArray(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
  }
  Poco::JSON::Object::Ptr jsonObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }

  std::int64_t routeCount() { return queryInt("SELECT COUNT(*) FROM k8s_pod_crash_notify"); }
  std::int64_t ignoreCount() { return queryInt("SELECT COUNT(*) FROM k8s_crash_ignore_notify"); }
  std::int64_t auditCount() { return queryInt("SELECT COUNT(*) FROM podmon_audit WHERE action <> 'migrate'"); }

  std::map<std::string, std::string> env_;
  std::map<std::string, std::string> files_;
  bool terminal_ = false;
  std::string typedPassword_;
  std::vector<std::string> prompts_;
};

TEST_P(PodmonctlTest, RouteSetListTestUpdateRemoveWithAudit) {
  auto set = run({"routes", "set", "payments", "#pay-alerts"});
  ASSERT_EQ(set.code, 0) << set.err;
  EXPECT_EQ(set.out, "Route added: crashes in prod/payments now go to #pay-alerts.\n");
  EXPECT_EQ(queryText("SELECT slack_channel FROM k8s_pod_crash_notify WHERE clustername='prod' AND "
                      "namespace='payments'"),
            "#pay-alerts");

  auto list = run({"routes", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out,
            "CLUSTER  NAMESPACE  CHANNEL\n"
            "prod     payments   #pay-alerts\n");

  auto json = run({"routes", "list", "--output", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  auto rows = jsonArray(json.out);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("cluster"), "prod");
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("namespace"), "payments");
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("channel"), "#pay-alerts");

  auto test = run({"routes", "test", "payments", "-o", "json"});
  ASSERT_EQ(test.code, 0) << test.err;
  auto answer = jsonObject(test.out);
  EXPECT_EQ(answer->getValue<std::string>("channel"), "#pay-alerts");
  EXPECT_EQ(answer->getValue<std::string>("channel_source"), "route");
  EXPECT_FALSE(answer->getValue<bool>("ignored"));
  auto other = jsonObject(run({"routes", "test", "search", "--output=json"}).out);
  EXPECT_EQ(other->getValue<std::string>("channel"), "pod-crash-alerts");
  EXPECT_EQ(other->getValue<std::string>("channel_source"), "default");

  auto update = run({"routes", "set", "payments", "C0123ABCD", "--actor", "bob"});
  ASSERT_EQ(update.code, 0) << update.err;
  EXPECT_EQ(update.out, "Route updated: crashes in prod/payments now go to C0123ABCD (was #pay-alerts).\n");
  auto same = run({"routes", "set", "payments", "C0123ABCD", "-o", "json"});
  ASSERT_EQ(same.code, 0);
  EXPECT_FALSE(jsonObject(same.out)->getValue<bool>("changed"));
  EXPECT_EQ(routeCount(), 1);

  auto removed = run({"routes", "remove", "payments"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(removed.out, "Route removed: prod/payments (was C0123ABCD); its crashes now go to pod-crash-alerts.\n");
  EXPECT_EQ(routeCount(), 0);
  auto again = run({"routes", "remove", "payments"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("no route for namespace 'payments' in cluster 'prod'"), std::string::npos) << again.err;

  // Three changes, newest first; the unchanged set and the failed remove wrote nothing.
  auto audit = jsonArray(run({"audit", "list", "--output", "json"}).out);
  ASSERT_EQ(audit->size(), 4u);  // + the migration
  auto newest = audit->getObject(0);
  EXPECT_EQ(newest->getValue<std::string>("action"), "route.remove");
  EXPECT_EQ(newest->getValue<std::string>("actor"), "alice");
  EXPECT_EQ(newest->getValue<std::string>("old_value"), "C0123ABCD");
  EXPECT_TRUE(newest->isNull("new_value"));
  auto updated = audit->getObject(1);
  EXPECT_EQ(updated->getValue<std::string>("actor"), "bob");
  EXPECT_EQ(updated->getValue<std::string>("old_value"), "#pay-alerts");
  EXPECT_EQ(updated->getValue<std::string>("new_value"), "C0123ABCD");
  auto added = audit->getObject(2);
  EXPECT_EQ(added->getValue<std::string>("action"), "route.set");
  EXPECT_TRUE(added->isNull("old_value"));
  EXPECT_EQ(added->getValue<std::string>("cluster"), "prod");
  EXPECT_EQ(added->getValue<std::string>("target"), "payments");
  EXPECT_EQ(audit->getObject(3)->getValue<std::string>("action"), "migrate");

  auto table = run({"audit", "list", "--limit", "1"});
  ASSERT_EQ(table.code, 0);
  EXPECT_EQ(table.out.rfind("ID  AT", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("route.remove"), std::string::npos);
  EXPECT_EQ(table.out.find("route.set"), std::string::npos);
}

TEST_P(PodmonctlTest, ClusterFlagWildcardsAndAllClusters) {
  ASSERT_EQ(run({"routes", "set", "*", "all-crashes", "--cluster", "*"}).code, 0);
  ASSERT_EQ(run({"routes", "set", "team-*", "#team", "--cluster", "staging"}).code, 0);
  ASSERT_EQ(run({"routes", "set", "web", "#web"}).code, 0);
  // prod sees its own route and the one for every cluster, not staging's.
  EXPECT_EQ(run({"routes", "list"}).out,
            "CLUSTER  NAMESPACE  CHANNEL\n"
            "*        *          all-crashes\n"
            "prod     web        #web\n");
  EXPECT_EQ(jsonArray(run({"routes", "list", "--all-clusters", "-o", "json"}).out)->size(), 3u);
  EXPECT_EQ(jsonObject(run({"routes", "test", "team-a", "--cluster", "staging", "-o", "json"}).out)
                ->getValue<std::string>("channel"),
            "#team");
  EXPECT_EQ(jsonObject(run({"routes", "test", "search", "-o", "json"}).out)->getValue<std::string>("channel"),
            "all-crashes");
  env_.erase("CLUSTER_NAME");
  auto noCluster = run({"routes", "set", "web", "#web"});
  EXPECT_EQ(noCluster.code, 2);
  EXPECT_NE(noCluster.err.find("no cluster given: pass --cluster NAME or set CLUSTER_NAME"), std::string::npos);
  EXPECT_EQ(jsonArray(run({"routes", "list", "-o", "json"}).out)->size(), 3u);  // no CLUSTER_NAME: all
}

TEST_P(PodmonctlTest, BadInputIsRefusedAndChangesNothing) {
  ASSERT_EQ(run({"routes", "set", "payments", "#pay"}).code, 0);
  const auto auditBefore = auditCount();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"routes", "set", "Payments", "#pay"}, "namespace 'Payments' is not a DNS-1123 label"},
      {{"routes", "set", "pay_ments", "#pay"}, "namespace 'pay_ments' is not a DNS-1123 label"},
      {{"routes", "set", "-payments", "#pay"}, "namespace '-payments' is not a DNS-1123 label"},
      {{"routes", "set", std::string(64, 'a'), "#pay"}, "is longer than 63 characters"},
      {{"routes", "set", "payments", "#Pay Alerts"}, "channel '#Pay Alerts' is not a Slack channel"},
      {{"routes", "set", "payments", "#"}, "channel '#' is not a Slack channel"},
      {{"routes", "set", "payments", "#pay", "--cluster", "prod eu"}, "cluster 'prod eu' is not a cluster name"},
      {{"routes", "set", "payments"}, "routes set needs <namespace> <channel>"},
      {{"routes", "set", "payments", "#pay", "extra"}, "unexpected argument 'extra'"},
      {{"routes", "remove", "payments", "--container", "app"}, "--container does not apply to routes remove"},
      {{"ignores", "add", "payments", "Istio_Proxy"}, "container 'Istio_Proxy' is not a DNS-1123 label"},
      {{"ignores", "add", "payments"}, "ignores add needs <namespace> <container|*>"},
      {{"routes", "frobnicate"}, "unknown command 'routes frobnicate'"},
      {{"routes"}, "routes needs a subcommand: list, set, remove, test"},
      {{"launch"}, "unknown command 'launch'"},
      {{"crashes", "list", "--since", "soon"}, "--since: 'soon' is not a duration"},
      {{"crashes", "list", "--limit", "0"}, "--limit '0' is not a number from 1 to 10000"},
      {{"outbox", "retry", "--sink", "email"}, "--sink 'email' is not one of elasticsearch, slack"},
      {{"routes", "list", "--output", "yaml"}, "--output 'yaml' is not one of table, json"},
      {{"routes", "list", "--cluster", "prod", "--all-clusters"}, "--cluster and --all-clusters exclude each other"},
      {{"routes", "list", "--sql-hots", "x"}, "unknown flag --sql-hots"},
      {{}, "no command given"},
  };
  for (const auto& c : cases) {
    const auto result = run(c.args);
    EXPECT_EQ(result.code, 2) << c.message;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << result.err;
    EXPECT_EQ(result.out, "") << c.message;
  }
  EXPECT_EQ(routeCount(), 1);
  EXPECT_EQ(ignoreCount(), 0);
  EXPECT_EQ(auditCount(), auditBefore);
  EXPECT_EQ(queryText("SELECT slack_channel FROM k8s_pod_crash_notify"), "#pay");
}

TEST_P(PodmonctlTest, IgnoresAddListRemoveAndSilenceRoutesTest) {
  auto add = run({"ignores", "add", "payments", "istio-proxy"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(
      add.out,
      "Ignoring container istio-proxy in prod/payments: its crashes are recorded but sent to no Slack channel.\n");
  EXPECT_EQ(run({"ignores", "add", "payments", "istio-proxy"}).out,
            "Already ignored: container istio-proxy in prod/payments.\n");
  ASSERT_EQ(run({"ignores", "add", "batch", "*"}).code, 0);
  EXPECT_EQ(ignoreCount(), 2);

  EXPECT_EQ(run({"ignores", "list"}).out,
            "CLUSTER  NAMESPACE  CONTAINER\n"
            "prod     batch      *\n"
            "prod     payments   istio-proxy\n");
  auto json = jsonArray(run({"ignores", "list", "-o", "json"}).out);
  ASSERT_EQ(json->size(), 2u);
  EXPECT_EQ(json->getObject(1)->getValue<std::string>("container"), "istio-proxy");

  auto sidecar = jsonObject(run({"routes", "test", "payments", "--container", "istio-proxy", "-o", "json"}).out);
  EXPECT_TRUE(sidecar->getValue<bool>("ignored"));
  auto app = jsonObject(run({"routes", "test", "payments", "--container", "app", "-o", "json"}).out);
  EXPECT_FALSE(app->getValue<bool>("ignored"));
  auto batch = run({"routes", "test", "batch"});
  EXPECT_EQ(batch.out,
            "A crash in prod/batch is recorded but sends no alert: an ignore rule matches the whole namespace.\n");
  auto payments = run({"routes", "test", "payments"});
  EXPECT_NE(payments.out.find("goes to pod-crash-alerts (the default channel, SLACK_CHANNEL"), std::string::npos);

  ASSERT_EQ(run({"ignores", "remove", "payments", "istio-proxy"}).code, 0);
  auto missing = run({"ignores", "remove", "payments", "istio-proxy"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no ignore rule for payments/istio-proxy in cluster 'prod'"), std::string::npos);
  EXPECT_EQ(ignoreCount(), 1);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit WHERE action LIKE 'ignore.%'"), 3);
  EXPECT_EQ(queryText("SELECT old_value FROM podmon_audit WHERE action = 'ignore.remove'"), "ignored");
}

TEST_P(PodmonctlTest, EmptyTablesSaySo) {
  EXPECT_EQ(run({"routes", "list"}).out,
            "No routes for cluster prod: every crash goes to the default channel pod-crash-alerts.\n");
  EXPECT_EQ(run({"ignores", "list"}).out, "No ignore rules for cluster prod: every crash is alerted.\n");
  EXPECT_EQ(run({"crashes", "list"}).out, "No crashes recorded.\n");
  EXPECT_EQ(run({"routes", "list", "-o", "json"}).out, "[]\n");
  EXPECT_EQ(run({"crashes", "list", "-o", "json"}).out, "[]\n");
}

class PodmonctlCrashTest : public PodmonctlTest {
 protected:
  void SetUp() override {
    PodmonctlTest::SetUp();
    if (IsSkipped()) return;
    store_ = openTestStore();
  }

  store::RecordResult record(const std::string& namespace_, const std::string& pod,
                             std::chrono::system_clock::duration ago, const std::string& logs = "starting\nboom\n") {
    store::CrashRecord crash = index::testing::sampleCrash().record;  // OOMKilled, exit 137, Deployment/api
    auto& e = crash.event;
    e.clusterName = "prod";
    e.namespace_ = namespace_;
    e.podName = pod;
    e.podUid = "uid-" + pod;
    e.containerName = "app";
    e.detectedAt = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() - ago);
    crash.logs = logs;
    return store_.crashes->recordCrash(crash);
  }

  store::OpenedStore store_;
};

TEST_P(PodmonctlCrashTest, ListFiltersAndShowsWithLog) {
  const auto recent = record("payments", "api-1", 10min, "starting\n\x1b[31mred\x1b[0m out of memory\n");
  record("payments", "api-2", 3h);
  record("search", "idx-1", 20min);

  auto all = jsonArray(run({"crashes", "list", "-o", "json"}).out);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->getObject(0)->getValue<std::string>("pod"), "api-1");  // newest first
  EXPECT_EQ(all->getObject(0)->getValue<int>("exit_code"), 137);
  EXPECT_EQ(all->getObject(0)->getValue<std::string>("crash_key"), recent.crashKey);

  EXPECT_EQ(jsonArray(run({"crashes", "list", "--namespace", "payments", "-o", "json"}).out)->size(), 2u);
  EXPECT_EQ(jsonArray(run({"crashes", "list", "--since", "1h", "-o", "json"}).out)->size(), 2u);
  EXPECT_EQ(jsonArray(run({"crashes", "list", "--namespace", "payments", "--since", "1h", "-o", "json"}).out)->size(),
            1u);
  EXPECT_EQ(jsonArray(run({"crashes", "list", "--limit", "1", "-o", "json"}).out)->size(), 1u);
  EXPECT_EQ(jsonArray(run({"crashes", "list", "--cluster", "staging", "-o", "json"}).out)->size(), 0u);

  auto table = run({"crashes", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID  DETECTED", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("OOMKilled"), std::string::npos);

  auto show = run({"crashes", "show", std::to_string(recent.id)});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("pod:"), std::string::npos);
  EXPECT_NE(show.out.find("owner:"), std::string::npos);
  EXPECT_NE(show.out.find("--- log ---\nstarting\n?[31mred?[0m out of memory\n"), std::string::npos) << show.out;
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos);  // no escape sequence reaches the terminal

  auto byKey = run({"crashes", "show", recent.crashKey, "-o", "json"});
  ASSERT_EQ(byKey.code, 0) << byKey.err;
  auto crash = jsonObject(byKey.out);
  EXPECT_EQ(crash->getValue<std::int64_t>("id"), recent.id);
  EXPECT_EQ(crash->getValue<std::string>("logs"), "starting\n\x1b[31mred\x1b[0m out of memory\n");
  EXPECT_EQ(crash->getValue<std::string>("owner"), "Deployment/api");

  auto missing = run({"crashes", "show", "999999"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no crash with id 999999"), std::string::npos);
  EXPECT_EQ(run({"crashes", "show", "nope"}).code, 1);
}

TEST_P(PodmonctlCrashTest, OutboxStatusAndRetry) {
  const auto crash = record("payments", "api-1", 5min);
  record("payments", "api-2", 4min);
  exec(
      "UPDATE podmon_outbox SET state = 'dead', last_error = 'channel_not_found' WHERE sink = 'slack' AND crash_id = " +
      std::to_string(crash.id));
  exec("UPDATE podmon_outbox SET state = 'dead', last_error = 'mapping' WHERE sink = 'elasticsearch' AND crash_id = " +
       std::to_string(crash.id));

  auto status = jsonArray(run({"outbox", "status", "-o", "json"}).out);
  ASSERT_GE(status->size(), 1u);
  std::map<std::string, Poco::JSON::Object::Ptr> bySink;
  for (std::size_t i = 0; i < status->size(); ++i) {
    bySink[status->getObject(static_cast<unsigned>(i))->getValue<std::string>("sink")] =
        status->getObject(static_cast<unsigned>(i));
  }
  ASSERT_TRUE(bySink.count("slack"));
  const auto outboxRows = queryInt("SELECT COUNT(*) FROM podmon_outbox WHERE sink = 'slack'");
  EXPECT_EQ(bySink["slack"]->getValue<std::int64_t>("dead"), 1);
  EXPECT_EQ(bySink["slack"]->getValue<std::int64_t>("pending"), outboxRows - 1);
  auto table = run({"outbox", "status"});
  EXPECT_EQ(table.out.rfind("SINK", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("OLDEST PENDING"), std::string::npos);

  auto retry = run({"outbox", "retry", "--sink", "slack", "-o", "json"});
  ASSERT_EQ(retry.code, 0) << retry.err;
  EXPECT_EQ(jsonObject(retry.out)->getValue<std::int64_t>("retried"), 1);
  EXPECT_EQ(
      queryText("SELECT state FROM podmon_outbox WHERE sink = 'slack' AND crash_id = " + std::to_string(crash.id)),
      "pending");
  EXPECT_EQ(
      queryInt("SELECT attempts FROM podmon_outbox WHERE sink = 'slack' AND crash_id = " + std::to_string(crash.id)),
      0);
  EXPECT_EQ(queryText("SELECT state FROM podmon_outbox WHERE sink = 'elasticsearch' AND crash_id = " +
                      std::to_string(crash.id)),
            "dead");
  EXPECT_EQ(queryText(std::string("SELECT ") +
                      (sqlite() ? "target || ' ' || old_value || ' -> ' || new_value"
                                : "CONCAT(target, ' ', old_value, ' -> ', new_value)") +
                      " FROM podmon_audit WHERE action = 'outbox.retry'"),
            "slack 1 dead -> pending");

  EXPECT_EQ(run({"outbox", "retry"}).out,
            "1 dead outbox row(s) are pending again; podmon delivers them on its next pass.\n");
  EXPECT_EQ(run({"outbox", "retry"}).out, "No dead outbox rows: nothing to retry.\n");
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit WHERE action = 'outbox.retry'"), 2);
}

TEST_P(PodmonctlCrashTest, PruneSaysWhatItRemovesAndADryRunRemovesNothing) {
  const auto old = record("payments", "api-1", 100 * 24h);
  record("payments", "api-2", 5min);
  exec("UPDATE podmon_outbox SET state = 'done', delivered_at = '2020-01-01 00:00:00.000000'");

  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"prune"}, {"prune", "--older-than", "0"}, {"prune", "--older-than", "ninety days"}}) {
    const auto refused = run(bad);
    EXPECT_EQ(refused.code, 2) << bad.size();
    EXPECT_NE(refused.err.find("--older-than"), std::string::npos) << refused.err;
  }
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), 2);

  auto dry = run({"prune", "--older-than", "90d", "--dry-run", "-o", "json"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  std::map<std::string, std::int64_t> wouldGo;
  auto rows = jsonArray(dry.out);
  for (std::size_t i = 0; i < rows->size(); ++i) {
    auto row = rows->getObject(static_cast<unsigned>(i));
    wouldGo[row->getValue<std::string>("table")] = row->getValue<std::int64_t>("rows");
  }
  EXPECT_EQ(wouldGo["k8s_pod_crash"], 1);
  // The old crash's rows, and the recent crash's delivered (in 2020) ones.
  EXPECT_EQ(wouldGo["podmon_outbox"], queryInt("SELECT COUNT(*) FROM podmon_outbox"));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), 2);
  EXPECT_EQ(auditCount(), 0);

  auto pruned = run({"prune", "--older-than", "90d"});
  ASSERT_EQ(pruned.code, 0) << pruned.err;
  EXPECT_EQ(pruned.out.rfind("Deleted rows older than 90d (", 0), 0u) << pruned.out;
  EXPECT_NE(pruned.out.find("k8s_pod_crash"), std::string::npos) << pruned.out;
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash"), 1);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM k8s_pod_crash WHERE id = " + std::to_string(old.id)), 0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_outbox"), 0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit WHERE action = 'prune' AND actor = 'alice'"), 1);
  EXPECT_EQ(run({"prune", "--older-than", "90d", "--dry-run"}).out.rfind("Dry run: nothing deleted.", 0), 0u);
}

TEST_P(PodmonctlTest, MigrateOnAFreshDatabaseThenUpToDate) {
  exec("DROP TABLE podmon_audit");
  exec("DELETE FROM schema_migrations WHERE version = 5");
  auto missing = run({"routes", "set", "payments", "#pay"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("run `podmonctl migrate`"), std::string::npos) << missing.err;
  EXPECT_EQ(routeCount(), 0);  // the route and its audit row go together or not at all

  auto migrate = run({"migrate", "-o", "json"});
  ASSERT_EQ(migrate.code, 0) << migrate.err;
  EXPECT_EQ(jsonObject(migrate.out)->getValue<std::string>("applied"), "5");
  EXPECT_EQ(run({"migrate"}).out, "The schema is up to date.\n");
  EXPECT_EQ(queryText("SELECT new_value FROM podmon_audit WHERE action = 'migrate' ORDER BY id DESC LIMIT 1"),
            "applied 5");
}

TEST_P(PodmonctlTest, SettingsComeFromFlagsEnvironmentAndConfigFile) {
  if (sqlite()) GTEST_SKIP() << "MySQL connection settings";
  const auto db = storeConfig();
  env_.erase("SQL_DBNAME");
  env_.erase("SQL_PASSWORD");
  files_["/etc/podmon.yaml"] = "SQL_DBNAME: " + db.database + "\nsql_password: " + db.password +
                               "\nCLUSTER_NAME: from-file\nSLACK_CHANNEL: '#fallback'\n";
  auto test = jsonObject(run({"--config", "/etc/podmon.yaml", "routes", "test", "web", "-o", "json"}).out);
  EXPECT_EQ(test->getValue<std::string>("cluster"), "prod");  // the environment beats the file
  EXPECT_EQ(test->getValue<std::string>("channel"), "#fallback");
  auto flag =
      run({"--config", "/etc/podmon.yaml", "--cluster-name", "from-flag", "routes", "test", "web", "-o", "json"});
  ASSERT_EQ(flag.code, 0) << flag.err;
  EXPECT_EQ(jsonObject(flag.out)->getValue<std::string>("cluster"), "from-flag");

  files_["/run/secrets/sql"] = db.password + "\n";
  env_["SQL_PASSWORD_FILE"] = "/run/secrets/sql";
  env_["SQL_DBNAME"] = db.database;
  EXPECT_EQ(run({"routes", "list"}).code, 0);
}

TEST_P(PodmonctlTest, PasswordIsPromptedOnATerminalAndNeverShown) {
  if (sqlite()) {
    // The embedded store has no password: nobody is asked for one, even on a terminal.
    terminal_ = true;
    EXPECT_EQ(run({"routes", "list"}).code, 0);
    EXPECT_TRUE(prompts_.empty());
    return;
  }
  const std::string password = storeConfig().password;
  env_.erase("SQL_PASSWORD");

  // No terminal: no prompt, and the server refuses the empty password.
  auto refused = run({"routes", "list"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(prompts_.empty());
  EXPECT_NE(refused.err.find("Access denied"), std::string::npos) << refused.err;

  terminal_ = true;
  typedPassword_ = password;
  auto listed = run({"routes", "list"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  ASSERT_EQ(prompts_.size(), 1u);
  EXPECT_EQ(prompts_[0].rfind("MySQL password for ", 0), 0u);

  typedPassword_ = "wrong-" + password;
  auto wrong = run({"routes", "list"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_EQ(wrong.err.find(typedPassword_), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.out.find(typedPassword_), std::string::npos);

  // A usage error is reported before anyone is asked for a password.
  prompts_.clear();
  EXPECT_EQ(run({"routes", "sett"}).code, 2);
  EXPECT_TRUE(prompts_.empty());

  // SQL_PASSWORD set (even empty) means no prompt.
  env_["SQL_PASSWORD"] = password;
  EXPECT_EQ(run({"routes", "list"}).code, 0);
  EXPECT_TRUE(prompts_.empty());
}

TEST_P(PodmonctlTest, MenuDrivenThroughStdin) {
  terminal_ = true;
  const std::string input =
      "1\n"                               // list routes: empty, no crash
      "2\n"                               // list ignores: empty
      "4\n\npayments\n#pay-alerts\n"      // add a route, default cluster
      "4\nstaging\nPayments\n#x\n"        // invalid namespace: refused, menu goes on
      "3\nprod\npayments\nistio-proxy\n"  // ignore a container
      "1\n"
      "2\n"
      "nine\n"                        // not a choice
      "5\n\npayments\n"               // remove the route
      "5\n\npayments\n"               // again: not there
      "6\n\npayments\nistio-proxy\n"  // alert on it again
      "0\n";
  auto menu = run({}, input);
  ASSERT_EQ(menu.code, 0) << menu.err;
  EXPECT_NE(menu.out.find("1. View all slack channels configured."), std::string::npos);
  EXPECT_NE(menu.out.find("No routes: every crash goes to the default channel pod-crash-alerts."), std::string::npos)
      << menu.out;
  EXPECT_NE(menu.out.find("No ignore rules: every crash is alerted."), std::string::npos);
  EXPECT_NE(menu.out.find("Enter cluster name [prod]: "), std::string::npos);
  EXPECT_NE(menu.out.find("Route added: crashes in prod/payments now go to #pay-alerts."), std::string::npos);
  EXPECT_NE(menu.err.find("namespace 'Payments' is not a DNS-1123 label"), std::string::npos) << menu.err;
  EXPECT_NE(menu.out.find("prod     payments   #pay-alerts"), std::string::npos) << menu.out;
  EXPECT_NE(menu.out.find("prod     payments   istio-proxy"), std::string::npos) << menu.out;
  EXPECT_NE(menu.out.find("Please enter a number from 0 to 6."), std::string::npos);
  EXPECT_NE(menu.out.find("Route removed: prod/payments (was #pay-alerts)"), std::string::npos);
  EXPECT_NE(menu.err.find("no route for namespace 'payments' in cluster 'prod'"), std::string::npos);
  EXPECT_NE(menu.out.find("Ignore rule removed"), std::string::npos);
  EXPECT_EQ(menu.out.substr(menu.out.size() - 16), "Utility exited.\n");
  EXPECT_EQ(routeCount(), 0);
  EXPECT_EQ(ignoreCount(), 0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM podmon_audit WHERE actor = 'alice' AND action <> 'migrate'"), 4);
}

TEST_P(PodmonctlTest, MenuEndsAtTheEndOfInputAndNeedsATerminalUnlessAsked) {
  terminal_ = true;
  auto menu = run({"--actor", "ops"}, "4\n\nweb\n#web\n");  // no 0: the input just ends
  EXPECT_EQ(menu.code, 0);
  EXPECT_EQ(queryText("SELECT actor FROM podmon_audit WHERE action = 'route.set'"), "ops");
  terminal_ = false;
  auto piped = run({}, "1\n0\n");
  EXPECT_EQ(piped.code, 2);
  EXPECT_NE(piped.err.find("the interactive menu needs a terminal"), std::string::npos);
  auto asked = run({"menu"}, "1\n0\n");
  EXPECT_EQ(asked.code, 0);
  EXPECT_NE(asked.out.find("#web"), std::string::npos);
}

TEST_P(PodmonctlTest, HelpListsEveryCommand) {
  auto help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* command : {"routes list", "routes set <namespace> <channel>", "routes remove", "routes test",
                              "ignores list", "ignores add", "ignores remove", "crashes list", "crashes show",
                              "outbox status", "outbox retry", "audit list", "migrate", "--sql-host"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
}

// The issue's "done": podmonctl changes where a running podmon's next alert goes, without a restart.
TEST_P(PodmonctlTest, RouteChangesReachARunningSlackDeliverer) {
  auto clock = std::make_shared<notify::fakes::ManualClock>();
  const auto opened = openTestStore({}, clock);
  testing::SlackTestServer slack;
  notify::SlackClientOptions clientOptions;
  clientOptions.apiUrl = slack.apiUrl();
  clientOptions.token = slack.token();
  notify::SlackDelivererOptions options;
  options.sleep = [&](std::chrono::milliseconds d) { clock->advance(d); };
  notify::SlackDeliverer deliverer(options, std::make_shared<notify::PocoSlackClient>(clientOptions),
                                   opened.notifyRules, store::makeAlertStateStore(opened, clock), clock);
  int next = 0;
  auto crashIn = [&](const std::string& container) {
    ++next;
    auto item = notify::fakes::sampleItem(next, clock->now(), "web-" + std::to_string(next));
    item.crash.record.event.ownerName = "web-" + std::to_string(next);  // a new alert, not a follow-up
    item.crash.record.event.containerName = container;
    return deliverer.deliver({item})[0];
  };
  auto afterRulesRefresh = [&] { clock->advance(options.rulesRefresh + 1s); };

  EXPECT_EQ(crashIn("app").kind, delivery::DeliveryOutcome::Kind::kDelivered);
  EXPECT_EQ(slack.messagesIn("pod-crash-alerts").size(), 1u);

  ASSERT_EQ(run({"routes", "set", "shop", "shop-alerts"}).code, 0);
  EXPECT_EQ(jsonObject(run({"routes", "test", "shop", "-o", "json"}).out)->getValue<std::string>("channel"),
            "shop-alerts");
  afterRulesRefresh();
  crashIn("app");
  EXPECT_EQ(slack.messagesIn("shop-alerts").size(), 1u);

  ASSERT_EQ(run({"ignores", "add", "shop", "istio-proxy"}).code, 0);
  EXPECT_TRUE(jsonObject(run({"routes", "test", "shop", "--container", "istio-proxy", "-o", "json"}).out)
                  ->getValue<bool>("ignored"));
  afterRulesRefresh();
  crashIn("istio-proxy");
  EXPECT_EQ(slack.messages().size(), 2u);  // silenced

  ASSERT_EQ(run({"routes", "remove", "shop"}).code, 0);
  afterRulesRefresh();
  crashIn("app");
  EXPECT_EQ(slack.messagesIn("pod-crash-alerts").size(), 2u);
  EXPECT_EQ(slack.messagesIn("shop-alerts").size(), 1u);
}

INSTANTIATE_STORE_BACKEND_TESTS(PodmonctlTest);
INSTANTIATE_STORE_BACKEND_TESTS(PodmonctlCrashTest);

}  // namespace
}  // namespace podmon::cli
