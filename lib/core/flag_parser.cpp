#include "core/flag_parser.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <list>

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

  // "--name=" is an empty value (CLI11 would take the next argument instead); "--flag=" is an error.
  std::vector<std::string> splitEmptyValues(const std::vector<std::string>& args) const {
    std::vector<std::string> out;
    for (const auto& arg : args) {
      const auto* option = arg.size() > 3 && arg.rfind("--", 0) == 0 && arg.back() == '='
                               ? app.get_option_no_throw(arg.substr(0, arg.size() - 1))
                               : nullptr;
      const bool takesValue = option && std::any_of(options.begin(), options.end(),
                                                    [&](const Bound& b) { return b.option == option; });
      if (option && !takesValue) fail(option->get_name() + " takes no value");
      if (takesValue) {
        out.push_back(arg.substr(0, arg.size() - 1));
        out.emplace_back();
      } else {
        out.push_back(arg);
      }
    }
    return out;
  }

  CLI::App app;
  Fail fail;
  std::list<Bound> options;  // a list: CLI11 keeps pointers to each value
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
  bound.option = impl_->app.add_option(names, bound.value)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bound.target = &target;
  bound.missing = missing.empty() ? bound.option->get_name() + " needs a value" : missing;
}

void FlagParser::addFlag(const std::string& names, bool& target) {
  CLI::Option* option = impl_->app.add_flag(names, target)->disable_flag_override();
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  impl_->flags.push_back({option, option->get_name()});
}

std::vector<std::string> FlagParser::parse(const std::vector<std::string>& args) {
  std::vector<std::string> reversed = impl_->splitEmptyValues(args);
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
