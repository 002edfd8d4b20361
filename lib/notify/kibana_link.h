#pragma once

#include <chrono>
#include <string>

// A link from an alert straight to the pod's logs: Kibana Discover with a KQL query on the
// fields podmon's Elasticsearch documents carry (namespace, pod_name) and a time range around the
// crash, so the link still shows the right logs days later. Pure.
namespace podmon::notify {

// "" when kibanaBaseUrl is "". The query values are KQL-quoted, the app state is rison-encoded
// and the whole is percent-encoded, so the URL holds no '|', '<', '>' or spaces.
std::string kibanaDiscoverUrl(const std::string& kibanaBaseUrl, const std::string& namespace_,
                              const std::string& podName, std::chrono::system_clock::time_point crashAt);

}  // namespace podmon::notify
