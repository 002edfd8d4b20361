#pragma once

#include <memory>
#include <vector>

#include "core/clock.h"
#include "fakes/fake_container_state_store.h"
#include "fakes/fake_crash_repository.h"
#include "fakes/fake_notify_rule_source.h"
#include "fakes/fake_outbox.h"
#include "fakes/fake_retention_store.h"

namespace podmon::testing {

// The in-memory stores of one process wired together as store::openStore wires the SQL ones: a
// recorded crash saves its container's state and fills the outbox. setFailing() fails them all,
// as MySQL going down does.
struct FakeStores {
  explicit FakeStores(Clock::Ptr clock = SystemClock::instance(),
                      std::vector<store::Sink> sinks = {store::Sink::kElasticsearch, store::Sink::kSlack})
      : containerStates(std::make_shared<FakeContainerStateStore>()),
        outbox(std::make_shared<FakeOutbox>(clock, std::move(sinks))),
        crashes(std::make_shared<FakeCrashRepository>(clock, containerStates, outbox)),
        notifyRules(std::make_shared<FakeNotifyRuleSource>()),
        retention(std::make_shared<FakeRetentionStore>()) {}

  void setFailing(bool failing) {
    containerStates->setFailing(failing);
    outbox->setFailing(failing);
    crashes->setFailing(failing);
    notifyRules->failing = failing;
    retention->setFailing(failing);
  }

  FakeContainerStateStore::Ptr containerStates;
  FakeOutbox::Ptr outbox;
  FakeCrashRepository::Ptr crashes;
  std::shared_ptr<FakeNotifyRuleSource> notifyRules;
  FakeRetentionStore::Ptr retention;
};

}  // namespace podmon::testing
