#include "index/index_template.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "index/index_template_json.h"

namespace podmon::index {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The embedded file is checked by the unit tests, so a parse failure here is a build defect.
Object::Ptr parsedTemplate() { return Poco::JSON::Parser().parse(kIndexTemplateJson).extract<Object::Ptr>(); }

Array::Ptr patternsFor(const std::string& indexPrefix) {
  Array::Ptr patterns = new Array;
  patterns->add(indexPrefix + "*");
  return patterns;
}

std::string toText(const Object::Ptr& object) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(object, out);
  return out.str();
}

// Names the ILM policy in a settings object: index.lifecycle.name, nested like the file's settings.
void setLifecycle(Object& settings, const std::string& ilmPolicy) {
  if (ilmPolicy.empty()) return;
  Object::Ptr index = settings.getObject("index");
  if (!index) {
    index = new Object;
    settings.set("index", index);
  }
  Object::Ptr lifecycle = new Object;
  lifecycle->set("name", ilmPolicy);
  index->set("lifecycle", lifecycle);
}

// The template's settings and mappings into `body` (the mappings under `_doc` when typed).
void setSettingsAndMappings(Object& body, bool typed, const std::string& ilmPolicy) {
  Object::Ptr inner = parsedTemplate()->getObject("template");
  if (inner && inner->has("settings")) {
    Object::Ptr settings = inner->getObject("settings");
    setLifecycle(*settings, ilmPolicy);
    body.set("settings", settings);
  }
  if (inner && inner->has("mappings")) {
    if (typed) {
      Object::Ptr mappings = new Object;
      mappings->set("_doc", inner->get("mappings"));
      body.set("mappings", mappings);
    } else {
      body.set("mappings", inner->get("mappings"));
    }
  }
}

}  // namespace

const char* indexTemplateJson() { return kIndexTemplateJson; }

std::string composableTemplateBody(const std::string& indexPrefix, const std::string& ilmPolicy) {
  Object::Ptr body = parsedTemplate();
  body->set("index_patterns", patternsFor(indexPrefix));
  Object::Ptr inner = body->getObject("template");
  if (inner && inner->getObject("settings")) setLifecycle(*inner->getObject("settings"), ilmPolicy);
  return toText(body);
}

std::string legacyTemplateBody(const std::string& indexPrefix, bool typed, const std::string& ilmPolicy) {
  Object::Ptr source = parsedTemplate();
  Object::Ptr body = new Object;
  body->set("index_patterns", patternsFor(indexPrefix));
  body->set("order", source->get("priority"));
  body->set("version", source->get("version"));
  setSettingsAndMappings(*body, typed, ilmPolicy);
  return toText(body);
}

std::string indexCreationBody(bool typed, const std::string& ilmPolicy) {
  Object::Ptr body = new Object;
  setSettingsAndMappings(*body, typed, ilmPolicy);
  return toText(body);
}

}  // namespace podmon::index
