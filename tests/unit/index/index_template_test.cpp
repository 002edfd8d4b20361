#include "index/index_template.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "index/crash_document.h"
#include "unit/index/sample_crash.h"

namespace podmon::index {
namespace {

using Poco::JSON::Object;

Object::Ptr parse(const std::string& text) { return Poco::JSON::Parser().parse(text).extract<Object::Ptr>(); }

TEST(IndexTemplateTest, EmbeddedTextIsTheRepositoryFile) {
  std::ifstream in(PODMON_INDEX_TEMPLATE_FILE);
  ASSERT_TRUE(in.good()) << PODMON_INDEX_TEMPLATE_FILE;
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(std::string(indexTemplateJson()), file.str());
}

TEST(IndexTemplateTest, ComposableBodyTargetsThePrefix) {
  auto body = parse(composableTemplateBody("crashes-"));
  EXPECT_EQ(body->getArray("index_patterns")->size(), 1u);
  EXPECT_EQ(body->getArray("index_patterns")->getElement<std::string>(0), "crashes-*");
  EXPECT_TRUE(body->has("priority"));
  auto props = body->getObject("template")->getObject("mappings")->getObject("properties");
  EXPECT_EQ(props->getObject("logs")->getValue<std::string>("type"), "text");
  EXPECT_FALSE(props->getObject("logs")->has("index")) << "logs must be searchable";
  EXPECT_EQ(props->getObject("created_at")->getValue<std::string>("type"), "date");
}

TEST(IndexTemplateTest, LegacyBodyHasOrderAndOptionallyTheDocType) {
  auto untyped = parse(legacyTemplateBody("crashes-", false));
  EXPECT_EQ(untyped->getArray("index_patterns")->getElement<std::string>(0), "crashes-*");
  EXPECT_TRUE(untyped->has("order"));
  EXPECT_FALSE(untyped->has("priority"));
  EXPECT_FALSE(untyped->has("template"));
  EXPECT_FALSE(untyped->has("_meta"));
  EXPECT_TRUE(untyped->getObject("settings"));
  EXPECT_TRUE(untyped->getObject("mappings")->getObject("properties"));
  auto typed = parse(legacyTemplateBody("crashes-", true));
  EXPECT_TRUE(typed->getObject("mappings")->getObject("_doc")->getObject("properties"));
}

TEST(IndexTemplateTest, EveryDocumentFieldIsMapped) {
  auto props =
      parse(composableTemplateBody("k-"))->getObject("template")->getObject("mappings")->getObject("properties");
  auto doc = parse(buildCrashDocument(testing::sampleCrash(), {}));
  std::vector<std::string> names;
  doc->getNames(names);
  for (const auto& name : names) EXPECT_TRUE(props->has(name)) << name << " is not in index_template.json";
  std::vector<std::string> eventFields;
  doc->getArray("events")->getObject(0)->getNames(eventFields);
  auto eventProps = props->getObject("events")->getObject("properties");
  for (const auto& name : eventFields) EXPECT_TRUE(eventProps->has(name)) << "events." << name;
}

}  // namespace
}  // namespace podmon::index
