#include "core/settings_file.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <utility>

#include "core/config.h"
#include "core/errors.h"

namespace podmon {
namespace {

const SettingSpec* findSpec(const std::string& name) {
  for (const auto& s : settingSpecs()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

// "elasticsearch" + "buffer_size" -> ELASTICSEARCH_BUFFER_SIZE; "sql-host" -> SQL_HOST.
std::string settingName(const std::string& prefix, const std::string& key) {
  std::string name = prefix.empty() ? key : prefix + "_" + key;
  for (auto& c : name) c = c == '-' || c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string lineOf(const YAML::Node& node) { return "line " + std::to_string(node.Mark().line + 1); }

// One key's value: a scalar, or a list joined by ',' (kLines: by newlines); null is "".
std::string fileValue(const SettingSpec& spec, const YAML::Node& node, const std::string& key,
                      const std::string& label) {
  std::string value;
  if (node.IsSequence()) {
    const char* separator = spec.type == SettingType::kLines ? "\n" : ",";
    for (const auto& item : node) {
      // A nested list or mapping is no value (yaml-cpp would throw its own exception).
      if (!item.IsScalar()) throw ConfigException(label + ": " + key + " must be a list of single values");
      value += (value.empty() ? "" : separator) + item.Scalar();
    }
  } else if (node.IsScalar()) {
    value = node.Scalar();
  } else if (!node.IsNull()) {
    throw ConfigException(label + ": " + key + " must be a single value");
  }
  return value;
}

class Reader {
 public:
  Reader(std::string label, UnknownKeys unknownKeys) : label_(std::move(label)), unknownKeys_(unknownKeys) {}

  // The entries of `map`; `path` is the dotted path of the nested keys above it ("" at the top).
  void readMap(const YAML::Node& map, const std::string& prefix, const std::string& path) {
    for (const auto& entry : map) {
      // Copies: yaml-cpp's iterator hands out proxies, and a range-for over a member of a
      // temporary proxy would read a destroyed object.
      if (!entry.first.IsScalar())
        throw ConfigException(label_ + ": " + lineOf(entry.first) + ": keys must be setting names");
      const std::string key = entry.first.Scalar();
      const YAML::Node node = entry.second;
      const std::string name = settingName(prefix, key);
      const std::string dotted = path.empty() ? key : path + "." + key;
      if (const SettingSpec* spec = findSpec(name)) {
        out_.values[spec->name] = fileValue(*spec, node, name, label_);
      } else if (node.IsMap()) {
        readMap(node, name, dotted);  // the original's nested keys
      } else if (path.empty() && unknownKeys_ == UnknownKeys::kRefuseFlat) {
        throw ConfigException(label_ + ": unknown setting '" + key + "'");
      } else {
        out_.warnings.push_back(label_ + ": " + lineOf(entry.first) + ": unknown key '" + dotted + "' (no setting " +
                                name + "), ignored");
      }
    }
  }

  SettingsFileValues take() { return std::move(out_); }

 private:
  std::string label_;
  UnknownKeys unknownKeys_;
  SettingsFileValues out_;
};

}  // namespace

SettingsFileValues parseSettingsFile(const std::string& text, const std::string& label, UnknownKeys unknownKeys) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigException(label + ": invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) return {};
  if (!root.IsMap()) throw ConfigException(label + ": expected a mapping of SETTING: value");
  Reader reader(label, unknownKeys);
  reader.readMap(root, "", "");
  return reader.take();
}

}  // namespace podmon
