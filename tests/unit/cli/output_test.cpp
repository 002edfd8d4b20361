#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace podmon::cli {
namespace {

Table sample() {
  Table table{{{"ns", "NAMESPACE"}, {"n", "COUNT"}, {"ok", "OK"}}, {}};
  table.rows.push_back(Record().add("ns", "payments").add("n", std::int64_t{12}).add("ok", true));
  table.rows.push_back(Record().add("ns", "ä").add("n", nullptr).add("ok", false));
  return table;
}

TEST(OutputTest, TablesAlignByCharactersAndShowNullAsDash) {
  std::ostringstream out;
  renderTable(sample(), "empty", out);
  EXPECT_EQ(out.str(),
            "NAMESPACE  COUNT  OK\n"
            "payments   12     yes\n"
            "ä          -      no\n");
}

TEST(OutputTest, EmptyTablePrintsTheMessage) {
  std::ostringstream out;
  renderTable(Table{{{"a", "A"}}, {}}, "Nothing here.", out);
  EXPECT_EQ(out.str(), "Nothing here.\n");
  std::ostringstream json;
  renderJson(Table{{{"a", "A"}}, {}}, json);
  EXPECT_EQ(json.str(), "[]\n");
}

TEST(OutputTest, JsonKeepsTypesAndOrder) {
  std::ostringstream out;
  renderJson(sample(), out);
  EXPECT_EQ(out.str(), "[{\"ns\":\"payments\",\"n\":12,\"ok\":true},{\"ns\":\"ä\",\"n\":null,\"ok\":false}]\n");
}

TEST(OutputTest, JsonAndTablesStayValidOnBadBytesAndControlCharacters) {
  std::ostringstream json;
  renderJson(Record().add("log", std::string("a\xff\n\"b\"")), json);
  EXPECT_EQ(json.str(), "{\"log\":\"a\xEF\xBF\xBD\\n\\\"b\\\"\"}\n");
  EXPECT_EQ(displayText(std::string("a\tb\nc")), "a b c");
  EXPECT_EQ(terminalSafe("ok\n\x1b[2Jgone\tx\r"), "ok\n?[2Jgone\tx?");
}

TEST(OutputTest, RecordsAlignTheirValues) {
  std::ostringstream out;
  renderRecord(Record().add("id", std::int64_t{7}).add("exit_code", std::int64_t{137}), out);
  EXPECT_EQ(out.str(),
            "id:        7\n"
            "exit code: 137\n");
}

}  // namespace
}  // namespace podmon::cli
