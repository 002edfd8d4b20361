#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "servers/aws_credentials_test_server.h"
#include "servers/es_test_server.h"
#include "servers/slack_test_server.h"

namespace Poco::Net {
class HTTPServer;
}

namespace podmon::testing {

// The control port of sinks-sim (tests/tools/sinks_sim_main.cpp): shell scripts inject
// Elasticsearch and Slack faults and read what arrived, over plain HTTP on 127.0.0.1. A class of
// its own so the integration tests check every knob the end-to-end and fault scripts rely on.
//   POST /es/down, /es/up                       refuse connections / serve again (same port)
//   POST /es/reject-items?n=N&status=S          next N bulk items fail (429 es_rejected_execution_exception)
//   POST /es/fail-requests?n=N&status=S         next N requests fail whole (503 by default)
//   POST /es/fail-documents?field=F&value=V     documents whose string field F equals V get a 400
//                                               mapper_parsing_exception item; without field: none
//   POST /slack/429?n=N&retry=S                 next N posts: 429 with Retry-After: S
//   POST /slack/fail?n=N&status=S               next N posts: 5xx
//   POST /slack/channel-error?channel=C&error=E ok:false E for every post to C ("" clears)
//   POST /es/require-auth?header=H              401 unless Authorization is exactly H ("" = no check)
//   POST /slack/auth-error?error=E              every post answers ok:false with E ("" clears)
//   POST /es/sigv4?access_key_id=K&secret=S&session_token=T&region=R&service=es|aoss
//                                               check SigV4 like Amazon OpenSearch Service (403s
//                                               with AWS's bodies); accepts key K (more keys: call again)
//   POST /es/sigv4-expire?session_token=T       T is refused as expired from now on
//   POST /es/sigv4-off                          no SigV4 check
//   GET  /es/sigv4-rejections                   {"count": N} requests refused by the SigV4 check
//   GET  /es/requests                           {"count": N} requests received, answered or refused
//   GET  /es/indices                            {"index": count, ...}
//   GET  /es/doc?index=I&id=ID                  the stored source (404 when absent)
//   GET  /es/docs                               [{"index","id","source"}, ...] every document
//   GET  /slack/messages                        [{"channel","text","thread_ts","ts","body","ts_received_us","updated"},
//   ...]
//                                               (text and body: the raw JSON as last posted or updated;
//                                               updated: chat.update calls on it)
//   GET  /slack/updates                         [{"channel","ts","text","body","ts_received_us"}, ...] (chat.update)
//   GET  /slack/counts                          {"posts":N,"updates":M,"total":N+M} accepted calls
//   POST /slack/delete-message?ts=T             the message is gone: updates answer message_not_found
//   POST /slack/not-ours?ts=T                   updates of it answer cant_update_message
//   /aws/...                                    the AWS credentials stand-in, when set (servers/aws_control.h)
// Fault paths accept GET too (older scripts use plain curl). Bad parameters get a 400 naming them.
class SinksControlServer {
 public:
  struct Reply {
    int status = 200;
    std::string body;  // JSON
  };

  SinksControlServer(EsTestServer& es, SlackTestServer& slack, std::uint16_t port = 0);
  ~SinksControlServer();
  SinksControlServer(const SinksControlServer&) = delete;
  SinksControlServer& operator=(const SinksControlServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:<port>

  // The AWS credentials stand-in the /aws/ paths drive (none: they answer 404).
  void setAws(AwsCredentialsTestServer* aws) { aws_ = aws; }

  // One control request, as the HTTP handler serves it.
  Reply handle(const std::string& pathAndQuery);

 private:
  EsTestServer& es_;
  SlackTestServer& slack_;
  AwsCredentialsTestServer* aws_ = nullptr;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace podmon::testing
