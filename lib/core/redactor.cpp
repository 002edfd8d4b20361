#include "core/redactor.h"

#include <Poco/RegularExpression.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/settings.h"

namespace podmon {
namespace {

// Names whose value is a secret in `name=value`, `name: value` and `"name":"value"`. Longer
// names first so that `aws_secret_access_key` is matched whole; grouped by first letter, so
// that at most positions PCRE tries one branch, not every name.
// Environment-style names too: `SECRET_KEY`, `DB_PASS` (a `pass` that starts a word or follows
// `_`, never `bypass`), `MYSQL_PWD` (a `pwd` after `_` only: `PWD=/srv/app` is a directory). Each
// name starts with a letter, the lookbehinds come after it: PCRE then tries only the positions
// holding a first letter of a name (a name starting with a lookbehind made it try every one).
constexpr const char* kSecretNames =
    "(?:a(?:ws_secret_access_key|ccess_token|pi[_-]?key|uth_token)|"
    "s(?:ecret_access_key|ecret[_-]?key(?:[_-]?base)?|ecret)|client_secret|refresh_token|token|"
    "p(?:ass(?:phrase|word|wd)|(?<![A-Za-z0-9]p)ass|(?<=_p)wd))";
// After the name: an optional closing quote of a JSON/YAML key, then ':', '=' or Ruby's '=>'.
constexpr const char* kAssign = R"re(["']?[ \t]*(?:=>|[:=])[ \t]*)re";
// Never mask a mask again (a later rule seeing an earlier rule's output).
constexpr const char* kNotMasked = R"re((?!\[REDACTED\]))re";

bool isBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

// A PEM boundary at `pos` ("-----BEGIN " or "-----END " already checked by the caller, `prefix`
// long): the label up to the closing "-----" must name a private key. Returns the end of the
// marker, or npos.
std::size_t privateKeyMarkerEnd(std::string_view text, std::size_t pos, std::size_t prefix) {
  std::size_t labelStart = pos + prefix;
  std::size_t close = text.find("-----", labelStart);
  if (close == std::string_view::npos || close - labelStart > 40) return std::string_view::npos;
  std::string_view label = text.substr(labelStart, close - labelStart);
  // '[' and ']': a label with a mask in it ("END [REDACTED] PRIVATE KEY", the AWS key rule having
  // masked part of a strange label) must still close its block the next time (found by fuzz_redactor).
  for (char c : label) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '[' || c == ']')) {
      return std::string_view::npos;
    }
  }
  if (label.find("PRIVATE KEY") == std::string_view::npos) return std::string_view::npos;
  return close + 5;
}

constexpr std::string_view kBeginMarker = "-----BEGIN ";
constexpr std::string_view kEndMarker = "-----END ";

// A line of base64 only (a trailing CR allowed), as in the body of a PEM key.
bool keyLikeLine(std::string_view line) {
  while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return false;
  for (char c : line) {
    if (!isBase64Char(c)) return false;
  }
  return true;
}

// Where a key body starting at `bodyStart` ends, and where the text resumes after its END
// marker: the next private key END marker, or the end of the text (the log was cut inside the key).
std::pair<std::size_t, std::size_t> keyBodyEnd(std::string_view text, std::size_t bodyStart) {
  for (std::size_t e = text.find(kEndMarker, bodyStart); e != std::string_view::npos;
       e = text.find(kEndMarker, e + 5)) {
    std::size_t markerEnd = privateKeyMarkerEnd(text, e, kEndMarker.size());
    if (markerEnd != std::string_view::npos) return {e, markerEnd};
  }
  return {text.size(), text.size()};
}

// The start of the base64 lines right before an END marker at `pos` that has no BEGIN (not
// before `copied`); `pos` when there are none.
std::size_t orphanKeyStart(std::string_view text, std::size_t pos, std::size_t copied) {
  std::size_t lineStart = pos == 0 ? 0 : text.rfind('\n', pos - 1);
  lineStart = lineStart == std::string_view::npos || pos == 0 ? 0 : lineStart + 1;
  std::size_t start = pos;
  if (lineStart >= copied && (lineStart == pos || keyLikeLine(text.substr(lineStart, pos - lineStart)))) {
    start = lineStart;
    // Walk back one line at a time while the lines look like base64.
    while (start > copied && start >= 2) {
      std::size_t prevNl = text.rfind('\n', start - 2);
      std::size_t prevStart = prevNl == std::string_view::npos ? 0 : prevNl + 1;
      if (prevStart < copied || !keyLikeLine(text.substr(prevStart, start - 1 - prevStart))) break;
      start = prevStart;
    }
  }
  return start;
}

