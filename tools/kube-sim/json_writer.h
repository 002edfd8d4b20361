#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace podmon::kubesim {

// Appends JSON to a string without building a DOM. kube-sim renders every pod on each change and
// must stay cheap in scale mode, so pods are written straight into their final text.
// The writer tracks commas itself; callers only open/close containers and name keys.
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
  JsonWriter& value(int64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // Inserts already-serialized JSON (a cached fragment) as one value.
  JsonWriter& raw(std::string_view json);

  // Shorthands for "key": value.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  JsonWriter& emptyObject(std::string_view name);

  static void appendEscaped(std::string& out, std::string_view text);

 private:
  void separator();

  std::string& out_;
  bool needComma_ = false;
};

}  // namespace podmon::kubesim
