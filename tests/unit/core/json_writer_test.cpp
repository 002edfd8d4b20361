#include "core/json_writer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <sstream>

namespace podmon {
namespace {

std::string pocoString(const std::string& text) {
  Poco::JSON::Object object;
  object.set("k", text);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str().substr(5, out.str().size() - 6);  // {"k":...}
}

std::string written(std::string_view text) {
  std::string out;
  JsonWriter::appendString(out, text);
  return out;
}

TEST(JsonWriterTest, WritesCompactJsonWithCommas) {
  std::string out;
  JsonWriter json(out);
  json.beginObject().field("a", 1).field("b", "x").key("c").beginArray().value(true).value(false);
  json.beginObject().endObject().beginArray().endArray().value(std::int64_t{-9007199254740993}).endArray();
  json.key("d").beginObject().field("e", std::string("f")).endObject().key("r").raw("[1,2]").endObject();
  EXPECT_EQ(out, R"({"a":1,"b":"x","c":[true,false,{},[],-9007199254740993],"d":{"e":"f"},"r":[1,2]})");
  EXPECT_NO_THROW(Poco::JSON::Parser().parse(out));
}

TEST(JsonWriterTest, EscapesControlCharactersQuotesAndBackslashes) {
  EXPECT_EQ(written("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(written("\b\t\n\f\r"), R"("\b\t\n\f\r")");
  EXPECT_EQ(written(std::string("\0\a\v\x1b\x1f", 5)), R"("\u0000\u0007\u000B\u001B\u001F")");
  EXPECT_EQ(written("\x7f\xE2\x82\xAC\xF0\x9F\x98\x80"), "\"\x7f\xE2\x82\xAC\xF0\x9F\x98\x80\"")
      << "DEL and UTF-8 as is";
  EXPECT_EQ(written(""), "\"\"");
}

TEST(JsonWriterTest, EscapesEveryByteAsPocoJsonDoes) {
  std::string every;
  for (int c = 0; c < 256; ++c) every.push_back(static_cast<char>(c));
  EXPECT_EQ(written(every), pocoString(every));
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 20; ++at) {  // before, inside and after the eight-byte words
      std::string text(20, 'a');
      text[at] = static_cast<char>(c);
      ASSERT_EQ(written(text), pocoString(text)) << "byte " << c << " at " << at;
    }
  }
}

TEST(JsonWriterTest, EscapedTextParsesBackToTheSameBytes) {
  static constexpr char kText[] = "line 1\nline \"2\"\t\\ \x01\x1f end \xE2\x82\xAC";
  const std::string text(kText, sizeof kText - 1);  // every byte of the literal, no more
  std::string out;
  JsonWriter(out).beginObject().field("t", text).endObject();
  const auto object = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(object->getValue<std::string>("t"), text);
}

}  // namespace
}  // namespace podmon
