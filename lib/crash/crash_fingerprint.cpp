#include "crash/crash_fingerprint.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>

namespace podmon::crash {

namespace {

// How much of the log is looked at: its newest part only (an error that ended the process is at
// the end), which also bounds the regex work for a 1 MB log.
constexpr std::size_t kTailBytes = 64 * 1024;
constexpr std::size_t kTailLines = 300;
constexpr std::size_t kFramesPerEnd = 4;  // of each run of stack frames: the first and last four
constexpr std::size_t kMaxHeadlines = 8;  // headlines kept from the error block (the newest)
constexpr std::size_t kMaxSignatureLines = 40;
constexpr std::size_t kGoFrameLines = 10;  // lines kept after "panic:" of the panicking goroutine
constexpr std::size_t kNoErrorLines = 3;
// Only the start of a very long line counts: the rest of a 100 KB JSON line is not the failure's
// shape, and libstdc++'s regexes recurse per character (a long quoted value would overflow the stack).
constexpr std::size_t kMaxLineBytes = 1024;

using std::regex;

// Replaces every match of `re` in `text` by what `replace` returns for it.
std::string replaceEach(const std::string& text, const regex& re,
                        const std::function<std::string(const std::smatch&)>& replace) {
  std::string out;
  out.reserve(text.size());
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.cbegin(), text.cend(), re), end; it != end; ++it) {
    const std::smatch& m = *it;
    out.append(last, m[0].first);
    out += replace(m);
    last = m[0].second;
  }
  out.append(last, text.cend());
  return out;
}

std::string replaceLiteral(std::string text, std::string_view what, std::string_view with) {
  if (what.empty()) return text;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
  return text;
}

bool hasDigit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Digit runs (with a decimal part) that are not part of an identifier (sha256, utf8, log4j stay).
std::string replaceNumbers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const bool startsNumber = c >= '0' && c <= '9' && (i == 0 || !isWordChar(text[i - 1]));
    if (!startsNumber) {
      out += c;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j + 1 < text.size() && text[j] == '.' && std::isdigit(static_cast<unsigned char>(text[j + 1]))) {
      ++j;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    }
    out += "<n>";
    i = j;
  }
  return out;
}

