#include "notify/slack_message.h"

#include <Poco/JSON/Object.h>

#include <typeinfo>

#include "core/json_writer.h"

namespace podmon::notify {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

void appendValue(std::string& out, const Poco::Dynamic::Var& any);

// As Poco::JSON::Object::stringify(out) writes it (compact, insertion order where the object keeps
// it), but appended to one string: Poco writes each byte of a string with its own ostream call,
// which made a message carrying a log tail cost tens of microseconds.
void appendObject(std::string& out, const Object& object) {
  out.push_back('{');
  bool first = true;
  for (const auto& name : object.getNames()) {
    if (!first) out.push_back(',');
    first = false;
    JsonWriter::appendString(out, name);
    out.push_back(':');
    appendValue(out, object.get(name));
  }
  out.push_back('}');
}

void appendArray(std::string& out, const Array& array) {
  out.push_back('[');
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendValue(out, array.get(static_cast<unsigned>(i)));
  }
  out.push_back(']');
}

// Poco::JSON::Stringifier::stringify's cases, in its order, without JSON_ESCAPE_UNICODE.
void appendValue(std::string& out, const Poco::Dynamic::Var& any) {
  const std::type_info& type = any.type();
  if (type == typeid(Object)) {
    appendObject(out, any.extract<Object>());
  } else if (type == typeid(Array)) {
    appendArray(out, any.extract<Array>());
  } else if (type == typeid(Object::Ptr) && any.extract<Object::Ptr>()) {
    appendObject(out, *any.extract<Object::Ptr>());
  } else if (type == typeid(Array::Ptr) && any.extract<Array::Ptr>()) {
    appendArray(out, *any.extract<Array::Ptr>());
  } else if (any.isEmpty() || type == typeid(Object::Ptr) || type == typeid(Array::Ptr)) {
    out += "null";
  } else if ((any.isNumeric() || any.isBoolean()) && type != typeid(char)) {
    out += any.convert<std::string>();
  } else if (any.isNumeric() || any.isString() || any.isDateTime() || any.isDate() || any.isTime()) {
    JsonWriter::appendString(out, any.convert<std::string>());
  } else {
    out += any.convert<std::string>();
  }
}

}  // namespace

std::string SlackMessage::toJson(bool forWebhook) const {
  std::string blocksJson;
  if (blocks && blocks->size() > 0) appendArray(blocksJson, *blocks);
  std::string out;
  out.reserve(blocksJson.size() + text.size() + 256);
  JsonWriter json(out);
  json.beginObject();
  if (!forWebhook) json.field("channel", channel);
  json.field("text", text);
  if (!blocksJson.empty()) json.key("blocks").raw(blocksJson);
  if (!forWebhook && !threadTs.empty()) json.field("thread_ts", threadTs);
  if (!forWebhook && !ts.empty()) json.field("ts", ts);
  json.field("unfurl_links", false).field("unfurl_media", false);
  json.endObject();
  return out;
}

}  // namespace podmon::notify
