#include "aws/static_credentials_provider.h"

namespace podmon::aws {

StaticCredentialsProvider::StaticCredentialsProvider(AwsCredentials credentials, std::string source)
    : credentials_(std::move(credentials)), source_(std::move(source)) {
  if (credentials_.accessKeyId.empty()) {
    throw CredentialsError("AWS_ACCESS_KEY_ID is empty while AWS_SECRET_ACCESS_KEY is set: set both");
  }
  if (credentials_.secretAccessKey.empty()) {
    throw CredentialsError("AWS_SECRET_ACCESS_KEY (or AWS_SECRET_ACCESS_KEY_FILE) is empty while AWS_ACCESS_KEY_ID " +
                           credentials_.accessKeyId + " is set: set both");
  }
}

std::string StaticCredentialsProvider::describe() const {
  return source_ + (credentials_.sessionToken.empty() ? "" : ", with a session token");
}

}  // namespace podmon::aws
