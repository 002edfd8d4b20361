// CommandRunner on in-memory stores: argument checks happen before any store call, routes test
// answers with the deliverer's matching, and exit codes.
#include "cli/command_runner.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_errors.h"
#include "fakes/fake_crash_store.h"

namespace podmon::cli {
namespace {

// Records the calls; nothing should reach it when the input is bad.
class RecordingAdminStore : public AdminStore {
 public:
  RouteChange setRoute(const store::NotifyRoute& route, const std::string& actor) override {
    calls.push_back("setRoute " + route.clusterName + " " + route.namespace_ + " " + route.slackChannel + " " + actor);
    return {std::nullopt, true};
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
  std::int64_t retryDeadOutbox(std::optional<store::Sink>, const std::string&) override {
    calls.push_back("retry");
    return 0;
  }
  void recordAudit(const AuditEntry&) override { calls.push_back("audit"); }
  std::vector<AuditEntry> listAudit(int) override { return {}; }

  std::vector<std::string> calls;
};

class CommandRunnerTest : public ::testing::Test {
 protected:
  int run(std::vector<std::string> words, CliOptions options = {}) {
    out_.str("");
    err_.str("");
    CommandRunner runner(store_, admin_, settings_);
    return runner.run(Invocation{std::move(words), std::move(options)}, out_, err_);
  }

  std::shared_ptr<testing::FakeCrashStore> store_ = std::make_shared<testing::FakeCrashStore>();
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

TEST_F(CommandRunnerTest, RemovingWhatIsNotThereFails) {
  EXPECT_EQ(run({"routes", "remove", "payments"}), 1);
  EXPECT_EQ(err_.str(), "podmonctl: no route for namespace 'payments' in cluster 'prod': nothing removed (see "
                        "podmonctl routes list)\n");
  EXPECT_EQ(run({"ignores", "remove", "payments", "app"}), 1);
}

TEST_F(CommandRunnerTest, RoutesTestUsesTheDeliverersPrecedence) {
  store_->setRoute({"*", "*", "everything"});
  store_->setRoute({"prod", "pay*", "pay-any"});
  store_->setRoute({"prod", "payments", "payments"});
  store_->addIgnore({"prod", "payments", "istio-proxy"});
  CliOptions json;
  json.output = OutputFormat::kJson;
  json.given = {"--output"};
  EXPECT_EQ(run({"routes", "test", "payments"}, json), 0);
  EXPECT_EQ(out_.str(),
            "{\"cluster\":\"prod\",\"namespace\":\"payments\",\"container\":null,\"channel\":\"payments\","
            "\"channel_source\":\"route\",\"ignored\":false,\"slack_notify\":true}\n");
  EXPECT_EQ(run({"routes", "test", "payroll"}), 0);
  EXPECT_EQ(out_.str(), "A crash in prod/payroll goes to pay-any (route).\n"
                        "Ignore rules for single containers are not checked: pass --container NAME.\n");
  CliOptions sidecar;
  sidecar.container = "istio-proxy";
  sidecar.given = {"--container"};
  EXPECT_EQ(run({"routes", "test", "payments"}, sidecar), 0);
  EXPECT_EQ(out_.str(), "A crash in prod/payments container istio-proxy is recorded but sends no alert: an ignore "
                        "rule matches.\n");
  EXPECT_EQ(run({"routes", "test", "pay*"}), 2);  // a pattern is not a namespace a crash can happen in
}

TEST_F(CommandRunnerTest, StoreFailuresExitWithOne) {
  store_->setFailing(true);
  EXPECT_EQ(run({"routes", "list"}), 1);
  EXPECT_FALSE(err_.str().empty());
}

TEST_F(CommandRunnerTest, CheckUsageTouchesNothing) {
  EXPECT_NO_THROW(CommandRunner::checkUsage({{"routes", "list"}, {}}));
  EXPECT_THROW(CommandRunner::checkUsage({{"routes", "sett"}, {}}), UsageException);
  EXPECT_THROW(CommandRunner::checkUsage({{"migrate", "now"}, {}}), UsageException);
  EXPECT_THROW(CommandRunner::checkUsage({{}, {}}), UsageException);
}

}  // namespace
}  // namespace podmon::cli
