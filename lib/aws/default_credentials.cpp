#include "aws/default_credentials.h"

#include <utility>

#include "aws/credentials_chain.h"
#include "core/settings.h"

namespace podmon::aws {

CredentialsProvider::Ptr defaultCredentialsProvider(const AwsSettings& settings, Clock::Ptr clock) {
  return makeCredentialsChain(settings, std::move(clock));
}

}  // namespace podmon::aws
