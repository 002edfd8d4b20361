#include "servers/aws_control.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <map>
#include <sstream>
#include <stdexcept>

#include "core/rfc3339.h"

namespace podmon::testing {

namespace {

std::string text(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string errorJson(const std::string& message) {
  Poco::JSON::Object o;
  o.set("ok", false);
  o.set("error", message);
  return text(o);
}

Poco::JSON::Object issuedJson(const AwsCredentialsTestServer::Issued& c) {
  Poco::JSON::Object o;
  o.set("access_key_id", c.accessKeyId);
  o.set("secret_access_key", c.secretAccessKey);
  o.set("session_token", c.sessionToken);
  o.set("expiration", formatRfc3339Seconds(c.expiration));
  o.set("via", c.via);
  return o;
}

// An integer parameter in [min, max]; `fallback` when absent. Throws std::invalid_argument.
int number(const std::map<std::string, std::string>& q, const std::string& key, int fallback, int min, int max) {
  auto it = q.find(key);
  if (it == q.end()) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != it->second.size() || value < min || value > max) {
    throw std::invalid_argument(key + " must be an integer between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got '" + it->second + "'");
  }
  return value;
}

std::string credentialsJson(const AwsCredentialsTestServer& aws) {
  Poco::JSON::Object out;
  Poco::JSON::Array all;
  for (const auto& c : aws.issued()) all.add(issuedJson(c));
  out.set("issued", all);
  const auto current = aws.latestValid();
  if (current) out.set("current", issuedJson(*current));
  else out.set("current", Poco::Dynamic::Var());
  return text(out);
}

std::string countsJson(const AwsCredentialsTestServer& aws) {
  const auto counts = aws.counts();
  Poco::JSON::Object o;
  o.set("sts", counts.sts);
  o.set("container", counts.container);
  o.set("imds_token", counts.imdsToken);
  o.set("imds", counts.imds);
  return text(o);
}

}  // namespace

std::pair<int, std::string> handleAwsControl(AwsCredentialsTestServer& aws, const std::string& pathAndQuery) {
  try {
    const Poco::URI uri(pathAndQuery);
    std::map<std::string, std::string> q;
    for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
    const std::string path = uri.getPath();
    const std::string value = q.count("value") != 0 ? q.at("value") : "";
    if (path == "/aws/sts/token") {
      aws.setExpectedWebIdentityToken(value);
    } else if (path == "/aws/sts/fail") {
      aws.failSts(q.count("code") != 0 ? q.at("code") : "", number(q, "n", 1, 0, 1000000));
    } else if (path == "/aws/container/authorization") {
      aws.setExpectedContainerAuthorization(value);
    } else if (path == "/aws/container/fail") {
      aws.failContainer(number(q, "status", 500, 400, 599), number(q, "n", 1, 0, 1000000));
    } else if (path == "/aws/imds/expire-tokens") {
      aws.expireImdsTokens();
    } else if (path == "/aws/lifetime") {
      aws.setLifetime(std::chrono::seconds(number(q, "seconds", 3600, 1, 43200)));
    } else if (path == "/aws/down" || path == "/aws/up") {
      aws.setDown(path == "/aws/down");
    } else if (path == "/aws/credentials") {
      return {200, credentialsJson(aws)};
    } else if (path == "/aws/requests") {
      return {200, countsJson(aws)};
    } else {
      return {404, errorJson("unknown control path " + path)};
    }
    return {200, R"({"ok":true})"};
  } catch (const std::invalid_argument& e) {
    return {400, errorJson(e.what())};
  } catch (const std::exception& e) {
    return {500, errorJson(e.what())};
  }
}

}  // namespace podmon::testing
