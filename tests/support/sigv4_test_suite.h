#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "aws/aws_credentials.h"
#include "aws/sigv4_signer.h"
#include "core/rfc3339.h"
#include "support/testdata.h"

namespace podmon::testing {

// One case of AWS's SigV4 test suite (tests/testdata/aws-sigv4-test-suite, Apache-2.0): the
// request, its context and the published results of header signing.
struct Sigv4SuiteCase {
  std::string name;
  aws::AwsCredentials credentials;
  aws::sigv4::SigningScope scope;
  bool signBody = false;          // x-amz-content-sha256 added and signed
  bool omitSessionToken = false;  // the token is sent but not signed
  std::string method;
  std::string target;
  aws::sigv4::Headers headers;  // as in request.txt
  std::string body;
  std::string canonicalRequest;  // expected
  std::string stringToSign;      // expected
  std::string signature;         // expected
};

inline std::vector<std::string> sigv4SuiteCaseNames() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PODMON_TESTDATA) + "/aws-sigv4-test-suite")) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// request.txt: "METHOD target HTTP/1.1", headers (a line starting with blanks continues the one
// before), a blank line, the body.
inline void parseSuiteRequest(const std::string& text, Sigv4SuiteCase& c) {
  std::size_t lineEnd = text.find('\n');
  const std::string first = text.substr(0, lineEnd);
  c.method = first.substr(0, first.find(' '));
  c.target = first.substr(c.method.size() + 1, first.rfind(" HTTP/") - c.method.size() - 1);
  std::size_t pos = lineEnd == std::string::npos ? text.size() : lineEnd + 1;
  while (pos < text.size()) {
    lineEnd = text.find('\n', pos);
    const std::string line = text.substr(pos, lineEnd == std::string::npos ? std::string::npos : lineEnd - pos);
    pos = lineEnd == std::string::npos ? text.size() : lineEnd + 1;
    if (line.empty()) {
      c.body = text.substr(pos);
      return;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !c.headers.empty()) {
      c.headers.back().second += " " + line.substr(line.find_first_not_of(" \t"));
      continue;
    }
    const std::size_t colon = line.find(':');
    c.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
}

inline Sigv4SuiteCase loadSigv4SuiteCase(const std::string& name) {
  const std::string dir = "aws-sigv4-test-suite/" + name + "/";
  Sigv4SuiteCase c;
  c.name = name;
  auto context = Poco::JSON::Parser().parse(readTestdata(dir + "context.json")).extract<Poco::JSON::Object::Ptr>();
  auto credentials = context->getObject("credentials");
  c.credentials.accessKeyId = credentials->getValue<std::string>("access_key_id");
  c.credentials.secretAccessKey = credentials->getValue<std::string>("secret_access_key");
  c.credentials.sessionToken = credentials->optValue<std::string>("token", "");
  c.scope.region = context->getValue<std::string>("region");
  c.scope.service = context->getValue<std::string>("service");
  c.scope.time = parseRfc3339(context->getValue<std::string>("timestamp")).value();
  c.scope.normalizePath = context->optValue<bool>("normalize", true);
  c.signBody = context->optValue<bool>("sign_body", false);
  c.omitSessionToken = context->optValue<bool>("omit_session_token", false);
  parseSuiteRequest(readTestdata(dir + "request.txt"), c);
  c.canonicalRequest = readTestdata(dir + "header-canonical-request.txt");
  c.stringToSign = readTestdata(dir + "header-string-to-sign.txt");
  c.signature = readTestdata(dir + "header-signature.txt");
  return c;
}

// What the suite signs for a case: the request's headers, X-Amz-Date, and X-Amz-Content-Sha256
// and X-Amz-Security-Token when the context says so.
inline aws::sigv4::SigningInput sigv4SuiteInput(const Sigv4SuiteCase& c) {
  aws::sigv4::SigningInput input{c.method, c.target, c.headers, aws::sigv4::sha256Hex(c.body)};
  input.headers.emplace_back("X-Amz-Date", aws::sigv4::amzDate(c.scope.time));
  if (c.signBody) input.headers.emplace_back("X-Amz-Content-Sha256", input.payloadHash);
  if (!c.credentials.sessionToken.empty() && !c.omitSessionToken) {
    input.headers.emplace_back("X-Amz-Security-Token", c.credentials.sessionToken);
  }
  return input;
}

}  // namespace podmon::testing
