#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

// podmon's configuration contract. Every setting is an environment variable (the name below), a
// --flag (lower case, '_' -> '-', e.g. --sql-host) and a key of the YAML file given by --config
// (the same name, in either case, or the original kubernetes-pod-monitor's nested keys). A flag
// beats the environment, which beats the --config file, which beats the original's
// config/application.yml (read from the working directory when present). As in the original, an
// empty value counts as unset: the next source down (or the default) decides. The names are fixed:
// the Helm chart, the compose file, podmonctl and the docs rely on them.
namespace podmon {

class FlagParser;

// kList: comma-separated (a YAML list in the file); kLines: one item per line (a YAML list in the
// file), for items that may hold commas (regular expressions).
enum class SettingType { kString, kInt, kBool, kDuration, kEnum, kList, kUrl, kLines };

struct SettingSpec {
  const char* name;          // environment variable name, e.g. SQL_HOST
  const char* defaultValue;  // "" = none
  SettingType type;
  bool secret;  // never printed (logs, --help, errors show only whether it is set)
  const char* help;
  const char* choices;  // for kEnum: "a|b|c" (matched in any case)
  // A setting of the original kubernetes-pod-monitor that podmon accepts but does not need (its
  // help says why); given anyway, it is named in one start-up warning.
  bool originalOnly = false;
};

// All settings, in --help order.
const std::vector<SettingSpec>& settingSpecs();

class Config {
 public:
  using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
  // Returns a file's content; throws ConfigException saying which file and why ("cannot read P: ...").
  using FileReader = std::function<std::string(const std::string& path)>;
  // Whether a file is there (the original's config/application.yml is read only when it is).
  using FileExists = std::function<bool(const std::string& path)>;

  // Parses argv (flags only; positional arguments are returned by positional()), the environment
  // and the --config file. Throws ConfigException naming the setting on an unknown flag or a bad
  // value. `--help` and `--version` are reported through helpRequested()/versionRequested().
  static Config load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile);
  // As above, reading argv with `parser`, which may hold the program's own options as well (the
  // demo's --seconds): parse() hands the rest to the settings.
  static Config load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile,
                     FlagParser& parser);
  // As above, reading the original's config/application.yml (else config/application.yaml) when
  // `exists` says it is there; the loads without `exists` never read it.
  static Config load(const std::vector<std::string>& args, const EnvLookup& env, const FileReader& readFile,
                     FlagParser& parser, const FileExists& exists);
  // With the process environment and files.
  static Config load(const std::vector<std::string>& args, FlagParser& parser);
  static Config load(const std::vector<std::string>& args);
  // The process's environment and files, what the two load()s above read.
  static std::optional<std::string> processEnvironment(const std::string& name);
  static std::string readWholeFile(const std::string& path);
  static bool fileExists(const std::string& path);
  // Where the original looked for its settings, relative to the working directory.
  static const std::vector<std::string>& originalConfigFiles();

  std::string get(const std::string& name) const;
  int getInt(const std::string& name) const;
  bool getBool(const std::string& name) const;
  std::chrono::milliseconds getDuration(const std::string& name) const;
  std::vector<std::string> getList(const std::string& name) const;
  // A kLines setting: its non-blank lines.
  std::vector<std::string> getLines(const std::string& name) const;
  bool isSet(const std::string& name) const;
  // Where the value came from: "flag", "environment", "file" (--config), the original's file
  // ("config/application.yml"), "default", or for a secret read from its NAME_FILE, that setting's
  // name ("SLACK_TOKEN_FILE").
  std::string source(const std::string& name) const;
  // True when some source gave the setting as "" (which counts as unset): CLUSTER_NAME set but
  // empty is the original's default cluster name; SQL_PASSWORD="" means no password, not "ask".
  bool givenEmpty(const std::string& name) const { return givenEmpty_.count(name) > 0; }
  // What loading found worth a warning but not an error (unknown keys in the original's file).
  const std::vector<std::string>& warnings() const { return warnings_; }

  const std::vector<std::string>& positional() const { return positional_; }
  bool helpRequested() const { return help_; }
  bool versionRequested() const { return version_; }

  // A copy with `name` set to `value` (source `source`), for defaults decided at run time
  // (CLUSTER_NAME from the kubeconfig context, the demo's settings). Throws ConfigException for
  // an unknown name.
  Config with(const std::string& name, const std::string& value, const std::string& source) const;

  // Throws ConfigException when a setting the daemon needs is missing (CLUSTER_NAME).
  void requireForDaemon() const;

  // The effective settings with secrets masked, one "NAME=value (source)" per line.
  std::string describe() const;
  static std::string helpText(const std::string& program);

 private:
  // A secret setting's NAME_FILE (when the table has one and it is set): the file's content, less
  // its trailing newline, becomes the value. Throws ConfigException when both are set or the file
  // cannot be read or is empty.
  void readSecretFile(const SettingSpec& spec, const FileReader& readFile);

  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
  std::set<std::string> givenEmpty_;
  std::vector<std::string> warnings_;
  std::vector<std::string> positional_;
  bool help_ = false;
  bool version_ = false;
};

// Parses "10m", "30s", "1h30m", "500ms", "0" (a bare number is seconds). Throws ConfigException.
std::chrono::milliseconds parseDuration(const std::string& text, const std::string& settingName);

}  // namespace podmon
