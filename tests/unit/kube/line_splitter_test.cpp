#include "kube/line_splitter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace podmon::kube {
namespace {

std::vector<std::string> splitInChunks(const std::string& stream, std::mt19937& rng, std::size_t maxLine = 1 << 20) {
  LineSplitter splitter(maxLine);
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    std::size_t n = std::uniform_int_distribution<std::size_t>(1, 17)(rng);
    splitter.feed(std::string_view(stream).substr(pos, n), [&](std::string_view l) { lines.emplace_back(l); });
    pos += n;
  }
  return lines;
}

TEST(LineSplitter, RandomChunkBoundariesGiveTheSameLines) {
  // Multi-byte UTF-8 characters so that boundaries fall inside characters too.
  std::vector<std::string> expected = {R"({"type":"ADDED","object":{"n":"日本語ログ"}})",
                                       R"({"type":"MODIFIED","object":{"e":"🚀🚀"}})",
                                       R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"5"}}})"};
  std::string stream;
  for (const auto& l : expected) stream += l + "\n";
  for (unsigned seed = 0; seed < 200; ++seed) {
    std::mt19937 rng(seed);
    EXPECT_EQ(splitInChunks(stream, rng), expected) << "seed " << seed;
  }
}

TEST(LineSplitter, HoldsBackUnfinishedLineAndDropsCarriageReturnsAndEmptyLines) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  auto collect = [&](std::string_view l) { lines.emplace_back(l); };
  splitter.feed("a\r\n\n\nb", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"a"}));
  EXPECT_EQ(splitter.pending(), 1u);
  splitter.feed("c\n", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(splitter.pending(), 0u);
}

TEST(LineSplitter, OverlongLineIsSkippedAndReported) {
  LineSplitter splitter(8);
  std::vector<std::string> lines;
  std::vector<std::size_t> overflows;
  auto collect = [&](std::string_view l) { lines.emplace_back(l); };
  auto overflow = [&](std::size_t n) { overflows.push_back(n); };
  splitter.feed("ok\n0123", collect, overflow);
  splitter.feed("456789", collect, overflow);
  splitter.feed("abc\nnext\n", collect, overflow);
  EXPECT_EQ(lines, (std::vector<std::string>{"ok", "next"}));
  ASSERT_EQ(overflows.size(), 1u);
  EXPECT_EQ(overflows[0], 13u);
  splitter.feed("0123456789\nz\n", collect, overflow);
  EXPECT_EQ(overflows.size(), 2u);
  EXPECT_EQ(lines.back(), "z");
}

}  // namespace
}  // namespace podmon::kube
