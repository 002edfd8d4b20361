// CommandRunner on in-memory stores: argument checks happen before any store call, routes test
// answers with the deliverer's matching, and exit codes.
#include "cli/command_runner.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_errors.h"
#include "fakes/fake_stores.h"

namespace podmon::cli {
namespace {

// Records the calls; nothing should reach it when the input is bad.
class RecordingAdminStore : public store::AdminStore {
 public:
  store::RouteChange setRoute(const store::NotifyRoute& route, const std::string& actor) override {
    calls.push_back("setRoute " + route.clusterName + " " + route.namespace_ + " " + route.slackChannel + " " + actor);
    if (storedAs) return {"#old", true, {storedAs->clusterName, storedAs->namespace_, route.slackChannel}};
    return {std::nullopt, true, route};
  }
  std::optional<std::string> removeRoute(const std::string& cluster, const std::string& namespace_,
                                         const std::string&) override {
    calls.push_back("removeRoute " + cluster + " " + namespace_);
    return std::nullopt;
  }
  bool addIgnore(const store::IgnoreRule&, const std::string&) override {
    calls.push_back("addIgnore");
    return true;
  }
  bool removeIgnore(const store::IgnoreRule&, const std::string&) override {
    calls.push_back("removeIgnore");
    return false;
  }
  void recordAudit(const store::AuditEntry&) override { calls.push_back("audit"); }
  std::vector<store::AuditEntry> listAudit(int) override { return {}; }

  std::vector<std::string> calls;
  std::optional<store::NotifyRoute> storedAs;  // setRoute found the route in this spelling
};

class CommandRunnerTest : public ::testing::Test {
 protected:
  int run(std::vector<std::string> words, CliOptions options = {}) {
    out_.str("");
    err_.str("");
    CommandRunner runner({stores_.crashes, stores_.outbox, stores_.notifyRules, admin_}, settings_,
                         [] { return std::vector<int>{}; });
    return runner.run(Invocation{std::move(words), std::move(options)}, out_, err_);
  }

  // The fingerprint listings the crash repository was asked for.
  std::vector<std::string> fingerprintQueries() const {
    std::vector<std::string> described;
    for (const auto& query : stores_.crashes->fingerprintQueries) {
      described.push_back("listFingerprints " + query.cluster + " " + query.namespace_ + " " +
                          std::to_string(query.limit) + (query.since ? " since" : ""));
    }
    return described;
  }

