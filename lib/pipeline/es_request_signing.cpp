#include "pipeline/es_request_signing.h"

#include <Poco/URI.h>

#include "aws/default_credentials.h"
#include "aws/sigv4_request_signer.h"
#include "core/errors.h"
#include "core/settings.h"

namespace podmon::pipeline {

namespace {

std::string why(const AwsSettings& aws) {
  return aws.sigv4FromDeployEnv ? "DEPLOY_ENV=" + aws.deployEnv + " turns on SigV4 signing"
                                : "ELASTICSEARCH_AWS_SIGV4=true";
}

bool urlHasUserInfo(const std::string& url) {
  try {
    return !Poco::URI(url).getUserInfo().empty();
  } catch (const Poco::Exception&) {
    return false;  // the Elasticsearch client names the bad URL
  }
}

void checkSigV4Settings(const Settings& settings) {
  const AwsSettings& aws = settings.aws;
  const ElasticsearchSettings& es = settings.elasticsearch;
  if (aws.region.empty()) {
    throw ConfigException(why(aws) +
                          " but no region is set: set AWS_REGION (or AWS_DEFAULT_REGION) to the region of "
                          "the OpenSearch/Elasticsearch domain, e.g. AWS_REGION=eu-west-1");
  }
  if (!es.username.empty() || !es.password.empty() || !es.apiKey.empty() || urlHasUserInfo(es.url)) {
    throw ConfigException(why(aws) +
                          " and ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, ELASTICSEARCH_API_KEY or a user in "
                          "ELASTICSEARCH_URL are also set: a request carries one Authorization, so use either "
                          "SigV4 (IAM) or basic auth/an API key, not both");
  }
}

}  // namespace

EsRequestSigning esRequestSigning(const Settings& settings, Clock::Ptr clock) {
  const AwsSettings& aws = settings.aws;
  if (!aws.sigv4) return {};
  checkSigV4Settings(settings);
  aws::CredentialsProvider::Ptr provider;
  try {
    provider = aws::defaultCredentialsProvider(aws, clock);
  } catch (const aws::CredentialsError& e) {
    throw ConfigException(why(aws) + " but " + e.what());
  }
  const std::string service = aws.service.empty() ? "es" : aws.service;
  auto signer = std::make_shared<aws::SigV4RequestSigner>(provider, aws.region, service, std::move(clock));
  return {signer, ", signed with " + signer->describe()};
}

}  // namespace podmon::pipeline
