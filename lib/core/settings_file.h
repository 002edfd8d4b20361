#pragma once

#include <map>
#include <string>
#include <vector>

namespace podmon {

// What a YAML settings file says, by setting name. Two shapes are read: podmon's flat
// `SETTING: value` (the name in either case, '-' or '_') and the original kubernetes-pod-monitor's
// nested keys, as its config/application.yml has them (`elasticsearch: {port: 9200}` is
// ELASTICSEARCH_PORT, viper's rule: upper case, '.' -> '_'). Pure: the caller reads the file.
struct SettingsFileValues {
  std::map<std::string, std::string> values;  // by setting name; a null or "" value is kept as ""
  std::vector<std::string> warnings;          // keys no setting has, which are ignored
};

// How strict a file is about keys no setting has.
enum class UnknownKeys {
  kRefuseFlat,  // --config: an unknown top-level `NAME: value` is an error, an unknown nested key a warning
  kWarn,        // the original's application.yml: every unknown key is a warning (the original ignored them)
};

// Parses `text`; `label` starts every message ("--config /etc/podmon.yaml", "config/application.yml").
// Throws ConfigException for invalid YAML, a root that is not a mapping, a key that is not a scalar,
// a setting given a mapping or a list of lists, and (kRefuseFlat) an unknown top-level setting.
SettingsFileValues parseSettingsFile(const std::string& text, const std::string& label, UnknownKeys unknownKeys);

}  // namespace podmon
