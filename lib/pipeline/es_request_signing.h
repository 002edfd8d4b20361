#pragma once

#include <string>

#include "core/clock.h"
#include "http/http_client.h"

namespace podmon {
struct Settings;
}

namespace podmon::pipeline {

// How Elasticsearch requests are signed: with AWS SigV4 when ELASTICSEARCH_AWS_SIGV4 is on (or
// DEPLOY_ENV says so), else not at all.
struct EsRequestSigning {
  http::RequestSigner::Ptr signer;  // null: unsigned
  std::string startupNote;          // " signed with SigV4 (...)", "" when unsigned
};

// Throws ConfigException, naming the settings, when SigV4 is on and: no region (AWS_REGION), basic
// auth or an API key is also set (in the settings or the URL), or no AWS credentials are
// configured.
EsRequestSigning esRequestSigning(const Settings& settings, Clock::Ptr clock);

}  // namespace podmon::pipeline
