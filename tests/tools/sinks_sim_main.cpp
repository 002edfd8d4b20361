// sinks-sim: the Elasticsearch and Slack test servers as one program, for the demo (tools/dev/run),
// the end-to-end tests and the fault suite. Prints `export` lines with their URLs, then serves until
// SIGTERM. Its control port (SINKS_SIM_CONTROL) injects faults and shows what arrived: see
// tests/servers/sinks_control_server.h for the endpoints.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/shutdown.h"
#include "servers/aws_credentials_test_server.h"
#include "servers/es_test_server.h"
#include "servers/sinks_control_server.h"
#include "servers/slack_test_server.h"

int main(int argc, char** argv) {
  podmon::Shutdown shutdown;
  std::string envFile;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--env-file") envFile = argv[i + 1];
  }
  podmon::testing::EsTestServer es;
  podmon::testing::SlackTestServer slack;
  podmon::testing::AwsCredentialsTestServer aws;  // STS, container credentials, IMDSv2
  // Elasticsearch's SigV4 check (when on) accepts every set of credentials the AWS stand-in issues.
  aws.setIssueListener([&es](const podmon::testing::AwsCredentialsTestServer::Issued& issued) {
    es.sigv4().addCredentials(issued.accessKeyId, issued.secretAccessKey, issued.sessionToken);
  });
  std::size_t docs = 0;
  std::size_t messages = 0;
  {
    podmon::testing::SinksControlServer control(es, slack);
    control.setAws(&aws);
    std::ostringstream env;
    env << "export ELASTICSEARCH_URL=" << es.url() << "\n"
        << "export SLACK_API_URL=" << slack.apiUrl() << "\n"
        << "export SLACK_TOKEN=" << slack.token() << "\n"
        << "export SINKS_SIM_CONTROL=" << control.url() << "\n"
        << "export SINKS_SIM_AWS_URL=" << aws.url() << "\n";
    if (!envFile.empty()) {
      std::ofstream(envFile + ".tmp") << env.str();
      std::rename((envFile + ".tmp").c_str(), envFile.c_str());
    }
    std::cout << env.str() << std::flush;
    shutdown.wait();
    docs = es.documentCount();
    messages = slack.messages().size();
  }
  std::cerr << "sinks-sim: " << docs << " Elasticsearch documents, " << messages << " Slack messages\n";
  return 0;
}
