#include "notify/console_message_format.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "core/terminal_text.h"
#include "store/utf8_text.h"

namespace podmon::notify {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kRule = "------------------------------------------------------------------------";

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// ":rotating_light: text" -> "text": shortcodes are Slack's, a terminal shows them as noise.
std::string dropEmojiShortcodes(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool wordStart = i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
    if (text[i] == ':' && wordStart && i + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[i + 1]))) {
      std::size_t end = i + 1;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' ||
                                   text[end] == '-' || text[end] == '+')) {
        ++end;
      }
      if (end < text.size() && text[end] == ':' && end > i + 1) {
        i = end + 1;
        if (i < text.size() && text[i] == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) ++i;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// <...> links and dates.
std::string undoAngleBrackets(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '<') {
      const auto close = text.find('>', i);
      if (close != std::string::npos) {
        const std::string inner = text.substr(i + 1, close - i - 1);
        const auto bar = inner.find('|');
        if (inner.rfind("!date^", 0) == 0) {
          out += bar == std::string::npos ? inner : inner.substr(bar + 1);
        } else if (bar != std::string::npos) {
          out += inner.substr(bar + 1) + " (" + inner.substr(0, bar) + ")";
        } else {
          out += inner;
        }
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::string unescape(std::string text) {
  text = replaceAll(std::move(text), "&lt;", "<");
  text = replaceAll(std::move(text), "&gt;", ">");
  return replaceAll(std::move(text), "&amp;", "&");
}

// *bold* -> bold, outside code.
std::string dropBold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '*') {
      const auto close = text.find('*', i + 1);
      if (close != std::string::npos && close > i + 1 && text.find('\n', i) > close && text[i + 1] != ' ') {
        out += text.substr(i + 1, close - i - 1);
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += prefix + line + "\n";
  return out;
}

std::string textOf(const Object::Ptr& object) {
  if (!object) return "";
  return object->optValue<std::string>("text", "");
}

}  // namespace

std::string mrkdwnToPlain(const std::string& mrkdwn) {
  // Code fences first: their content is shown as is, indented, with nothing else undone in it.
  std::string out;
  std::size_t i = 0;
  while (i < mrkdwn.size()) {
    const auto open = mrkdwn.find("```", i);
    if (open == std::string::npos) {
      out += unescape(undoAngleBrackets(dropBold(dropEmojiShortcodes(mrkdwn.substr(i)))));
      break;
    }
    out += unescape(undoAngleBrackets(dropBold(dropEmojiShortcodes(mrkdwn.substr(i, open - i)))));
    const auto close = mrkdwn.find("```", open + 3);
    std::string code = mrkdwn.substr(open + 3, close == std::string::npos ? std::string::npos : close - open - 3);
    if (!code.empty() && code.front() == '\n') code.erase(0, 1);
    if (!out.empty() && out.back() != '\n') out += "\n";
    out += indent(unescape(code), "    ");
    if (close == std::string::npos) break;
    i = close + 3;
    if (i < mrkdwn.size() && mrkdwn[i] == '\n') ++i;
  }
  return out;
}

namespace {

std::string formatUnfiltered(const SlackMessage& message) {
  std::string out = std::string(kRule) + "\n";
  out += "podmon alert";
  if (!message.channel.empty()) out += " -> " + message.channel;
  if (!message.threadTs.empty()) out += " (follow-up in the thread of alert " + message.threadTs + ")";
  out += "\n";
  if (!message.blocks || message.blocks->size() == 0) {
    out += mrkdwnToPlain(message.text);
    if (out.back() != '\n') out += "\n";
    return out + kRule + "\n";
  }
  for (std::size_t b = 0; b < message.blocks->size(); ++b) {
    const Object::Ptr block = message.blocks->getObject(static_cast<unsigned>(b));
    if (!block) continue;
    const std::string type = block->optValue<std::string>("type", "");
    std::string text;
    if (type == "header") {
      text = dropEmojiShortcodes(textOf(block->getObject("text")));
      text += "\n";
    } else if (type == "section") {
      const std::string sectionText = textOf(block->getObject("text"));
      if (!sectionText.empty()) text += mrkdwnToPlain(sectionText);
      const Array::Ptr fields = block->getArray("fields");
      if (fields) {
        std::vector<std::pair<std::string, std::string>> rows;
        std::size_t width = 0;
        for (std::size_t f = 0; f < fields->size(); ++f) {
          const std::string plain = mrkdwnToPlain(textOf(fields->getObject(static_cast<unsigned>(f))));
          const auto newline = plain.find('\n');
          std::string label = plain.substr(0, newline);
          std::string value = newline == std::string::npos ? "" : plain.substr(newline + 1);
          while (!value.empty() && value.back() == '\n') value.pop_back();
          width = std::max(width, label.size());
          rows.emplace_back(std::move(label), replaceAll(value, "\n", " "));
        }
        for (const auto& [label, value] : rows) {
          text += "  " + label + ":" + std::string(width - label.size() + 1, ' ') + value + "\n";
        }
      }
    } else if (type == "context") {
      const Array::Ptr elements = block->getArray("elements");
      std::string joined;
      for (std::size_t el = 0; elements && el < elements->size(); ++el) {
        if (!joined.empty()) joined += " | ";
        joined += mrkdwnToPlain(textOf(elements->getObject(static_cast<unsigned>(el))));
      }
      text = joined;
    }
    if (text.empty()) continue;
    if (text.back() != '\n') text += "\n";
    out += text;
  }
  return out + kRule + "\n";
}

}  // namespace

std::string formatMessageForConsole(const SlackMessage& message) {
  return terminalSafeText(store::sanitizeUtf8(formatUnfiltered(message)));
}

}  // namespace podmon::notify
