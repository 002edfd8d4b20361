#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podmon {

// Appends compact JSON to a string without building a DOM. The crash document and the Slack
// message carry a log of up to 64 KiB; Poco::JSON's Stringifier writes such a string one
// ostream call per byte, which made each document cost about a millisecond. Strings are escaped
// in bulk runs of bytes that need no escaping, exactly as Poco::JSON escapes them (see
// appendString), so what the sinks receive is byte for byte what they received before.
// The writer tracks commas itself; callers open and close containers and name keys. Strings
// must already be valid UTF-8 (store::sanitizeUtf8); bytes of 0x80 and above are copied as is.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  // Inserts already serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  // "name": value.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  // Appends `text` as a quoted JSON string, escaped as Poco::JSON (1.11) escapes: `"` and `\`
  // with a backslash, \b \t \n \f \r, every other byte below 0x20 as \u00XX (upper-case hex,
  // so \v is \u000B); DEL and all bytes from 0x80 are copied unchanged.
  static void appendString(std::string& out, std::string_view text);

 private:
  void separator();

  std::string& out_;
  bool needComma_ = false;
};

}  // namespace podmon
