// Fuzzes the configuration file (--config YAML) and everything read from it: every setting is
// read back through its typed getter, and the redaction patterns are compiled. Bad input may
// only raise ConfigException, whose message names the setting.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/errors.h"
#include "core/redactor.h"
#include "core/settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string file(reinterpret_cast<const char*>(data), size);
  try {
    podmon::Config config = podmon::Config::load(
        {"--config", "fuzz.yaml"}, [](const std::string&) -> std::optional<std::string> { return std::nullopt; },
        [&](const std::string& path) -> std::string {
          if (path == "fuzz.yaml") return file;
          throw podmon::ConfigException("cannot read " + path);
        });
    for (const auto& spec : podmon::settingSpecs()) {
      switch (spec.type) {
        case podmon::SettingType::kInt: (void)config.getInt(spec.name); break;
        case podmon::SettingType::kBool: (void)config.getBool(spec.name); break;
        case podmon::SettingType::kDuration: (void)config.getDuration(spec.name); break;
        case podmon::SettingType::kList: (void)config.getList(spec.name); break;
        case podmon::SettingType::kLines: (void)config.getLines(spec.name); break;
        default: (void)config.get(spec.name); break;
      }
    }
    (void)config.describe();
    if (auto redactor = podmon::Redactor::fromSettings(podmon::Settings::from(config).redact))
      (void)redactor->redact(file);
  } catch (const podmon::ConfigException& e) {
    if (e.message().empty()) {
      std::fprintf(stderr, "configuration error without a message\n");
      std::abort();
    }
  }
  return 0;
}
