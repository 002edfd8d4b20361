#include "pipeline/outbox_worker.h"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <thread>

#include "fakes/fake_stores.h"
#include "fakes/manual_clock.h"
#include "unit/index/sample_crash.h"

namespace podmon::pipeline {
namespace {

using namespace std::chrono_literals;
using delivery::DeliveryOutcome;
using delivery::OutboxDeliverer;
using Kind = DeliveryOutcome::Kind;

DeliveryOutcome outcome(Kind kind, std::string cause = "", bool deferred = false) {
  DeliveryOutcome o;
  o.kind = kind;
  o.error = cause.empty() ? "" : "failed: " + cause;
  o.cause = std::move(cause);
  o.deferred = deferred;
  return o;
}

// Answers each batch from a script; throws when told to.
class ScriptedDeliverer : public OutboxDeliverer {
 public:
  store::Sink sink() const override { return store::Sink::kElasticsearch; }
  std::size_t batchSize() const override { return batch; }
  std::vector<DeliveryOutcome> deliver(const std::vector<store::OutboxItem>& items) override {
    if (onDeliver) onDeliver(items);
    if (throwNext) throw std::runtime_error("socket closed");
    std::vector<DeliveryOutcome> result(script.begin(),
                                        script.begin() + static_cast<long>(std::min(items.size(), script.size())));
    return result;
  }
  std::vector<DeliveryOutcome> script;
  bool throwNext = false;
  std::size_t batch = 10;
  std::function<void(const std::vector<store::OutboxItem>&)> onDeliver;
};

class OutboxWorkerTest : public ::testing::Test {
 protected:
  OutboxWorkerTest()
      : clock_(std::make_shared<testing::ManualClock>()),
        store_(std::make_shared<testing::FakeStores>(clock_, std::vector<store::Sink>{store::Sink::kElasticsearch})),
        deliverer_(std::make_shared<ScriptedDeliverer>()),
        worker_(store_->outbox, deliverer_, OutboxWorkerOptions{}, clock_) {
    worker_.setObserver([this](const store::OutboxItem& item, const DeliveryOutcome& o) {
      seen_.push_back({item.id, o.kind, o.cause, clock_->now() - item.createdAt});
    });
  }

  void recordCrashes(int n) {
    for (int i = 0; i < n; ++i) {
      auto record = index::testing::sampleCrash().record;
      record.event.restartCount = 10 + i;  // a distinct crash key each
      record.event.containerId = "containerd://" + std::to_string(i);
      ASSERT_TRUE(store_->crashes->recordCrash(record).isNew);
    }
  }
  std::string state(std::int64_t id) const {
    for (const auto& row : store_->outbox->outbox()) {
      if (row.id == id) return row.state;
    }
    return "missing";
  }

