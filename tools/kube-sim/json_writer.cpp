#include "json_writer.h"

#include "core/json_escape.h"

namespace podmon::kubesim {

void JsonWriter::separator() {
  if (needComma_) out_.push_back(',');
  needComma_ = false;
}

JsonWriter& JsonWriter::beginObject() {
  separator();
  out_.push_back('{');
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_.push_back('}');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separator();
  out_.push_back('[');
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_.push_back(']');
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separator();
  appendEscaped(out_, name);
  out_.push_back(':');
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separator();
  appendEscaped(out_, text);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
  separator();
  out_ += std::to_string(number);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separator();
  out_ += flag ? "true" : "false";
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  separator();
  out_ += "null";
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separator();
  out_.append(json);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::emptyObject(std::string_view name) {
  key(name);
  return raw("{}");
}

void JsonWriter::appendEscaped(std::string& out, std::string_view text) {
  out.push_back('"');
  appendJsonEscaped(text, out);
  out.push_back('"');
}

}  // namespace podmon::kubesim
