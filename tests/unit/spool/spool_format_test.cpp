#include "spool/spool_format.h"

#include <gtest/gtest.h>

#include <random>

namespace podmon::spool {
namespace {

std::string spoolOf(const std::vector<std::string>& payloads) {
  std::string bytes = encodeSpoolHeader();
  for (const auto& p : payloads) bytes += encodeSpoolRecord(p);
  return bytes;
}

TEST(SpoolFormat, RecordsComeBackInOrder) {
  const std::vector<std::string> payloads = {"one", "", std::string("\0\xff binary", 9), std::string(70000, 'x')};
  const auto contents = decodeSpool(spoolOf(payloads));
  EXPECT_TRUE(contents.headerValid);
  EXPECT_EQ(contents.problem, "");
  EXPECT_EQ(contents.records, payloads);
  EXPECT_EQ(contents.validBytes, spoolOf(payloads).size());
}

TEST(SpoolFormat, EmptyFileAndHeaderOnlyHoldNothing) {
  EXPECT_FALSE(decodeSpool("").headerValid);
  EXPECT_EQ(decodeSpool("").problem, "");
  const auto contents = decodeSpool(encodeSpoolHeader());
  EXPECT_TRUE(contents.headerValid);
  EXPECT_TRUE(contents.records.empty());
  EXPECT_EQ(contents.validBytes, kSpoolHeaderBytes);
}

// podmon killed mid-append: every cut of the last record keeps the records before it.
TEST(SpoolFormat, ATruncatedTailIsSkippedAtEveryCut) {
  const std::string intact = spoolOf({"first", "second"});
  const std::string last = encodeSpoolRecord("the third record, cut short");
  for (std::size_t cut = 1; cut < last.size(); ++cut) {
    const auto contents = decodeSpool(intact + last.substr(0, cut));
    EXPECT_EQ(contents.records, (std::vector<std::string>{"first", "second"})) << cut;
    EXPECT_EQ(contents.validBytes, intact.size()) << cut;
    EXPECT_NE(contents.problem.find("truncated"), std::string::npos) << contents.problem;
  }
}

TEST(SpoolFormat, AGarbledRecordFailsItsChecksum) {
  std::string bytes = spoolOf({"first", "second", "third"});
  const std::size_t secondPayload = kSpoolHeaderBytes + kSpoolRecordOverhead + 5 + kSpoolRecordOverhead;
  bytes[secondPayload + 2] ^= 0x20;
  const auto contents = decodeSpool(bytes);
  EXPECT_EQ(contents.records, (std::vector<std::string>{"first"}));
  EXPECT_NE(contents.problem.find("checksum"), std::string::npos) << contents.problem;
  EXPECT_EQ(contents.validBytes, kSpoolHeaderBytes + kSpoolRecordOverhead + 5);
}

TEST(SpoolFormat, AHugeLengthIsDamageNotAnAllocation) {
  std::string bytes = spoolOf({"first"}) + std::string("\xff\xff\xff\x7f\0\0\0\0", 8) + "tail";
  const auto contents = decodeSpool(bytes);
  EXPECT_EQ(contents.records.size(), 1u);
  EXPECT_FALSE(contents.problem.empty());
}

TEST(SpoolFormat, AnotherFileOrVersionIsNotRead) {
  EXPECT_FALSE(decodeSpool("hello world, not a spool").headerValid);
  EXPECT_NE(decodeSpool("hello world, not a spool").problem.find("bad header"), std::string::npos);
  std::string v2 = spoolOf({"x"});
  v2[8] = 2;
  const auto contents = decodeSpool(v2);
  EXPECT_FALSE(contents.headerValid);
  EXPECT_TRUE(contents.records.empty());
  EXPECT_NE(contents.problem.find("version 2"), std::string::npos) << contents.problem;
}

// Fuzz-style: random damage anywhere never throws, and what is returned is a prefix of what was written.
TEST(SpoolFormat, RandomDamageNeverThrowsAndKeepsAPrefix) {
  const std::vector<std::string> payloads = {"alpha", "bravo", "charlie", "delta", std::string(300, 'e')};
  const std::string good = spoolOf(payloads);
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    if (rng() % 2) bytes.resize(rng() % bytes.size());
    SpoolContents contents;
    ASSERT_NO_THROW(contents = decodeSpool(bytes));
    ASSERT_LE(contents.records.size(), payloads.size());
    for (std::size_t i = 0; i < contents.records.size(); ++i) EXPECT_EQ(contents.records[i], payloads[i]);
    EXPECT_LE(contents.validBytes, bytes.size());
  }
}

}  // namespace
}  // namespace podmon::spool