  testing::FakeStores stores_;
  std::shared_ptr<RecordingAdminStore> admin_ = std::make_shared<RecordingAdminStore>();
  CliSettings settings_{"prod", "pod-crash-alerts", true, "alice"};
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CommandRunnerTest, BadInputNeverReachesTheStore) {
  EXPECT_EQ(run({"routes", "set", "Payments", "#pay"}), 2);
  EXPECT_EQ(run({"routes", "set", "payments", "not a channel"}), 2);
  EXPECT_EQ(run({"ignores", "add", "payments", "Bad_Name"}), 2);
  EXPECT_EQ(run({"routes", "remove", "-x"}), 2);
  settings_.defaultCluster = "";
  EXPECT_EQ(run({"routes", "set", "payments", "#pay"}), 2);
  EXPECT_TRUE(admin_->calls.empty());
  EXPECT_NE(err_.str().find("no cluster given"), std::string::npos);
}

TEST_F(CommandRunnerTest, ChangesGoThroughTheAdminStoreWithTheActor) {
  EXPECT_EQ(run({"route", "set", "payments", "#pay"}), 0);  // the singular works too
  CliOptions options;
  options.actor = "bob";
  options.cluster = "staging";
  options.given = {"--actor", "--cluster"};
  EXPECT_EQ(run({"routes", "set", "web", "C0123ABCD"}, options), 0);
  EXPECT_EQ(admin_->calls,
            (std::vector<std::string>{"setRoute prod payments #pay alice", "setRoute staging web C0123ABCD bob"}));
}

TEST_F(CommandRunnerTest, SettingARouteStoredInAnotherSpellingSaysSo) {
  admin_->storedAs = store::NotifyRoute{"Prod", "payments  ", ""};
  EXPECT_EQ(run({"routes", "set", "payments", "#pay"}), 0);
  EXPECT_EQ(out_.str(),
            "Route updated: crashes in prod/payments now go to #pay (was #old). The route is stored as "
            "'Prod'/'payments  ' (names match without regard to case and trailing spaces).\n");
}

TEST_F(CommandRunnerTest, RemovingWhatIsNotThereFails) {
  EXPECT_EQ(run({"routes", "remove", "payments"}), 1);
  EXPECT_EQ(err_.str(),
            "podmonctl: no route for namespace 'payments' in cluster 'prod': nothing removed (see "
            "podmonctl routes list)\n");
  EXPECT_EQ(run({"ignores", "remove", "payments", "app"}), 1);
}

TEST_F(CommandRunnerTest, RoutesTestUsesTheDeliverersPrecedence) {
  stores_.notifyRules->routes = {
      {"*", "*", "everything"}, {"prod", "pay*", "pay-any"}, {"prod", "payments", "payments"}};
  stores_.notifyRules->ignores = {{"prod", "payments", "istio-proxy"}};
  CliOptions json;
  json.output = OutputFormat::kJson;
  json.given = {"--output"};
  EXPECT_EQ(run({"routes", "test", "payments"}, json), 0);
  EXPECT_EQ(out_.str(),
            "{\"cluster\":\"prod\",\"namespace\":\"payments\",\"container\":null,\"channel\":\"payments\","
            "\"channel_source\":\"route\",\"ignored\":false,\"slack_notify\":true}\n");
  EXPECT_EQ(run({"routes", "test", "payroll"}), 0);
  EXPECT_EQ(out_.str(),
            "A crash in prod/payroll goes to pay-any (route).\n"
            "Ignore rules for single containers are not checked: pass --container NAME.\n");
  CliOptions sidecar;
  sidecar.container = "istio-proxy";
  sidecar.given = {"--container"};
  EXPECT_EQ(run({"routes", "test", "payments"}, sidecar), 0);
  EXPECT_EQ(out_.str(),
            "A crash in prod/payments container istio-proxy is recorded but sends no alert: an ignore "
            "rule matches.\n");
  EXPECT_EQ(run({"routes", "test", "pay*"}), 2);  // a pattern is not a namespace a crash can happen in
}

TEST_F(CommandRunnerTest, StoreFailuresExitWithOne) {
  stores_.setFailing(true);
  EXPECT_EQ(run({"routes", "list"}), 1);
  EXPECT_FALSE(err_.str().empty());
}

TEST_F(CommandRunnerTest, CrashesGroupedByFingerprint) {
  using std::chrono::system_clock;
  const auto first = system_clock::time_point(std::chrono::seconds(1714557600));  // 2024-05-01T10:00:00Z
  stores_.crashes->fingerprints = {
      {"0123456789abcdef", 12, first, first + std::chrono::hours(2), 4, 1, "Error", 1, "ghcr.io/acme/api:1"},
      {"fedcba9876543210", 1, first, first, 1, 1, "OOMKilled", 137, ""}};
  CliOptions options;
  options.groupBy = "fingerprint";
  options.namespace_ = "shop";
  options.since = "1d";
  options.given = {"--group-by", "--namespace", "--since"};
  EXPECT_EQ(run({"crashes", "list"}, options), 0) << err_.str();
  EXPECT_EQ(fingerprintQueries(), (std::vector<std::string>{"listFingerprints prod shop 50 since"}));
  EXPECT_TRUE(admin_->calls.empty());
  const std::string table = out_.str();
  EXPECT_EQ(
      table.substr(0, table.find('\n')),
      "FINGERPRINT       COUNT  FIRST SEEN            LAST SEEN             PODS  CLUSTERS  REASON     EXIT  IMAGE");
  EXPECT_NE(table.find("0123456789abcdef  12     2024-05-01T10:00:00Z  2024-05-01T12:00:00Z  4     1         Error     "
                       " 1     ghcr.io/acme/api:1"),
            std::string::npos)
      << table;

  options.output = OutputFormat::kJson;
  options.allClusters = true;
  options.namespace_.reset();
  options.since.reset();
  options.given = {"--group-by", "--output", "--all-clusters"};
  EXPECT_EQ(run({"crashes", "list"}, options), 0) << err_.str();
  EXPECT_EQ(fingerprintQueries().back(), "listFingerprints   50");
  EXPECT_NE(out_.str().find("{\"fingerprint\":\"fedcba9876543210\",\"count\":1,"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("\"sample_exit_code\":137,\"sample_image\":null}"), std::string::npos) << out_.str();

  stores_.crashes->fingerprints.clear();
  options.output = OutputFormat::kTable;
  EXPECT_EQ(run({"crashes", "list"}, options), 0);
  EXPECT_EQ(out_.str(), "No crash fingerprints recorded.\n");
}

TEST_F(CommandRunnerTest, GroupByTakesOnlyFingerprintAndOnlyOnCrashesList) {
  CliOptions options;
  options.groupBy = "pod";
  options.given = {"--group-by"};
  EXPECT_EQ(run({"crashes", "list"}, options), 2);
  EXPECT_EQ(err_.str(), "podmonctl: --group-by 'pod' is not one of: fingerprint (see podmonctl --help)\n");
  options.groupBy = "fingerprint";
  EXPECT_EQ(run({"routes", "list"}, options), 2);
  EXPECT_NE(err_.str().find("--group-by does not apply to routes list"), std::string::npos) << err_.str();
  EXPECT_TRUE(admin_->calls.empty());
  EXPECT_TRUE(fingerprintQueries().empty());
}

TEST_F(CommandRunnerTest, CheckUsageTouchesNothing) {
  EXPECT_NO_THROW(CommandRunner::checkUsage({{"routes", "list"}, {}}));
  EXPECT_THROW(CommandRunner::checkUsage({{"routes", "sett"}, {}}), UsageException);
  EXPECT_THROW(CommandRunner::checkUsage({{"migrate", "now"}, {}}), UsageException);
  EXPECT_THROW(CommandRunner::checkUsage({{}, {}}), UsageException);
}

}  // namespace
}  // namespace podmon::cli
