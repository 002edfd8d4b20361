// The command-line rules every podmon program shares (CLI11 underneath).
#include "core/flag_parser.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace podmon {
namespace {

using Args = std::vector<std::string>;

struct Parser {
  FlagParser parser{[](const std::string& message) { throw std::runtime_error(message); }};
  std::optional<std::string> host;
  std::optional<std::string> context;
  std::optional<std::string> output;
  bool all = false;

  Parser() {
    parser.addOption("--sql-host", host);
    parser.addOption("--kube-context,--context", context);
    parser.addOption("-o,--output", output, "--output needs table or json");
    parser.addFlag("--all-clusters", all);
  }
};

std::string errorOf(const Args& args) {
  Parser p;
  try {
    p.parser.parse(args);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(FlagParserTest, SeparateOrJoinedValuesLastOneWinsTheRestInOrder) {
  Parser p;
  const Args rest = p.parser.parse({"routes", "--sql-host", "a", "--other", "x", "--sql-host=b", "-y", "--context", "c",
                                    "-o", "json", "--all-clusters", "--", "-o", "--sql-host", "d"});
  EXPECT_EQ(p.host, "b");
  EXPECT_EQ(p.context, "c");
  EXPECT_EQ(p.output, "json");
  EXPECT_TRUE(p.all);
  // After "--" every argument is a word.
  EXPECT_EQ(rest, (Args{"routes", "--other", "x", "-y", "--", "-o", "--sql-host", "d"}));
  EXPECT_EQ(p.parser.givenInOrder(),
            (Args{"--sql-host", "--sql-host", "--kube-context", "--output", "--all-clusters"}));
}

TEST(FlagParserTest, EmptyValuesAndValuesThatLookLikeFlags) {
  Parser p;
  const Args rest = p.parser.parse({"--sql-host=", "migrate", "--context", "--sql-host"});
  EXPECT_EQ(p.host, "");
  EXPECT_EQ(p.context, "--sql-host");
  EXPECT_EQ(rest, (Args{"migrate"}));
  Parser q;
  q.parser.parse({"--sql-host", ""});
  EXPECT_EQ(q.host, "");
  EXPECT_FALSE(q.context);
}

TEST(FlagParserTest, ShortNamesOnlyAsAWholeArgument) {
  Parser p;
  const Args rest = p.parser.parse({"routes", "set", "-ops", "-payments", "-o", "json", "-hello"});
  EXPECT_EQ(p.output, "json");
  EXPECT_EQ(rest, (Args{"routes", "set", "-ops", "-payments", "-hello"}));
  Parser q;
  q.parser.parse({"--sql-host", "-o"});
  EXPECT_EQ(q.host, "-o");
  EXPECT_FALSE(q.output);
}

TEST(FlagParserTest, ErrorsNameTheOption) {
  EXPECT_EQ(errorOf({"--sql-host"}), "--sql-host needs a value");
  EXPECT_EQ(errorOf({"--context"}), "--kube-context needs a value");
  EXPECT_EQ(errorOf({"x", "-o"}), "--output needs table or json");
  EXPECT_EQ(errorOf({"--all-clusters=yes"}), "--all-clusters takes no value");
  EXPECT_EQ(errorOf({"--all-clusters="}), "--all-clusters takes no value");
}

}  // namespace
}  // namespace podmon
