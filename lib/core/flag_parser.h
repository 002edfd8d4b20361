#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace podmon {

// Command-line options the way all of podmon's programs read them (podmon's settings flags,
// podmonctl's options, the demo's --seconds), on CLI11: "--name value" or "--name=value" (also
// "--name=" for an empty value), the last occurrence wins, and every argument that is no option of
// this parser (another program's flags, positional words, "--") is handed back in order, so two
// parsers can share one argv. The --help texts stay the programs' own (CLI11's is not used).
class FlagParser {
 public:
  // Throws the caller's exception (ConfigException, podmonctl's UsageException) with `message`.
  using Fail = std::function<void(const std::string& message)>;

  explicit FlagParser(Fail fail);
  ~FlagParser();
  FlagParser(const FlagParser&) = delete;
  FlagParser& operator=(const FlagParser&) = delete;

  // An option with a value, e.g. "--kube-context,--context" or "-o,--output". After parse(),
  // `target` holds the last value given (unset when not given); it must outlive parse().
  // `missing` is the error when the value is missing (default: "<first name> needs a value").
  void addOption(const std::string& names, std::optional<std::string>& target, const std::string& missing = "");
  // A flag without a value ("--all-clusters", "-h,--help"); "--flag=x" fails with "<name> takes no value".
  void addFlag(const std::string& names, bool& target);

  // Parses `args` (argv without the program name). Returns the arguments that are none of this
  // parser's options, in their order. Calls `fail` on a missing value or a value given to a flag.
  std::vector<std::string> parse(const std::vector<std::string>& args);
  // After parse(): the options given, by their long name ("-o" is "--output"), in argv's order.
  std::vector<std::string> givenInOrder() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace podmon
