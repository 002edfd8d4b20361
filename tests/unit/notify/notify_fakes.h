#pragma once

// Hand-written fakes for the Slack deliverer's dependencies: a manual clock, a scripted Slack
// client, an in-memory alert state store and a rule source that serves routes and ignores.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/errors.h"
#include "fakes/fake_notify_rule_source.h"
#include "fakes/manual_clock.h"
#include "notify/slack_client.h"
#include "store/alert_state_store.h"
#include "store/outbox_item.h"

namespace podmon::notify::fakes {

using ManualClock = podmon::testing::ManualClock;

// Answers posts from a script (default: ok:true with channel C-<name> and an increasing ts).
class FakeSlackClient : public notify::SlackClient {
 public:
  explicit FakeSlackClient(bool webhook = false) : webhook_(webhook) {}

  notify::SlackHttpResponse post(const std::string& jsonBody) override {
    std::lock_guard lock(mutex_);
    bodies.push_back(jsonBody);
    if (!script.empty()) {
      auto next = script.front();
      script.pop_front();
      if (next.status < 0) throw SinkException("connection refused");
      return next;
    }
    if (webhook_) return {200, "ok", std::nullopt};
    const std::string ts = "1700000000." + std::to_string(100000 + bodies.size());
    return {200, R"({"ok":true,"channel":"C-)" + channelOf(jsonBody) + R"(","ts":")" + ts + R"("})", std::nullopt};
  }
  // chat.update: from updateScript, else ok:true with the body's channel and ts.
  notify::SlackHttpResponse update(const std::string& jsonBody) override {
    std::lock_guard lock(mutex_);
    if (webhook_) throw SinkException("a webhook cannot update");
    updates.push_back(jsonBody);
    if (!updateScript.empty()) {
      auto next = updateScript.front();
      updateScript.pop_front();
      if (next.status < 0) throw SinkException("connection refused");
      return next;
    }
    return {200,
            R"({"ok":true,"channel":")" + field(jsonBody, "channel") + R"(","ts":")" + field(jsonBody, "ts") + R"("})",
            std::nullopt};
  }
  bool usesWebhook() const override { return webhook_; }
  std::string describe() const override { return "fake"; }

  // A string field of a request body (crude, enough for our bodies).
  static std::string field(const std::string& body, const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const auto at = body.find(key);
    if (at == std::string::npos) return "";
    const auto end = body.find('"', at + key.size());
    return body.substr(at + key.size(), end - at - key.size());
  }

  // The "channel" of a request body (crude, enough for our bodies).
  static std::string channelOf(const std::string& body) {
    const std::string key = R"("channel":")";
    const auto at = body.find(key);
    if (at == std::string::npos) return "";
    const auto end = body.find('"', at + key.size());
    return body.substr(at + key.size(), end - at - key.size());
  }

  std::deque<notify::SlackHttpResponse> script;  // status -1: throw (no answer)
  std::vector<std::string> bodies;
  std::deque<notify::SlackHttpResponse> updateScript;  // the same for chat.update
  std::vector<std::string> updates;

 private:
  std::mutex mutex_;
  bool webhook_;
};

class InMemoryAlertStateStore : public store::AlertStateStore {
 public:
  std::optional<store::AlertState> load(const std::string& key) override {
    if (failing) throw StoreException("database down");
    auto it = rows.find(key);
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  void save(const store::AlertState& state) override {
    if (failing || failSaves) throw StoreException("database down");
    rows[state.key] = state;
  }
  void saveHandled(const store::AlertState& state, std::int64_t outboxId) override {
    save(state);
    handled.push_back(outboxId);
  }
  std::map<std::string, store::AlertState> rows;
  std::vector<std::int64_t> handled;  // outbox items saveHandled() marked done, in order
  bool failing = false;
  bool failSaves = false;  // reads work, writes throw (MySQL lost between a read and a write)
};

// Serves routes and ignores from vectors.
using FakeNotifyRuleSource = podmon::testing::FakeNotifyRuleSource;

// A sample crash as the outbox hands it over.
inline store::OutboxItem sampleItem(std::int64_t id, std::chrono::system_clock::time_point at,
                                    const std::string& pod = "web-7d9f8-abcde") {
  store::OutboxItem item;
  item.id = id;
  item.sink = store::Sink::kSlack;
  item.attempts = 1;
  item.crash.id = id + 1000;
  auto& e = item.crash.record.event;
  e.clusterName = "prod";
  e.namespace_ = "shop";
  e.podName = pod;
  e.containerName = "app";
  e.ownerKind = "Deployment";
  e.ownerName = "web";
  e.nodeName = "node-1";
  e.reason = "OOMKilled";
  e.exitCode = 137;
  e.restartCount = static_cast<int>(id);
  e.detectedAt = at;
  item.crash.record.logs = "starting\nallocating <lots> & more\nkilled\n";
  item.crash.record.logsStatus = "ok";
  return item;
}

}  // namespace podmon::notify::fakes
