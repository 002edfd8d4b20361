#include "core/flag_parser.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <list>
#include <map>

namespace podmon {

struct FlagParser::Impl {
  struct Bound {
    CLI::Option* option = nullptr;
    std::string value;
    std::optional<std::string>* target = nullptr;
    std::string missing;
  };
  struct Flag {
    CLI::Option* option = nullptr;
    std::string name;  // "--all-clusters"
  };

  // The CLI11 message names the option; turn it into ours (the tests and the docs quote them).
  std::string messageFor(const CLI::ParseError& e) const {
    const std::string what = e.what();
    for (const auto& bound : options) {
      if (what.rfind(bound.option->get_name() + ":", 0) == 0 && what.find("required") != std::string::npos) {
        return bound.missing;
      }
    }
    for (const auto& flag : flags) {
      const std::string bare = flag.name.substr(flag.name.find_first_not_of('-'));
      if (what.rfind(bare + " was given a disallowed flag override", 0) == 0) return flag.name + " takes no value";
    }
    return what;
  }

  // Short aliases become their long names; "--name=" is an empty value (CLI11 would take the next
  // argument instead); "--flag=" is an error.
  bool takesValue(const CLI::Option* option) const {
    return option && std::any_of(options.begin(), options.end(), [&](const Bound& b) { return b.option == option; });
  }

  std::vector<std::string> prepare(const std::vector<std::string>& args) const {
    std::vector<std::string> out;
    bool isValue = false;  // the argument is the value of the option before it
    bool words = false;    // after "--": only words
    for (const auto& given : args) {
      if (words || (!isValue && given == "--")) {
        words = true;
        out.push_back(given);
        continue;
      }
      const auto alias = isValue ? shortAliases.end() : shortAliases.find(given);
      const std::string& arg = alias == shortAliases.end() ? given : alias->second;
      const bool emptyValue = !isValue && arg.size() > 3 && arg.rfind("--", 0) == 0 && arg.back() == '=';
      const auto* option = app.get_option_no_throw(emptyValue ? arg.substr(0, arg.size() - 1) : arg);
      isValue = !isValue && !emptyValue && takesValue(option);
      if (!emptyValue || !option) {
        out.push_back(arg);
      } else if (!takesValue(option)) {
        fail(option->get_name() + " takes no value");
      } else {
        out.push_back(arg.substr(0, arg.size() - 1));
        out.emplace_back();
      }
    }
    return out;
  }

  // CLI11 names for `names`; a one-letter name ("-o") becomes an alias of the first long name
  // instead, matched only as a whole argument: CLI11 would also read "-ops" as "-o ps" and
  // "-hello" as "-h", and a namespace such as "-payments" must stay a word (podmonctl names the
  // mistake in it).
  std::string longNames(const std::string& names) {
    std::string result;
    std::vector<std::string> shorts;
    std::size_t start = 0;
    while (start <= names.size()) {
      const std::size_t comma = std::min(names.find(',', start), names.size());
      const std::string name = names.substr(start, comma - start);
      if (name.size() == 2 && name[0] == '-') shorts.push_back(name);
      else result += (result.empty() ? "" : ",") + name;
      start = comma + 1;
    }
    const std::string first = result.substr(0, result.find(','));
    for (const auto& alias : shorts) shortAliases[alias] = first;
    return result;
  }

  CLI::App app;
  Fail fail;
  std::map<std::string, std::string> shortAliases;  // "-o" -> "--output"
  std::list<Bound> options;                         // a list: CLI11 keeps pointers to each value
  std::vector<Flag> flags;
};

FlagParser::FlagParser(Fail fail) : impl_(std::make_unique<Impl>()) {
  impl_->fail = std::move(fail);
  impl_->app.set_help_flag();  // the programs print their own --help
  impl_->app.allow_extras();
}

FlagParser::~FlagParser() = default;

void FlagParser::addOption(const std::string& names, std::optional<std::string>& target, const std::string& missing) {
  auto& bound = impl_->options.emplace_back();
  bound.option = impl_->app.add_option(impl_->longNames(names), bound.value)
                     ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bound.target = &target;
  bound.missing = missing.empty() ? bound.option->get_name() + " needs a value" : missing;
}

void FlagParser::addFlag(const std::string& names, bool& target) {
  CLI::Option* option = impl_->app.add_flag(impl_->longNames(names), target)->disable_flag_override();
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  impl_->flags.push_back({option, option->get_name()});
}

std::vector<std::string> FlagParser::parse(const std::vector<std::string>& args) {
  std::vector<std::string> reversed = impl_->prepare(args);
  std::reverse(reversed.begin(), reversed.end());  // CLI11 takes its arguments from the back
  try {
    impl_->app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    impl_->fail(impl_->messageFor(e));
    throw;  // `fail` throws; this is only for a Fail that returns
  }
  for (auto& bound : impl_->options) {
    if (bound.option->count() > 0) *bound.target = bound.value;
  }
  return impl_->app.remaining();
}

std::vector<std::string> FlagParser::givenInOrder() const {
  std::vector<std::string> names;
  for (const CLI::Option* option : impl_->app.parse_order()) names.push_back(option->get_name());
  return names;
}

}  // namespace podmon