  struct Seen {
    std::int64_t id;
    Kind kind;
    std::string cause;
    std::chrono::system_clock::duration age;
  };
  std::shared_ptr<testing::ManualClock> clock_;
  std::shared_ptr<testing::FakeStores> store_;
  std::shared_ptr<ScriptedDeliverer> deliverer_;
  OutboxWorker worker_;
  std::vector<Seen> seen_;
};

TEST_F(OutboxWorkerTest, EachOutcomeIsRecordedCountedAndObservedAfterTheOutboxHoldsIt) {
  recordCrashes(4);
  clock_->advance(250ms);
  deliverer_->script = {outcome(Kind::kDelivered), outcome(Kind::kRetry, "item_429"), outcome(Kind::kDead, "item_400"),
                        outcome(Kind::kRetry, "held", /*deferred=*/true)};
  EXPECT_EQ(worker_.runOnce(), 4u);

  EXPECT_EQ(state(1), "done");
  EXPECT_EQ(state(2), "pending");  // retried later
  EXPECT_EQ(state(3), "dead");
  EXPECT_EQ(state(4), "pending");
  EXPECT_EQ(worker_.delivered(), 1u);
  EXPECT_EQ(worker_.retried(), 2u);
  EXPECT_EQ(worker_.dead(), 1u);

  ASSERT_EQ(seen_.size(), 4u);
  // Failures as they are marked, then the batch's deliveries once they are marked together.
  EXPECT_EQ(seen_[0].id, 2);
  EXPECT_EQ(seen_[0].cause, "item_429");
  EXPECT_EQ(seen_[1].id, 3);
  EXPECT_EQ(seen_[1].kind, Kind::kDead);
  EXPECT_EQ(seen_[2].id, 4);
  EXPECT_EQ(seen_[3].id, 1);
  EXPECT_EQ(seen_[3].kind, Kind::kDelivered);
  EXPECT_EQ(seen_[3].age, 250ms);  // stored to delivered, for the delivery latency
}

TEST_F(OutboxWorkerTest, ADelivererThatThrowsRetriesTheWholeBatchWithCauseError) {
  recordCrashes(2);
  deliverer_->throwNext = true;
  EXPECT_EQ(worker_.runOnce(), 2u);
  EXPECT_EQ(worker_.retried(), 2u);
  ASSERT_EQ(seen_.size(), 2u);
  for (const auto& s : seen_) {
    EXPECT_EQ(s.kind, Kind::kRetry);
    EXPECT_EQ(s.cause, "error");
  }
  for (const auto& row : store_->outbox->outbox()) EXPECT_EQ(row.lastError, "socket closed");
}

TEST_F(OutboxWorkerTest, MissingOutcomesAreRetriesNeverDeliveries) {
  recordCrashes(3);
  deliverer_->script = {outcome(Kind::kDelivered)};  // one outcome for three items
  EXPECT_EQ(worker_.runOnce(), 3u);
  EXPECT_EQ(worker_.delivered(), 1u);
  EXPECT_EQ(worker_.retried(), 2u);
  EXPECT_EQ(state(2), "pending");
  EXPECT_EQ(state(3), "pending");
}

TEST_F(OutboxWorkerTest, NothingIsObservedWhenTheStoreCannotMarkTheOutcome) {
  recordCrashes(1);
  deliverer_->script = {outcome(Kind::kDelivered)};
  store_->setFailing(true);  // claim fails first: the batch is not even taken
  EXPECT_THROW(worker_.runOnce(), StoreException);
  EXPECT_TRUE(seen_.empty());
  store_->setFailing(false);
  EXPECT_EQ(worker_.runOnce(), 1u);
  EXPECT_EQ(seen_.size(), 1u);
}

// Overlapped rounds: batches of 2, the next one claimed while this one is delivered.
class OverlappedOutboxWorkerTest : public OutboxWorkerTest {
 protected:
  OverlappedOutboxWorkerTest() : overlapped_(store_->outbox, deliverer_, overlapping(), clock_) {
    deliverer_->batch = 2;
    deliverer_->script.assign(2, outcome(Kind::kDelivered));
  }
  static OutboxWorkerOptions overlapping() {
    OutboxWorkerOptions options;
    options.overlapClaims = true;
    return options;
  }
  int attempts(std::int64_t id) const {
    for (const auto& row : store_->outbox->outbox()) {
      if (row.id == id) return row.attempts;
    }
    return -1;
  }
  // Whether row `id` gets leased within 5 s (the claim ahead runs on another thread).
  bool leasedSoon(std::int64_t id) const {
    for (int i = 0; i < 500 && attempts(id) == 0; ++i) std::this_thread::sleep_for(10ms);
    return attempts(id) == 1;
  }
  OutboxWorker overlapped_;
};

TEST_F(OverlappedOutboxWorkerTest, ClaimsTheNextBatchWhileDeliveringAndDeliversEachItemOnceInOrder) {
  recordCrashes(5);
  std::vector<std::int64_t> order;
  std::vector<bool> nextLeasedDuringDelivery;
  deliverer_->onDeliver = [&](const std::vector<store::OutboxItem>& items) {
    for (const auto& item : items) order.push_back(item.id);
    const std::int64_t nextId = items.back().id + 1;
    if (nextId <= 5) nextLeasedDuringDelivery.push_back(leasedSoon(nextId));
  };
  EXPECT_EQ(overlapped_.runOverlapped(), 2u);
  EXPECT_EQ(overlapped_.runOverlapped(), 2u);
  EXPECT_EQ(overlapped_.runOverlapped(), 1u);
  EXPECT_EQ(overlapped_.runOverlapped(), 0u);
  EXPECT_EQ(order, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(nextLeasedDuringDelivery, (std::vector<bool>{true, true}));
  for (std::int64_t id = 1; id <= 5; ++id) {
    EXPECT_EQ(state(id), "done") << id;
    EXPECT_EQ(attempts(id), 1) << id;  // claimed once: no row was handed out twice
  }
  EXPECT_EQ(overlapped_.delivered(), 5u);
  EXPECT_EQ(store_->outbox->released, 0u);
}

TEST_F(OverlappedOutboxWorkerTest, StoppingGivesTheBatchClaimedAheadBackDueNow) {
  recordCrashes(4);
  EXPECT_EQ(overlapped_.runOverlapped(), 2u);
  ASSERT_TRUE(leasedSoon(3));
  clock_->advance(1s);
  overlapped_.stop();
  EXPECT_EQ(store_->outbox->released, 2u);
  for (std::int64_t id : {3, 4}) {
    EXPECT_EQ(state(id), "pending") << id;
    EXPECT_EQ(attempts(id), 0) << id;  // the claim's attempt is undone
  }
  // Due now for the next worker, not after the lease.
  auto again = store_->outbox->claimOutbox(store::Sink::kElasticsearch, 10, 1min);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].id, 3);
  EXPECT_EQ(again[1].attempts, 1);
}

TEST_F(OverlappedOutboxWorkerTest, AWholeBatchFailingGivesTheBatchClaimedAheadBack) {
  recordCrashes(4);
  deliverer_->script.assign(2, outcome(Kind::kRetry, "http_503"));
  EXPECT_EQ(overlapped_.runOverlapped(), 2u);
  EXPECT_EQ(overlapped_.retried(), 2u);
  EXPECT_EQ(store_->outbox->released, 2u);
  EXPECT_EQ(attempts(3), 0);
  EXPECT_EQ(attempts(4), 0);
  // The next round claims afresh (3 and 4 are due; 1 and 2 wait for their retry).
  deliverer_->script.assign(2, outcome(Kind::kDelivered));
  EXPECT_EQ(overlapped_.runOverlapped(), 2u);
  EXPECT_EQ(state(3), "done");
  EXPECT_EQ(state(4), "done");
  EXPECT_EQ(state(1), "pending");
}

TEST(OutboxWorkerRetryDelay, DoublesFromTheBaseUpToTheCapAndHonoursRetryAfter) {
  OutboxWorkerOptions o;
  o.retryBase = 2s;
  o.retryMax = 10s;
  EXPECT_EQ(OutboxWorker::retryDelay(1, o, std::nullopt), 2s);
  EXPECT_EQ(OutboxWorker::retryDelay(2, o, std::nullopt), 4s);
  EXPECT_EQ(OutboxWorker::retryDelay(3, o, std::nullopt), 8s);
  EXPECT_EQ(OutboxWorker::retryDelay(4, o, std::nullopt), 10s);
  EXPECT_EQ(OutboxWorker::retryDelay(40, o, std::nullopt), 10s);
  EXPECT_EQ(OutboxWorker::retryDelay(3, o, 30s), 30s);
}

TEST(OutboxWorkerRetryDelay, BackoffDelaysGetJitterAndRetryAfterIsKept) {
  OutboxWorkerOptions o;
  o.retryBase = 2s;
  o.retryMax = 10s;
  o.retryJitter = 0.5;
  EXPECT_EQ(OutboxWorker::retryDelay(1, o, std::nullopt, 0.5), 2500ms);
  EXPECT_EQ(OutboxWorker::retryDelay(4, o, std::nullopt, 0.999), 14995ms);
  EXPECT_EQ(OutboxWorker::retryDelay(1, o, std::nullopt, 7.0), 3s);  // out of range: clamped
  EXPECT_EQ(OutboxWorker::retryDelay(1, o, 30s, 0.9), 30s);
}

}  // namespace
}  // namespace podmon::pipeline
