#include "aws/credentials_json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "aws/service_message.h"
#include "core/rfc3339.h"

namespace podmon::aws {

namespace {

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

// A string member, "" when absent or not a string.
std::string stringField(const Poco::JSON::Object& object, const std::string& name) {
  const Poco::Dynamic::Var value = object.get(name);
  return value.isString() ? value.extract<std::string>() : "";
}

}  // namespace

AwsCredentials parseCredentialsJson(const std::string& json) {
  Poco::JSON::Object::Ptr object;
  try {
    object = parseObject(json);
  } catch (const std::exception&) {
    throw CredentialsError("the credentials answer is not a JSON object");
  }
  if (object->has("Code") && stringField(*object, "Code") != "Success") {
    throw CredentialsError("the credentials answer has Code " + serviceMessage(stringField(*object, "Code")) +
                           ", not Success");
  }
  AwsCredentials credentials;
  credentials.accessKeyId = stringField(*object, "AccessKeyId");
  credentials.secretAccessKey = stringField(*object, "SecretAccessKey");
  credentials.sessionToken = stringField(*object, "Token");
  const std::string expiration = stringField(*object, "Expiration");
  for (const auto& [field, value] : {std::pair<const char*, const std::string&>{"AccessKeyId", credentials.accessKeyId},
                                     {"SecretAccessKey", credentials.secretAccessKey},
                                     {"Token", credentials.sessionToken},
                                     {"Expiration", expiration}}) {
    if (value.empty()) throw CredentialsError(std::string("the credentials answer has no string ") + field);
  }
  credentials.expiration = parseRfc3339(expiration);
  if (!credentials.expiration) throw CredentialsError("the credentials answer's Expiration is not an RFC 3339 time");
  return credentials;
}

std::string credentialsErrorJson(const std::string& json) {
  try {
    const auto object = parseObject(json);
    std::string code = stringField(*object, "code");
    if (code.empty()) code = stringField(*object, "Code");
    std::string message = stringField(*object, "message");
    if (message.empty()) message = stringField(*object, "Message");
    if (code.empty() && message.empty()) return "";
    return serviceMessage(code + ": " + message);
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace podmon::aws
