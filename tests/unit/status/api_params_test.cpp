#include "status/api_params.h"

#include <gtest/gtest.h>

namespace podmon::status::api_params {
namespace {

using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'714'557'600));  // 2024-05-01T10:00Z

TEST(ApiParams, SinceIsBoundedRfc3339OrADurationBack) {
  EXPECT_EQ(parseSince("1h", kNow), kNow - 1h);
  EXPECT_EQ(parseSince("0", kNow), kNow);
  EXPECT_EQ(parseSince("3650d", kNow), kNow - std::chrono::hours(24 * 3650));
  EXPECT_EQ(parseSince("2024-05-01T09:00:00Z", kNow), kNow - 1h);
  EXPECT_EQ(parseSince("2200-01-01T00:00:00Z", kNow) > kNow, true);
  for (const char* bad :
       {"999999999d", "3651d", "999999999d999999999d999999999d999999999d999999999d999999999d", "9999-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z", "2262-04-12T00:00:00Z", "yesterday", "-1h", "", "1y", "2024-13-01T00:00:00Z"}) {
    EXPECT_THROW(parseSince(bad, kNow), ApiParamError) << bad;
  }
}

TEST(ApiParams, LimitFromOneToTheMaximum) {
  EXPECT_EQ(parseLimit("1", 500), 1);
  EXPECT_EQ(parseLimit("500", 500), 500);
  for (const char* bad : {"0", "501", "-1", "1e3", "", " 5", "99999999999999999999"}) {
    EXPECT_THROW(parseLimit(bad, 500), ApiParamError) << bad;
  }
}

TEST(ApiParams, NamesAreKubernetesNames) {
  EXPECT_EQ(checkNamespace("kube-system"), "kube-system");
  EXPECT_EQ(checkName("web.v2-1"), "web.v2-1");
  for (const char* bad : {"", "Shop", "-shop", "shop-", "sh_op", "shop.v2", "a/b", "%2e%2e"}) {
    EXPECT_THROW(checkNamespace(bad), ApiParamError) << bad;
  }
  EXPECT_THROW(checkNamespace(std::string(64, 'a')), ApiParamError);
  EXPECT_NO_THROW(checkNamespace(std::string(63, 'a')));
  EXPECT_THROW(checkName(std::string(254, 'a')), ApiParamError);
  EXPECT_THROW(checkName("web'--"), ApiParamError);
}

TEST(ApiParams, CrashListRejectsUnknownParametersAndKeepsDefaults) {
  ApiRequest r;
  r.query = {{"token", "t"}, {"namespace", ""}};
  auto p = parseCrashList(r, kNow, 500);
  EXPECT_EQ(p.namespace_, "");
  EXPECT_EQ(p.limit, 50);
  EXPECT_FALSE(p.since);
  EXPECT_FALSE(p.includeLogs);
  r.query = {{"namespace", "shop"}, {"since", "10m"}, {"limit", "7"}, {"include_logs", "true"}};
  p = parseCrashList(r, kNow, 500);
  EXPECT_EQ(p.namespace_, "shop");
  EXPECT_EQ(p.since, kNow - 10min);
  EXPECT_EQ(p.limit, 7);
  EXPECT_TRUE(p.includeLogs);
  r.query = {{"cursor", "x"}};
  EXPECT_THROW(parseCrashList(r, kNow, 500), ApiParamError);
  r.query = {{"include_logs", "1"}};
  EXPECT_THROW(parseCrashList(r, kNow, 500), ApiParamError);
}

}  // namespace
}  // namespace podmon::status::api_params