using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

// The rule group that marks the cookie header rule: its match is the header name, the values
// after it are found by cookieValueSpans.
constexpr int kCookieHeader = -2;

bool endsCookieHeader(char c) { return c == '\r' || c == '\n' || c == '"' || c == '\\'; }

// The values of a Cookie header (every pair, and a bare value) or of a Set-Cookie header (its
// first pair only: Path, Expires, HttpOnly... are not secret) starting at `pos`. Names, '=' and
// ';' stay. Returns where the header ends: the end of the line, a quote or backslash (a header
// inside a JSON string), or for Set-Cookie the end of its first pair.
std::size_t cookieValueSpans(std::string_view text, std::size_t pos, bool setCookie, Spans& spans) {
  const std::size_t n = text.size();
  std::size_t i = pos;
  while (i < n) {
    while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t valueStart = i;  // a bare value (no '='): all of it
    while (i < n && text[i] != '=' && text[i] != ';' && !endsCookieHeader(text[i])) ++i;
    if (i < n && text[i] == '=') {
      valueStart = ++i;
      if (i < n && text[i] == '"') {  // name="value"
        const std::size_t close = text.find_first_of("\"\r\n", i + 1);
        i = close == std::string_view::npos ? n : (text[close] == '"' ? close + 1 : close);
      } else {
        while (i < n && text[i] != ';' && !endsCookieHeader(text[i])) ++i;
      }
    }
    std::size_t valueEnd = i;
    while (valueEnd > valueStart && (text[valueEnd - 1] == ' ' || text[valueEnd - 1] == '\t')) --valueEnd;
    if (valueEnd > valueStart) spans.emplace_back(valueStart, valueEnd);
    if (setCookie || i >= n || text[i] != ';') return i;
    ++i;
  }
  return i;
}

bool isSetCookie(std::string_view text, std::size_t cookieStart) {
  if (cookieStart < 4) return false;
  std::string prefix(text.substr(cookieStart - 4, 4));
  for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix == "set-";
}

}  // namespace

Redactor::Redactor(const std::vector<std::string>& extraPatterns) {
  addHeaderAndTokenRules();
  addNameValueRules();
  // Cookie and Set-Cookie headers: found here, their values masked by collectCookieSpans.
  addRule(R"re(\bcookie\\?["']?[ \t]*[:=][ \t]*\\?["']?[ \t]*)re", Poco::RegularExpression::RE_CASELESS, kCookieHeader,
          "default: cookie header");
  for (std::size_t i = 0; i < extraPatterns.size(); ++i) {
    const std::string where = "REDACT_PATTERNS: pattern " + std::to_string(i + 1) + " '" + extraPatterns[i] + "'";
    if (extraPatterns[i].empty()) throw ConfigException(where + " is empty");
    addRule(extraPatterns[i], 0, -1, where);
  }
}

