#include "aws/sts_response.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Node.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

#include "core/rfc3339.h"

namespace podmon::aws {

namespace {

// The document, with no external entities or DTDs loaded (the body comes from the network).
Poco::AutoPtr<Poco::XML::Document> parseXml(const std::string& xml) {
  Poco::XML::DOMParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  parser.setFeature(Poco::XML::DOMParser::FEATURE_FILTER_WHITESPACE, true);
  return parser.parseString(xml);
}

std::string textAt(const Poco::XML::Document& doc, const std::string& path) {
  const Poco::XML::Node* node = doc.getNodeByPath(path);
  return node == nullptr ? "" : node->innerText();
}

}  // namespace

AwsCredentials parseAssumeRoleWithWebIdentityResponse(const std::string& xml) {
  Poco::AutoPtr<Poco::XML::Document> doc;
  try {
    doc = parseXml(xml);
  } catch (const Poco::Exception& e) {
    throw CredentialsError(std::string("the STS answer is not XML (") + e.className() + ")");
  }
  const std::string base = "/AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult/Credentials/";
  AwsCredentials credentials;
  credentials.accessKeyId = textAt(*doc, base + "AccessKeyId");
  credentials.secretAccessKey = textAt(*doc, base + "SecretAccessKey");
  credentials.sessionToken = textAt(*doc, base + "SessionToken");
  const std::string expiration = textAt(*doc, base + "Expiration");
  for (const auto& [field, value] : {std::pair<const char*, const std::string&>{"AccessKeyId", credentials.accessKeyId},
                                     {"SecretAccessKey", credentials.secretAccessKey},
                                     {"SessionToken", credentials.sessionToken},
                                     {"Expiration", expiration}}) {
    if (value.empty()) throw CredentialsError(std::string("the STS answer has no Credentials/") + field);
  }
  credentials.expiration = parseRfc3339(expiration);
  if (!credentials.expiration) throw CredentialsError("the STS answer's Expiration is not an RFC 3339 time");
  return credentials;
}

StsError parseStsError(const std::string& xml) {
  try {
    auto doc = parseXml(xml);
    return StsError{textAt(*doc, "/ErrorResponse/Error/Type"), textAt(*doc, "/ErrorResponse/Error/Code"),
                    textAt(*doc, "/ErrorResponse/Error/Message")};
  } catch (const Poco::Exception&) {
    return {};
  }
}

}  // namespace podmon::aws
