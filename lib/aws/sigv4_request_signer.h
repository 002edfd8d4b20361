#pragma once

#include <string>

#include "aws/aws_credentials.h"
#include "core/clock.h"
#include "http/http_client.h"

namespace podmon::aws {

// Signs each Elasticsearch/OpenSearch request with AWS Signature Version 4 (Amazon OpenSearch
// Service `es`, OpenSearch Serverless `aoss`), with whatever credentials the provider has now, so
// temporary credentials refreshed in the background are picked up request by request. Adds
// x-amz-date (from the injected clock), x-amz-content-sha256 (always: Serverless requires it),
// x-amz-security-token for temporary credentials and Authorization; signs those, host and
// content-type. A 401/403 that AWS words as a stale signature or token, while the credentials are
// temporary, drops them (invalidate()) so the client signs once more with fresh ones; each such
// answer is logged with the access key id (not secret) and AWS's message without the canonical
// request it echoes.
class SigV4RequestSigner : public http::RequestSigner {
 public:
  SigV4RequestSigner(CredentialsProvider::Ptr provider, std::string region, std::string service, Clock::Ptr clock);

  // Throws CredentialsError when the provider has no credentials, std::invalid_argument when the
  // request has no Host header (PocoHttpClient sets it).
  void sign(http::HttpRequest& request) const override;
  bool credentialsRejected(const http::HttpResponse& response) const override;

  // "SigV4 (service es, region eu-west-1, credentials: environment)": no secret.
  std::string describe() const;

 private:
  CredentialsProvider::Ptr provider_;
  std::string region_;
  std::string service_;
  Clock::Ptr clock_;
};

}  // namespace podmon::aws