void Redactor::addHeaderAndTokenRules() {
  using RE = Poco::RegularExpression;
  const std::string notMasked = kNotMasked;
  // Authorization headers, whatever the scheme: the credential after it. The scheme is possessive
  // (?+): "Authorization: Bearer [REDACTED]" must not mask "Bearer" (found by fuzz_redactor).
  addRule(
      R"re(\b(authorization["']?[ \t]*[:=][ \t]*["']?[ \t]*(?:(?:bearer|basic|token|negotiate|apikey)[ \t]+)?+))re" +
          notMasked + R"re(([^\s"',;]+))re",
      RE::RE_CASELESS, 2, "default: authorization header");
  // "bearer xxx" anywhere (also Bearer, BEARER), unless an ordinary word follows, as in prose.
  addRule(R"re(\b(bearer[ \t]+))re" + notMasked +
              R"re((?!(?:token|tokens|auth|authentication|authorization|scheme|of|the|a|an|is|and|or)\b))re" +
              R"re(([A-Za-z0-9._~+/-]+=*))re",
          RE::RE_CASELESS, 2, "default: bearer token");
  // JWTs: base64url of {"...} . base64url of {"...} . signature.
  addRule(R"re(\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)re", 0, 0, "default: JWT");
  // AWS access key IDs (long-term AKIA, temporary ASIA).
  addRule(R"re(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)re", 0, 0, "default: AWS access key id");
  // Tokens of well-known shapes, anywhere; their prefix (which service) is kept. One pattern, one
  // pass over the text; (?| numbers the groups of each branch alike.
  addRule(R"re(\b(?|(xox[abeprs]-)([A-Za-z0-9-]{10,})|(gh[pousr]_)([A-Za-z0-9]{20,})|)re"
          R"re((github_pat_)([A-Za-z0-9_]{20,})|(glpat-)([A-Za-z0-9_-]{20,})|([rs]k_live_)([A-Za-z0-9]{10,})|)re"
          R"re((AIza)([A-Za-z0-9_-]{30,})))re",
          0, 2, "default: token of a well-known shape");
  // scheme://user:password@host, also an empty user (redis://:pw@host) and a password holding
  // '@' (the last '@' before the path ends it; a user holding '@' is allowed too).
  // The pattern starts at "://" (a literal PCRE searches for quickly) and checks the scheme behind it.
  addRule(R"re((?<=[a-zA-Z0-9+.-])://([^/\s:]*:))re" + notMasked + R"re(([^\s/?#]+)@)re", 0, 2,
          "default: password in URL");
}

void Redactor::addNameValueRules() {
  const std::string names = kSecretNames;
  const std::string assign = kAssign;
  const std::string notMasked = kNotMasked;
  // One pattern, one pass over the text, for every shape of value after a secret's name; (?|
  // numbers the value group 1 in each branch, the first branch that fits wins:
  // name="value" / name: "value" (JSON, escaped quotes inside; an unclosed value to the line end);
  // \"name\":\"value\" (JSON escaped inside a string of a log line: the value ends at \", a quote
  // of the secret itself is \\\" there, or at the end of the line); name='value'; and
  // name=value, name: value, name => value (up to whitespace or a separator).
  const std::string quoted = assign + "\"" + notMasked + R"re(([^"\\\r\n]*+(?:\\.[^"\\\r\n]*+)*+)"?)re";
  const std::string escaped = R"re((?:\\?["'])?[ \t]*(?:=>|[:=])[ \t]*\\")re" + notMasked +
                              R"re(((?:\\\\\\"|\\\\|\\[^"\\\r\n]|[^"\\\r\n])*+))re";
  const std::string singleQuoted = assign + "'" + notMasked + R"re(([^'\r\n]*+)'?)re";
  const std::string bare = assign + notMasked + R"re(([^\s"',;&<>}\]]+))re";
  addRule(names + "(?|" + quoted + "|" + escaped + "|" + singleQuoted + "|" + bare + ")",
          Poco::RegularExpression::RE_CASELESS, 1, "default: secret value");
}

Redactor::~Redactor() = default;

void Redactor::addRule(const std::string& pattern, int options, int group, const std::string& origin) {
  Rule rule;
  try {
    rule.regex = std::make_unique<Poco::RegularExpression>(pattern, options);
  } catch (const Poco::RegularExpressionException& e) {
    throw ConfigException(origin + " is not a valid regular expression: " + e.message());
  }
  rule.group = group;
  rule.source = origin;
  rules_.push_back(std::move(rule));
}

std::shared_ptr<const Redactor> Redactor::fromSettings(const RedactSettings& settings) {
  if (!settings.enabled) return nullptr;
  return std::make_shared<const Redactor>(settings.patterns);
}