std::string collapseBlanks(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool blank = false;
  for (char c : text) {
    const bool isBlank = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (isBlank) {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// JSON keys whose string values are the message itself, not a varying value.
bool isMessageKey(const std::string& key) {
  static const char* const kKeys[] = {"msg",      "message",    "error",  "err",    "level",         "lvl",
                                      "severity", "exception",  "logger", "caller", "error_message", "errormessage",
                                      "reason",   "stacktrace", "stack",  "type",   "class"};
  const std::string k = lower(key);
  return std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* known) { return k == known; });
}

const regex& pythonFileRe() {
  static const regex re(R"re(File "([^"]*)")re");
  return re;
}
const regex& jsonPairRe() {
  static const regex re(R"re("([A-Za-z0-9_.@-]+)"\s*:\s*"((?:[^"\\]|\\.)*)")re");
  return re;
}
const regex& doubleQuotedRe() {
  static const regex re(R"re("(?:[^"\\]|\\.)*")re");
  return re;
}
const regex& singleQuotedRe() {
  // An opening quote after a letter is an apostrophe (can't, don't), not a quote.
  static const regex re(R"re((^|[^A-Za-z0-9])'[^']*'|`[^`]*`)re");
  return re;
}
const regex& timestampRe() {
  static const regex re(
      // RFC 3339 / ISO 8601, also with a space and a comma (Python logging, Java)
      R"re(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2}\b)?)re"
      // 2024/05/01 10:00:00 (nginx error log, Go's log package)
      R"re(|\d{4}/\d{2}/\d{2}(?: \d{2}:\d{2}:\d{2}(?:[.,]\d+)?)?)re"
      // 01/May/2024:10:00:00 +0000 (access logs)
      R"re(|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?)re"
      // syslog and ctime: [Wed ]May  1 10:00:00[.123][ 2024]
      R"re(|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2},? (?:\d{4} )?\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?: \d{4})?)re"
      // klog: I0501 10:00:00.123456
      R"re(|\b[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+)re"
      // a time of day alone (Java logback, Go)
      R"re(|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b)re");
  return re;
}
const regex& threadNameRe() {
  // Spring Boot / logback: "<ts> ERROR 1 --- [nio-8080-exec-3] logger : message". Thread names are
  // padded or cut to 15 characters and name whichever worker ran into the error.
  static const regex re(R"re(--- \[[^\]]*\])re");
  return re;
}
const regex& uuidRe() {
  static const regex re(R"re(\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)re");
  return re;
}
const regex& podHashRe() {
  // ReplicaSet hash and pod suffix: web-7d9f8c6b5d-x2k4p -> web-<hash>
  static const regex re(R"re(-[a-z0-9]{6,10}-[a-z0-9]{5}\b)re");
  return re;
}
const regex& ipRe() {
  static const regex re(R"re(\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\](?::\d{1,5})?)re"
                        R"re(|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b)re"
                        R"re(|(?:\b[0-9a-fA-F]{1,4}|::?)(?::{1,2}[0-9a-fA-F]{1,4}){2,7}\b)re");
  return re;
}
const regex& durationRe() {
  static const regex re(R"re(\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))*\b)re");
  return re;
}
const regex& hexRe() {
  static const regex re(R"re(\b0[xX][0-9a-fA-F]+\b|\b[0-9a-fA-F]{8,}\b)re");
  return re;
}
const regex& idValueRe() {
  // request_id=..., x-request-id: ..., traceId=..., id=...: the value is an identifier.
  static const regex re(
      R"re(\b((?:[A-Za-z0-9]+[_.-])*(?:[A-Za-z0-9]*(?:Id|ID|Token|Session)|id|token|session|trace|span)))re"
      R"re((\s*[=:]\s*)[^\s,;)\]}"'<>]+)re");
  return re;
}
// Words that mark a line as part of an error (whole words, any case), searched without regexes:
// every tail line is checked, so this has to be cheap.
constexpr std::string_view kErrorWords[] = {
    "error",         "errors",    "exception", "fatal",     "panic",   "traceback", "critical",
    "crit",          "emerg",     "alert",     "failed",    "failure", "fail",      "fails",
    "killed",        "refused",   "denied",    "unable",    "cannot",  "can't",     "could not",
    "couldn't",      "timed out", "timeout",   "abort",     "aborted", "aborting",  "segmentation fault",
    "core dumped",   "unhandled", "uncaught",  "not found", "no such", "caused by", "unreachable",
    "out of memory", "oom"};
// Class-name suffixes: ValueError, IllegalStateException, java.lang.Throwable, SegFault.
constexpr std::string_view kErrorClassSuffixes[] = {"Error", "Exception", "Throwable", "Fault"};

bool isErrorLine(std::string_view line) {
  const std::string lowered = lower(line);
  for (std::string_view word : kErrorWords) {
    for (auto pos = lowered.find(word); pos != std::string::npos; pos = lowered.find(word, pos + 1)) {
      const auto after = pos + word.size();
      if ((pos == 0 || !isWordChar(lowered[pos - 1])) && (after == lowered.size() || !isWordChar(lowered[after]))) {
        return true;
      }
    }
  }
  for (std::string_view suffix : kErrorClassSuffixes) {
    for (auto pos = line.find(suffix); pos != std::string_view::npos; pos = line.find(suffix, pos + 1)) {
      const auto after = pos + suffix.size();
      if (pos > 0 && std::isalpha(static_cast<unsigned char>(line[pos - 1])) &&
          (after == line.size() || !isWordChar(line[after]))) {
        return true;
      }
    }
  }
  return false;
}

std::string_view logTail(std::string_view logs) {
  if (logs.size() <= kTailBytes) return logs;
  logs.remove_prefix(logs.size() - kTailBytes);
  const auto newline = logs.find('\n');  // start at a whole line
  return newline == std::string_view::npos ? logs : logs.substr(newline + 1);
}

// One tail line. Classified on its raw text; normalised only when it goes into the signature
// (the regexes of normalizeLogLine cost tens of microseconds a line).
struct Line {
  std::string_view raw;
  bool indented = false;  // a stack frame or continuation (Java "\tat", Python "  File", Node "    at")
  bool isBlank = false;
  bool error = false;
  bool blank() const { return isBlank; }
};

std::vector<Line> tailLines(const FingerprintInput& input) {
  const std::string_view source = input.logs.empty() ? std::string_view(input.message) : std::string_view(input.logs);
  std::vector<std::string_view> raw;
  const std::string_view tail = logTail(source);
  std::size_t start = 0;
  while (start < tail.size()) {
    std::size_t end = tail.find('\n', start);
    if (end == std::string_view::npos) end = tail.size();
    raw.push_back(tail.substr(start, end - start));
    start = end + 1;
  }
  while (!raw.empty() && raw.back().find_first_not_of(" \t\r") == std::string_view::npos) raw.pop_back();
  if (raw.size() > kTailLines) raw.erase(raw.begin(), raw.end() - static_cast<std::ptrdiff_t>(kTailLines));
  std::vector<Line> lines;
  lines.reserve(raw.size());
  for (std::string_view r : raw) {
    Line line;
    line.raw = r;
    line.indented = !r.empty() && (r[0] == ' ' || r[0] == '\t');
    line.isBlank = r.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
    line.error = !line.isBlank && isErrorLine(r);
    lines.push_back(line);
  }
  return lines;
}

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Normalises the lines that go into a signature, with the crash's own pod and node names.
struct Normalizer {
  std::string_view podName;
  std::string_view nodeName;
  std::string operator()(const Line& line) const { return normalizeLogLine(line.raw, podName, nodeName); }
};

// Go: "panic: ..." (or "fatal error: ...") and the panicking goroutine's first frames.
std::optional<std::vector<std::string>> goPanic(const std::vector<Line>& lines, const Normalizer& normalize) {
  std::optional<std::size_t> at;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].indented && (startsWith(lines[i].raw, "panic: ") || startsWith(lines[i].raw, "fatal error: "))) {
      at = i;
    }
  }
  if (!at) return std::nullopt;
  std::vector<std::string> signature{normalize(lines[*at])};
  bool inGoroutine = false;
  for (std::size_t i = *at + 1; i < lines.size() && signature.size() <= kGoFrameLines; ++i) {
    const Line& line = lines[i];
    if (line.blank()) {
      if (inGoroutine) break;  // the end of the first goroutine's stack
      continue;
    }
    if (startsWith(line.raw, "goroutine ")) {
      if (inGoroutine) break;
      inGoroutine = true;
      continue;  // its id and wait state are not the failure
    }
    signature.push_back(normalize(line));
  }
  return signature;
}

// Keeps the first and last kFramesPerEnd frames of a run.
void appendFrames(std::vector<std::string>& out, const std::vector<std::string>& frames) {
  if (frames.size() <= 2 * kFramesPerEnd) {
    out.insert(out.end(), frames.begin(), frames.end());
    return;
  }
  out.insert(out.end(), frames.begin(), frames.begin() + kFramesPerEnd);
  out.push_back("...");
  out.insert(out.end(), frames.end() - kFramesPerEnd, frames.end());
}

std::vector<std::string> errorBlock(const std::vector<Line>& lines, const Normalizer& normalize) {
  const auto n = lines.size();
  std::vector<bool> error(n);
  for (std::size_t i = 0; i < n; ++i) error[i] = lines[i].error;
  auto frame = [&](std::size_t i) { return i < n && lines[i].indented && !lines[i].blank(); };

  std::optional<std::size_t> anchor;
  for (std::size_t i = n; i-- > 0;) {
    if (error[i] && !lines[i].indented) {
      anchor = i;
      break;
    }
  }
  if (!anchor) {
    for (std::size_t i = n; i-- > 0;) {
      if (error[i]) {
        anchor = i;
        break;
      }
    }
  }
  std::vector<std::string> signature;
  if (!anchor) {
    for (std::size_t i = n; i-- > 0 && signature.size() < kNoErrorLines;) {
      if (!lines[i].blank()) signature.insert(signature.begin(), normalize(lines[i]));
    }
    return signature;
  }
  // The block: contiguous lines around the anchor that are frames, error lines or the headline
  // of a run of frames (a custom exception class the error words do not name).
  std::size_t first = *anchor;
  while (first > 0 && !lines[first - 1].blank() && (frame(first - 1) || error[first - 1] || frame(first))) --first;
  std::size_t last = *anchor;
  while (last + 1 < n && !lines[last + 1].blank() && (frame(last + 1) || error[last + 1] || frame(last + 2))) ++last;

  std::size_t headlines = 0;
  for (std::size_t i = last + 1; i-- > first;) {
    if (!frame(i)) ++headlines;
    if (headlines > kMaxHeadlines) {
      first = i + 1;
      break;
    }
  }
  std::vector<std::string> run;
  for (std::size_t i = first; i <= last; ++i) {
    if (frame(i)) {
      run.push_back(normalize(lines[i]));
      continue;
    }
    appendFrames(signature, run);
    run.clear();
    signature.push_back(normalize(lines[i]));
  }
  appendFrames(signature, run);
  return signature;
}

}  // namespace

std::string imageName(std::string_view image) {
  std::string name(image);
  if (auto at = name.find('@'); at != std::string::npos) name.erase(at);
  const auto slash = name.rfind('/');
  if (auto colon = name.rfind(':'); colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    name.erase(colon);
  }
  if (auto firstSlash = name.find('/'); firstSlash != std::string::npos) {
    const std::string host = name.substr(0, firstSlash);
    if (host.find('.') != std::string::npos || host.find(':') != std::string::npos || host == "localhost") {
      name.erase(0, firstSlash + 1);
    }
  }
  if (startsWith(name, "library/")) name.erase(0, 8);
  return name;
}

std::string normalizeLogLine(std::string_view line, std::string_view podName, std::string_view nodeName) {
  std::string text(line.substr(0, kMaxLineBytes));
  // The pod's and node's own names first, before the number rules cut them apart.
  if (podName.size() >= 3) text = replaceLiteral(std::move(text), podName, "<pod>");
  if (nodeName.size() >= 3) text = replaceLiteral(std::move(text), nodeName, "<node>");

  // Quoted values, keeping the shape: Python's File "path" is a stack frame, and in a JSON log
  // line the message fields are the failure while the other values vary.
  text = std::regex_replace(text, pythonFileRe(), "File $1");
  const auto firstChar = text.find_first_not_of(" \t");
  const bool json = firstChar != std::string::npos && text[firstChar] == '{';
  if (json) {
    text = replaceEach(text, jsonPairRe(), [](const std::smatch& m) {
      return isMessageKey(m[1].str()) ? m[0].str() : "\"" + m[1].str() + "\":\"<q>\"";
    });
  } else {
    text = std::regex_replace(text, doubleQuotedRe(), "\"<q>\"");
    text = replaceEach(text, singleQuotedRe(), [](const std::smatch& m) {
      return m[0].str()[0] == '`' ? std::string("`<q>`") : m[1].str() + "'<q>'";
    });
  }
  text = std::regex_replace(text, timestampRe(), "<ts>");
  text = std::regex_replace(text, threadNameRe(), "--- [<thread>]");
  text = std::regex_replace(text, uuidRe(), "<uuid>");
  text = std::regex_replace(text, podHashRe(), "-<hash>");
  text = replaceEach(text, ipRe(), [](const std::smatch& m) {
    const std::string s = m[0].str();
    return s[0] == '[' || hasDigit(s) || std::count(s.begin(), s.end(), ':') >= 2 ? std::string("<ip>") : s;
  });
  text = std::regex_replace(text, idValueRe(), "$1$2<id>");
  text = std::regex_replace(text, durationRe(), "<dur>");
  text = replaceEach(text, hexRe(), [](const std::smatch& m) {
    const std::string s = m[0].str();
    const bool prefixed = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const bool decimal = std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (decimal) return s;  // an epoch or a count: the number rule takes it (with its decimals)
    return prefixed || hasDigit(s) || s.size() >= 16 ? std::string("<hex>") : s;
  });
  text = replaceNumbers(text);
  return collapseBlanks(text);
}

std::vector<std::string> failureSignature(const FingerprintInput& input) {
  if (input.reason == "OOMKilled") return {};
  const std::vector<Line> lines = tailLines(input);
  std::vector<std::string> signature;
  const Normalizer normalize{input.podName, input.nodeName};
  if (auto go = goPanic(lines, normalize)) {
    signature = std::move(*go);
  } else {
    signature = errorBlock(lines, normalize);
  }
  if (signature.size() > kMaxSignatureLines) {
    signature.erase(signature.begin(), signature.end() - static_cast<std::ptrdiff_t>(kMaxSignatureLines));
  }
  return signature;
}

FingerprintInput fingerprintInput(const CrashEvent& crash, const std::string& logs) {
  FingerprintInput input;
  input.image = crash.image;
  input.exitCode = crash.exitCode;
  input.reason = crash.reason;
  input.logs = logs;
  input.message = crash.message;
  input.podName = crash.podName;
  input.nodeName = crash.nodeName;
  return input;
}

std::string crashFingerprint(const FingerprintInput& input) {
  std::string text = "v1\n" + imageName(input.image) + "\n" + input.reason + "\n" +
                     (input.exitCode ? std::to_string(*input.exitCode) : std::string("-")) + "\n";
  for (const auto& line : failureSignature(input)) text += line + "\n";
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 16);
}

}  // namespace podmon::crash
