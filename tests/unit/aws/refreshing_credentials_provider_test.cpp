// RefreshingCredentialsProvider over a scripted source on a ManualClock: when a refresh is due,
// the jitter's bounds, keeping valid credentials through failures with backoff, the error once
// they expired, invalidate(), and credentials that arrive expired.
#include "aws/refreshing_credentials_provider.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>

#include "fakes/manual_clock.h"

namespace podmon::aws {
namespace {

using namespace std::chrono_literals;

// Answers each fetch() with the next scripted step: credentials living `lifetime` from now, or an error.
class ScriptedSource : public CredentialsSource {
 public:
  explicit ScriptedSource(std::shared_ptr<testing::ManualClock> clock) : clock_(std::move(clock)) {}
  void succeed(std::chrono::seconds lifetime) { steps_.push_back(lifetime); }
  void fail() { steps_.push_back(std::nullopt); }
  AwsCredentials fetch() override {
    ++calls;
    if (steps_.empty()) throw CredentialsError("scripted source: no step left");
    const auto step = steps_.front();
    steps_.pop_front();
    if (!step) throw CredentialsError("scripted source: refused");
    return {"ASIA" + std::to_string(calls), "secret-" + std::to_string(calls), "token", clock_->now() + *step};
  }
  std::string describe() const override { return "scripted source"; }
  int calls = 0;

 private:
  std::shared_ptr<testing::ManualClock> clock_;
  std::deque<std::optional<std::chrono::seconds>> steps_;
};

class RefreshingCredentialsProviderTest : public ::testing::Test {
 protected:
  RefreshingCredentialsProvider make(std::uint32_t seed = 1) {
    RefreshingCredentialsProvider::Options options;
    options.seed = seed;
    return RefreshingCredentialsProvider(source_, clock_, options);
  }
  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  std::shared_ptr<ScriptedSource> source_ = std::make_shared<ScriptedSource>(clock_);
};

TEST_F(RefreshingCredentialsProviderTest, RefreshesFiveToSixMinutesBeforeExpiry) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    source_->calls = 0;
    source_->succeed(3600s);
    source_->succeed(3600s);
    auto provider = make(seed);
    EXPECT_EQ(provider.credentials().accessKeyId, "ASIA1");
    clock_->advance(54min - 1s);  // 6 min and 1 s before expiry: not yet
    EXPECT_EQ(provider.credentials().accessKeyId, "ASIA1");
    clock_->advance(1min + 2s);  // 4 min 59 s before expiry: due whatever the jitter
    EXPECT_EQ(provider.credentials().accessKeyId, "ASIA2");
    EXPECT_EQ(source_->calls, 2);
  }
}

TEST_F(RefreshingCredentialsProviderTest, ShortLivedCredentialsAreRefreshedAtHalfTheirLife) {
  source_->succeed(120s);
  source_->succeed(120s);
  auto provider = make();
  provider.credentials();
  clock_->advance(59s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA1");
  clock_->advance(2s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA2");
}

TEST_F(RefreshingCredentialsProviderTest, FailuresKeepValidCredentialsWithGrowingBackoff) {
  source_->succeed(600s);
  auto provider = make();
  provider.credentials();
  clock_->advance(301s);  // due (half of 10 min is 5 min)
  for (int i = 0; i < 4; ++i) source_->fail();
  source_->succeed(600s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA1");  // failure 1, backoff 1-2 s
  EXPECT_EQ(source_->calls, 2);
  clock_->advance(2s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA1");  // failure 2, backoff 2-4 s
  EXPECT_EQ(source_->calls, 3);
  clock_->advance(1s);
  provider.credentials();
  EXPECT_EQ(source_->calls, 3);  // still backing off
  clock_->advance(3s);
  provider.credentials();  // failure 3
  clock_->advance(8s);
  provider.credentials();  // failure 4
  EXPECT_EQ(source_->calls, 5);
  clock_->advance(16s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA6");
}

TEST_F(RefreshingCredentialsProviderTest, ExpiredAndFailingThrowsNamingSourceCauseAndExpiry) {
  source_->succeed(600s);
  auto provider = make();
  provider.credentials();
  clock_->advance(601s);
  source_->fail();
  try {
    provider.credentials();
    FAIL() << "expired credentials handed out";
  } catch (const CredentialsError& e) {
    EXPECT_EQ(std::string(e.what()),
              "scripted source: refused (the credentials it gave before expired at "
              "2024-05-01T10:10:00Z)");
  }
  try {
    provider.credentials();
    FAIL() << "no error while backing off";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("next try in"), std::string::npos) << e.what();
  }
  EXPECT_EQ(source_->calls, 2);
}

TEST_F(RefreshingCredentialsProviderTest, NoCredentialsYetAndAFailureThrows) {
  source_->fail();
  auto provider = make();
  EXPECT_THROW(provider.credentials(), CredentialsError);
  source_->succeed(600s);
  clock_->advance(2s);
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA2");
}

TEST_F(RefreshingCredentialsProviderTest, InvalidateForcesARefresh) {
  source_->succeed(3600s);
  source_->succeed(3600s);
  auto provider = make();
  provider.credentials();
  provider.invalidate();
  EXPECT_EQ(provider.credentials().accessKeyId, "ASIA2");
  EXPECT_EQ(provider.describe(), "scripted source");
}

TEST_F(RefreshingCredentialsProviderTest, CredentialsThatArriveExpiredAreAnError) {
  source_->succeed(0s);
  auto provider = make();
  try {
    provider.credentials();
    FAIL() << "no error";
  } catch (const CredentialsError& e) {
    EXPECT_NE(std::string(e.what()).find("expired already"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace podmon::aws
