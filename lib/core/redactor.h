#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace Poco {
class RegularExpression;
}

namespace podmon {

struct RedactSettings;

// Masks secrets in text that leaves podmon: a crashed container's log, its termination message
// and its pod's event messages, before they reach MySQL, Elasticsearch or Slack. Containers print
// tokens, passwords and keys into their logs more often than anyone wants; a crash alert must not
// spread them into a chat channel and a search index.
//
// Defaults (always on unless REDACT=false): private key blocks (also a block cut off by the end
// of the log tail, and the base64 lines before an END line whose BEGIN was cut off), bearer
// tokens, JWTs, `password=`/`secret=`/`token=`/`api_key=`... values (also `key: value`, JSON
// `"key":"value"`, JSON escaped inside a string `\"key\":\"value\"`, Ruby `"key"=>"value"`, and
// environment names such as `SECRET_KEY=`, `DB_PASS=`, `MYSQL_PWD=`; case-insensitive), AWS access
// key IDs and secret access keys, passwords in URLs (scheme://user:password@host, also with an
// empty user or an '@' in the password), tokens of well-known shapes (Slack xox?-, GitHub ghp_ and
// github_pat_, GitLab glpat-, Stripe sk_live_/rk_live_, Google AIza; the prefix stays) and the
// values of Cookie and Set-Cookie headers (names and attributes stay). Only the secret is masked:
// keys, quotes and hosts stay, so a redacted log still reads naturally. Extra patterns are PCRE
// regular expressions: a pattern with a capture group masks what its first group matched,
// otherwise the whole match.
//
// Patterns are compiled once; redact() is const and thread-safe. Matching is linear-ish: the
// defaults use no nested repetition, and private keys are found by plain string search. When
// PCRE gives up on a pattern (its match limit, e.g. an extra pattern with catastrophic
// backtracking), the rest of the text is masked: redaction fails closed, never open.
class Redactor {
 public:
  static constexpr std::string_view kMask = "[REDACTED]";

  // The defaults plus `extraPatterns`. Throws ConfigException naming REDACT_PATTERNS and the
  // pattern's position when one is not a valid regular expression (or is empty).
  explicit Redactor(const std::vector<std::string>& extraPatterns = {});
  ~Redactor();
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;

  // From REDACT (true/false) and REDACT_PATTERNS (one pattern per line). nullptr when REDACT is
  // false. Throws ConfigException for a bad pattern.
  static std::shared_ptr<const Redactor> fromSettings(const RedactSettings& settings);

  // `text` with every secret replaced by kMask (the text around it is kept).
  std::string redact(std::string_view text) const;

  std::size_t patternCount() const { return rules_.size(); }

 private:
  struct Rule {
    std::unique_ptr<Poco::RegularExpression> regex;
    // 0 = the whole match; -1 = the first group if it took part, else the whole match; -2 = a
    // cookie header, whose values are masked.
    int group;
    std::string source;
  };
  void addHeaderAndTokenRules();
  void addNameValueRules();
  void addRule(const std::string& pattern, int options, int group, const std::string& origin);
  static std::string redactPrivateKeys(std::string_view text);
  // Adds the [start, end) ranges `rule` masks in `text`.
  void collectSpans(const Rule& rule, const std::string& text,
                    std::vector<std::pair<std::size_t, std::size_t>>& spans) const;

  std::vector<Rule> rules_;
};

}  // namespace podmon
