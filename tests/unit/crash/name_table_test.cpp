#include "crash/name_table.h"

#include <gtest/gtest.h>

namespace podmon::crash {
namespace {

TEST(NameTable, OneNameIsKeptOnceForAllItsUsers) {
  NameTable names;
  const uint32_t a = names.acquire("sidecar-proxy");
  const uint32_t b = names.acquire(std::string("sidecar-") + "proxy");
  const uint32_t c = names.acquire("app");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(names.name(a), "sidecar-proxy");
  EXPECT_EQ(names.name(c), "app");
  EXPECT_EQ(names.size(), 2u);
}

TEST(NameTable, ANameIsForgottenWithItsLastReferenceAndItsIdReused) {
  NameTable names;
  const uint32_t a = names.acquire("team-1");
  names.acquire("team-1");
  names.release(a);
  EXPECT_EQ(names.size(), 1u);
  EXPECT_EQ(names.name(a), "team-1");
  names.release(a);
  EXPECT_EQ(names.size(), 0u);
  names.release(a);  // once too often: ignored
  const uint32_t b = names.acquire("team-2");
  EXPECT_EQ(b, a);
  EXPECT_EQ(names.name(b), "team-2");
  EXPECT_EQ(names.acquire("team-1"), b + 1);
}

TEST(NameTable, NamesStayFindableAsTheTableGrows) {
  NameTable names;
  std::vector<uint32_t> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(names.acquire("container-" + std::to_string(i)));
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(names.acquire("container-" + std::to_string(i)), ids[i]);
    EXPECT_EQ(names.name(ids[i]), "container-" + std::to_string(i));
  }
}

}  // namespace
}  // namespace podmon::crash
