#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "notify/slack_message.h"
#include "notify/storm_summary.h"
#include "store/crash_record.h"

namespace podmon::notify {

// What a follow-up reports about the crashes folded since the last message.
struct FollowUpSummary {
  int crashCount = 0;
  std::chrono::system_clock::time_point since{};
  std::string lastReason;
  std::optional<int> lastExitCode;
};

// What the alerts carry besides the crash's details.
struct CrashMessageOptions {
  std::string kibanaUrl;     // KIBANA_URL: a Kibana Discover link to the pod's logs ("" = none)
  std::string dashboardUrl;  // ELASTICSEARCH_DASHBOARD: the original's fixed dashboard link, when kibanaUrl is ""
  // SLACK_INCLUDE_LOGS: false keeps the log lines and the termination message (which Kubernetes
  // fills from the log's tail with FallbackToLogsOnError) out of the message.
  bool includeLogs = true;
};

// Turns a stored crash into the Slack message on-call reads: pure, so the blocks, the escaping and
// the cuts to Slack's limits (header 150, section 3000, 10 fields) are unit tested. All log and
// Kubernetes text is treated as untrusted: made valid UTF-8, & < > escaped, code fences broken up.
class CrashMessageBuilder {
 public:
  static constexpr std::size_t kHeaderMax = 150;
  static constexpr std::size_t kSectionMax = 3000;
  static constexpr std::size_t kFieldMax = 300;  // Slack allows 2000; names are short
  static constexpr std::size_t kTextMax = 3000;  // the notification fallback

  explicit CrashMessageBuilder(std::string kibanaUrl = "");
  explicit CrashMessageBuilder(CrashMessageOptions options);

  // The first alert of an episode. `note` (already mrkdwn) is shown above the details, e.g. why
  // the message is in the default channel.
  SlackMessage alert(const store::StoredCrash& crash, const std::string& channel, const std::string& note = "") const;

  // A follow-up about folded crashes; threadTs "" posts it at the top level (webhooks).
  SlackMessage followUp(const store::StoredCrash& latest, const FollowUpSummary& summary, const std::string& channel,
                        const std::string& threadTs, const std::string& note = "") const;

  // A crash-storm group's message (StormGrouper): one failure (fingerprint) in `summary`'s pods,
  // namespaces and workloads, with `latest`'s details and log lines as the example. The same
  // message is posted first and then sent again with chat.update as the group grows.
  SlackMessage storm(const store::StoredCrash& latest, const StormSummary& summary, const std::string& channel,
                     const std::string& note = "") const;

  // "<!date^1714557600^{date_short_pretty} {time_secs}|2024-05-01 10:00:00 UTC>": Slack shows it
  // in the reader's time zone.
  static std::string slackDate(std::chrono::system_clock::time_point time);

  // Whether the crash is a new failure, from the fingerprint history stored with it at record
  // time (not read at delivery: a delayed alert tells what was true when the crash happened).
  // "New failure" or "Seen before: seen 3 times since 2024-05-01 10:00 UTC in 2 pods[ across 2
  // clusters]"; with forSlackBlocks, mrkdwn with an emoji and a Slack date. "" without a history.
  static std::string failureHistory(const store::StoredCrash& crash, bool forSlackBlocks);

 private:
  std::string linkElement(const crash::CrashEvent& e) const;

  CrashMessageOptions options_;
};

}  // namespace podmon::notify