std::string Redactor::redactPrivateKeys(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is in `out` already
  std::size_t pos = 0;
  while ((pos = text.find("-----", pos)) != std::string_view::npos) {
    if (text.substr(pos, kBeginMarker.size()) == kBeginMarker) {
      std::size_t bodyStart = privateKeyMarkerEnd(text, pos, kBeginMarker.size());
      if (bodyStart == std::string_view::npos) {
        pos += 5;
        continue;
      }
      const auto [bodyEnd, resume] = keyBodyEnd(text, bodyStart);
      out.append(text.substr(copied, bodyStart - copied));
      out.append(kMask);
      out.append(text.substr(bodyEnd, resume - bodyEnd));  // the END marker is kept
      copied = pos = resume;
      continue;
    }
    if (text.substr(pos, kEndMarker.size()) == kEndMarker) {
      std::size_t markerEnd = privateKeyMarkerEnd(text, pos, kEndMarker.size());
      if (markerEnd == std::string_view::npos) {
        pos += 5;
        continue;
      }
      // An END without its BEGIN (the head of the log tail was cut inside the key): mask the
      // base64 lines right before it.
      const std::size_t start = orphanKeyStart(text, pos, copied);
      std::size_t maskEnd = pos;
      if (maskEnd > start && text[maskEnd - 1] == '\n') --maskEnd;
      if (maskEnd > start && text[maskEnd - 1] == '\r') --maskEnd;
      if (maskEnd > start) {
        out.append(text.substr(copied, start - copied));
        out.append(kMask);
        copied = maskEnd;
      }
      pos = markerEnd;
      continue;
    }
    pos += 5;
  }
  out.append(text.substr(copied));
  return out;
}

void Redactor::collectSpans(const Rule& rule, const std::string& text,
                            std::vector<std::pair<std::size_t, std::size_t>>& spans) const {
  std::size_t offset = 0;
  Poco::RegularExpression::MatchVec matches;
  while (offset <= text.size()) {
    int n = 0;
    try {
      n = rule.regex->match(text, offset, matches);
    } catch (const Poco::Exception& e) {
      // PCRE gave up (match limit): fail closed.
      spdlog::warn("redaction: {} could not be evaluated ({}); the rest of the text is masked", rule.source,
                   e.message());
      spans.emplace_back(offset, text.size());
      return;
    }
    if (n <= 0 || matches.empty()) return;
    const auto& whole = matches[0];
    std::size_t matchEnd = whole.offset + whole.length;
    if (rule.group == kCookieHeader) {
      const std::size_t headerEnd = cookieValueSpans(text, matchEnd, isSetCookie(text, whole.offset), spans);
      offset = std::max(headerEnd, matchEnd);
      continue;
    }
    std::size_t maskStart = whole.offset;
    std::size_t maskEnd = matchEnd;
    // An extra pattern (group -1) masks its first group when that group took part in the match.
    const std::size_t group = rule.group < 0 ? 1 : static_cast<std::size_t>(rule.group);
    if (group > 0 && group < matches.size() && matches[group].offset != std::string::npos) {
      maskStart = matches[group].offset;
      maskEnd = maskStart + matches[group].length;
    }
    if (maskEnd > maskStart) spans.emplace_back(maskStart, maskEnd);
    offset = matchEnd > offset ? matchEnd : offset + 1;
  }
}

std::string Redactor::redact(std::string_view text) const {
  const std::string keysMasked = redactPrivateKeys(text);
  // Every rule looks at the same text and the union of what they find is masked: one rule's mask
  // can never hide another rule's secret ("Bearer password=x", "token: Bearer x"; found by
  // fuzz_redactor when the rules ran one after the other).
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const auto& rule : rules_) collectSpans(rule, keysMasked, spans);
  if (spans.empty()) return keysMasked;
  std::sort(spans.begin(), spans.end());
  std::string out;
  out.reserve(keysMasked.size());
  std::size_t copied = 0;
  for (std::size_t i = 0; i < spans.size();) {
    std::size_t start = spans[i].first;
    std::size_t end = spans[i].second;
    for (++i; i < spans.size() && spans[i].first <= end; ++i) end = std::max(end, spans[i].second);
    out.append(keysMasked, copied, start - copied);
    out.append(kMask);
    copied = end;
  }
  out.append(keysMasked, copied, std::string::npos);
  return out;
}

}  // namespace podmon
