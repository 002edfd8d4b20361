#include "cli/name_rules.h"

#include <gtest/gtest.h>

#include "cli/cli_errors.h"

namespace podmon::cli {
namespace {

std::string errorOf(void (*check)(const std::string&), const std::string& value) {
  try {
    check(value);
  } catch (const UsageException& e) {
    return e.message();
  }
  return "";
}

TEST(NameRulesTest, NamespacesAreDnsLabelsStarsOrPatterns) {
  for (const char* ok : {"payments", "a", "team-1", "1abc", "*", "team-*", "*-canary", "a*b",
                         "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc"}) {
    EXPECT_EQ(errorOf(validateNamespace, ok), "") << ok;
  }
  for (const char* bad : {"", "Payments", "pay_ments", "-pay", "pay-", "pay.ments", "pay ments", "-*", "p\xc3\xa4y",
                          "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"}) {
    EXPECT_NE(errorOf(validateNamespace, bad), "") << bad;
  }
  EXPECT_EQ(errorOf(validateNamespace, "Pay"),
            "namespace 'Pay' is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a "
            "letter or digit), '*', or such a name with '*' wildcards");
  EXPECT_EQ(errorOf(validateNamespace, "a\nb"), errorOf(validateNamespace, "a\nb"));
  EXPECT_NE(errorOf(validateNamespace, "a\nb").find("'a?b'"), std::string::npos);  // no raw control characters
}

TEST(NameRulesTest, ContainersFollowTheSameRules) {
  EXPECT_EQ(errorOf(validateContainer, "istio-proxy"), "");
  EXPECT_EQ(errorOf(validateContainer, "*"), "");
  EXPECT_NE(errorOf(validateContainer, "Istio_Proxy").find("container 'Istio_Proxy'"), std::string::npos);
}

TEST(NameRulesTest, ChannelsAreNamesOrIds) {
  for (const char* ok :
       {"#pay-alerts", "pay-alerts", "#a", "alerts_2024", "team.alerts", "C0123ABCD", "G01234567", "D0123456789"}) {
    EXPECT_EQ(errorOf(validateChannel, ok), "") << ok;
  }
  for (const char* bad : {"", "#", "##x", "#Pay", "pay alerts", "C0123", "@someone", "#pay,x"}) {
    EXPECT_NE(errorOf(validateChannel, bad), "") << bad;
  }
  EXPECT_NE(errorOf(validateChannel, "#" + std::string(81, 'a')), "");
}

TEST(NameRulesTest, Clusters) {
  for (const char* ok : {"prod", "prod-eu-1", "Prod_EU", "gke:europe/prod", "*", "prod-*"}) {
    EXPECT_EQ(errorOf(validateCluster, ok), "") << ok;
  }
  for (const char* bad : {"prod eu", "-prod", "prod;drop", "prod'"}) {
    EXPECT_NE(errorOf(validateCluster, bad), "") << bad;
  }
  EXPECT_EQ(errorOf(validateCluster, ""),
            "no cluster given: pass --cluster NAME or set CLUSTER_NAME (environment, flag or --config)");
}

}  // namespace
}  // namespace podmon::cli
