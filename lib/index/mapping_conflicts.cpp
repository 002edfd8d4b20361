#include "index/mapping_conflicts.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "index/index_template.h"

namespace podmon::index {
namespace {

using Poco::JSON::Object;

// A field's type as a mapping states it; an object field has properties and often no "type".
std::string typeOf(const Object::Ptr& field) {
  if (!field) return "";
  if (field->has("type") && field->get("type").isString()) return field->getValue<std::string>("type");
  return field->has("properties") ? "object" : "";
}

// The properties of a mapping, typed (`{"_doc": {"properties": ...}}`) or not.
Object::Ptr propertiesOf(const Object::Ptr& mappings) {
  if (!mappings) return nullptr;
  if (auto properties = mappings->getObject("properties")) return properties;
  if (mappings->size() == 1) {
    if (auto typed = mappings->getObject(mappings->begin()->first)) return typed->getObject("properties");
  }
  return nullptr;
}

Object::Ptr templateProperties() {
  auto root = Poco::JSON::Parser().parse(indexTemplateJson()).extract<Object::Ptr>();
  auto inner = root->getObject("template");
  return propertiesOf(inner ? inner->getObject("mappings") : nullptr);
}

}  // namespace

std::vector<MappingConflict> findMappingConflicts(const std::string& mappingResponse) {
  std::vector<MappingConflict> conflicts;
  try {
    auto root = Poco::JSON::Parser().parse(mappingResponse).extract<Object::Ptr>();
    if (!root || root->size() != 1) return conflicts;  // {"<index>": {"mappings": ...}}
    auto index = root->getObject(root->begin()->first);
    auto existing = propertiesOf(index ? index->getObject("mappings") : nullptr);
    auto wanted = templateProperties();
    if (!existing || !wanted) return conflicts;
    for (const auto& [name, value] : *wanted) {
      const std::string want = typeOf(wanted->getObject(name));
      const std::string have = typeOf(existing->getObject(name));
      if (!want.empty() && !have.empty() && want != have) conflicts.push_back({name, have, want});
    }
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {}
  return conflicts;
}

std::string describeConflicts(const std::vector<MappingConflict>& conflicts) {
  std::string text;
  for (const auto& c : conflicts) {
    if (!text.empty()) text += ", ";
    text += c.field + " is " + c.indexType + " (podmon's template: " + c.templateType + ")";
  }
  return text;
}

}  // namespace podmon::index
