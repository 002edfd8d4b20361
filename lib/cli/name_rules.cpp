#include "cli/name_rules.h"

#include <cstddef>

#include "cli/cli_errors.h"

namespace podmon::cli {

namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// A wildcard pattern is valid when putting one letter in place of each '*' gives a valid name:
// "team-*" -> "team-a". That keeps '*' usable at any position without allowing "--" edges.
std::string withStarsFilled(const std::string& value) {
  std::string filled = value;
  for (auto& c : filled) {
    if (c == '*') c = 'a';
  }
  return filled;
}

std::string quoted(const std::string& value) {
  std::string shown;
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) shown += '?';
    else shown += c;
  }
  return "'" + shown + "'";
}

void validateLabelOrPattern(const std::string& value, const char* what) {
  if (value.empty()) throw UsageException(std::string(what) + " must not be empty");
  if (value == "*") return;
  if (value.size() > 63) {
    throw UsageException(std::string(what) + " " + quoted(value) + " is longer than 63 characters");
  }
  if (!isDns1123Label(withStarsFilled(value))) {
    throw UsageException(std::string(what) + " " + quoted(value) +
                         " is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with "
                         "a letter or digit), '*', or such a name with '*' wildcards");
  }
}

}  // namespace

bool isDns1123Label(const std::string& value) {
  if (value.empty() || value.size() > 63) return false;
  if (!isLowerAlnum(value.front()) || !isLowerAlnum(value.back())) return false;
  for (char c : value) {
    if (!isLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

void validateNamespace(const std::string& value) { validateLabelOrPattern(value, "namespace"); }

void validateContainer(const std::string& value) { validateLabelOrPattern(value, "container"); }

void validateChannel(const std::string& value) {
  const std::string bad = "channel " + quoted(value) +
                          " is not a Slack channel: use '#name' or 'name' (lower-case letters, digits, '-', '_', "
                          "'.', at most 80 characters) or a channel ID such as C0123ABCD";
  if (value.empty()) throw UsageException("channel must not be empty");
  // A channel ID: C (public), G (private, legacy), D (direct message), then upper-case alphanumerics.
  if (value.size() >= 9 && value.size() <= 20 && (value[0] == 'C' || value[0] == 'G' || value[0] == 'D')) {
    bool id = true;
    for (std::size_t i = 1; i < value.size(); ++i) id = id && isUpperAlnum(value[i]);
    if (id) return;
  }
  const std::string name = value[0] == '#' ? value.substr(1) : value;
  if (name.empty() || name.size() > 80) throw UsageException(bad);
  for (char c : name) {
    if (!isLowerAlnum(c) && c != '-' && c != '_' && c != '.') throw UsageException(bad);
  }
}

void validateCluster(const std::string& value) {
  if (value.empty()) {
    throw UsageException("no cluster given: pass --cluster NAME or set CLUSTER_NAME (environment, flag or --config)");
  }
  if (value == "*") return;
  const std::string bad = "cluster " + quoted(value) +
                          " is not a cluster name (letters, digits and '. _ - : /', at most 64 characters, "
                          "starting with a letter or digit), '*', or such a name with '*' wildcards";
  if (value.size() > 64) throw UsageException(bad);
  const std::string filled = withStarsFilled(value);
  if (!isAlnum(filled.front())) throw UsageException(bad);
  for (char c : filled) {
    if (!isAlnum(c) && c != '.' && c != '_' && c != '-' && c != ':' && c != '/') throw UsageException(bad);
  }
}

}  // namespace podmon::cli
