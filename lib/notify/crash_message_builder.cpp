#include "notify/crash_message_builder.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <utility>

#include "notify/exit_code_meaning.h"
#include "notify/kibana_link.h"
#include "notify/mrkdwn.h"

namespace podmon::notify {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr textObject(const std::string& type, const std::string& text) {
  Object::Ptr object = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  object->set("type", type);
  object->set("text", text);
  if (type == "plain_text") object->set("emoji", true);
  return object;
}

Object::Ptr section(const std::string& mrkdwn) {
  Object::Ptr block = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  block->set("type", "section");
  block->set("text", textObject("mrkdwn", mrkdwn));
  return block;
}

Object::Ptr context(const std::vector<std::string>& mrkdwnElements) {
  Object::Ptr block = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  block->set("type", "context");
  Array::Ptr elements = new Array;
  for (const auto& text : mrkdwnElements) elements->add(textObject("mrkdwn", text));
  block->set("elements", elements);
  return block;
}

std::string orDash(const std::string& value) { return value.empty() ? "-" : value; }

std::string field(const std::string& label, const std::string& rawValue) {
  return "*" + label + "*\n" + fitMrkdwn(orDash(rawValue), CrashMessageBuilder::kFieldMax);
}

std::string workload(const crash::CrashEvent& e) {
  if (e.ownerName.empty()) return "";
  return e.ownerKind.empty() ? e.ownerName : e.ownerKind + "/" + e.ownerName;
}

std::chrono::system_clock::time_point crashTime(const crash::CrashEvent& e) { return e.detectedAt; }

// A code block of at most maxLength holding the newest part of text.
std::string codeBlock(const std::string& title, const std::string& text, std::size_t maxLength) {
  const std::string head = "*" + title + "*\n```\n";
  const std::string tail = "\n```";
  const std::size_t overhead = slackLength(head) + slackLength(tail);
  const std::size_t budget = maxLength > overhead ? maxLength - overhead : 0;
  return head + logTailForCodeBlock(text, budget) + tail;
}

std::string kibanaElement(const std::string& kibanaUrl, const crash::CrashEvent& e) {
  const std::string url = kibanaDiscoverUrl(kibanaUrl, e.namespace_, e.podName, crashTime(e));
  if (url.empty()) return "";
  return "<" + escapeMrkdwn(url) + "|View logs in Kibana>";
}

std::string plural(std::int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string CrashMessageBuilder::failureHistory(const store::StoredCrash& crash, bool forSlackBlocks) {
  if (!crash.fingerprintHistory) return "";
  const auto& h = *crash.fingerprintHistory;
  if (h.isNew()) return forSlackBlocks ? ":new: *New failure*: this error has not been seen before." : "New failure";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(h.firstSeen.time_since_epoch()).count();
  const std::string date =
      forSlackBlocks ? slackDate(h.firstSeen)
                     : Poco::DateTimeFormatter::format(
                           Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)), "%Y-%m-%d %H:%M UTC");
  std::string text =
      "seen " + plural(h.count, "time", "times") + " since " + date + " in " + plural(h.pods, "pod", "pods");
  if (h.clusters > 1) text += " across " + plural(h.clusters, "cluster", "clusters");
  return forSlackBlocks ? ":repeat: *Seen before*: " + text + "." : "Seen before: " + text;
}

CrashMessageBuilder::CrashMessageBuilder(std::string kibanaUrl)
    : CrashMessageBuilder(CrashMessageOptions{std::move(kibanaUrl), "", true}) {}

CrashMessageBuilder::CrashMessageBuilder(CrashMessageOptions options) : options_(std::move(options)) {}

// KIBANA_URL's Discover link to the pod's logs, else the original's dashboard link, worded as the
// original's messages had it.
std::string CrashMessageBuilder::linkElement(const crash::CrashEvent& e) const {
  if (!options_.kibanaUrl.empty()) return kibanaElement(options_.kibanaUrl, e);
  if (options_.dashboardUrl.empty()) return "";
  return "<" + escapeMrkdwn(options_.dashboardUrl) + "|Kibana dashboard>";
}

std::string CrashMessageBuilder::slackDate(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  const std::string fallback = Poco::DateTimeFormatter::format(
      Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)), "%Y-%m-%d %H:%M:%S UTC");
  return "<!date^" + std::to_string(seconds) + "^{date_short_pretty} {time_secs}|" + fallback + ">";
}

SlackMessage CrashMessageBuilder::alert(const store::StoredCrash& crash, const std::string& channel,
                                        const std::string& note) const {
  const auto& record = crash.record;
  const auto& e = record.event;
  SlackMessage message;
  message.channel = channel;
  const std::string exit = describeExit(e.exitCode, e.reason);
  message.text = fitMrkdwn("Pod crash in " + orDash(e.clusterName) + ": " + e.namespace_ + "/" + e.podName +
                               " container " + e.containerName + ": " + orDash(e.reason) + ", exit code " + exit +
                               ", restart count " + std::to_string(e.restartCount) +
                               (crash.fingerprintHistory ? ". " + failureHistory(crash, false) : std::string()),
                           kTextMax);

  Array::Ptr blocks = new Array;
  Object::Ptr header = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  header->set("type", "header");
  header->set("text", textObject("plain_text", fitPlainText(":rotating_light: Pod crash: " + e.namespace_ + "/" +
                                                                e.podName + " (" + e.containerName + ")",
                                                            kHeaderMax)));
  blocks->add(header);
  if (!note.empty()) blocks->add(section(note));

  Object::Ptr details = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  details->set("type", "section");
  Array::Ptr fields = new Array;
  fields->add(textObject("mrkdwn", field("Cluster", e.clusterName)));
  fields->add(textObject("mrkdwn", field("Namespace", e.namespace_)));
  fields->add(textObject("mrkdwn", field("Pod", e.podName)));
  fields->add(textObject("mrkdwn", field("Container", e.containerName)));
  fields->add(textObject("mrkdwn", field("Workload", workload(e))));
  fields->add(textObject("mrkdwn", field("Node", e.nodeName)));
  fields->add(textObject("mrkdwn", field("Reason", e.reason)));
  fields->add(textObject("mrkdwn", field("Exit code", exit)));
  fields->add(textObject("mrkdwn", field("Restarts", std::to_string(e.restartCount))));
  fields->add(textObject("mrkdwn", "*Time*\n" + slackDate(crashTime(e))));
  details->set("fields", fields);
  blocks->add(details);
  if (const std::string history = failureHistory(crash, true); !history.empty()) blocks->add(section(history));

  if (options_.includeLogs && !e.message.empty())
    blocks->add(section(codeBlock("Termination message", e.message, 1000)));
  if (options_.includeLogs && !record.logs.empty()) {
    blocks->add(section(codeBlock("Last log lines", record.logs, kSectionMax - 10)));
  }
  std::vector<std::string> contextElements;
  if (options_.includeLogs && (record.logs.empty() || (!record.logsStatus.empty() && record.logsStatus != "ok"))) {
    contextElements.push_back("Logs: " +
                              fitMrkdwn(record.logsStatus.empty() ? "none captured" : record.logsStatus, 200));
  }
  const std::string kibana = linkElement(e);
  if (!kibana.empty()) contextElements.push_back(kibana);
  if (!e.image.empty()) contextElements.push_back("Image: " + fitMrkdwn(e.image, 300));
  if (!record.fingerprint.empty())
    contextElements.push_back("Fingerprint: `" + fitMrkdwn(record.fingerprint, 64) + "`");
  if (!contextElements.empty()) blocks->add(context(contextElements));
  message.blocks = blocks;
  return message;
}

namespace {

// "`ns-a` 25 · `ns-b` 3" or "`ns-a/Deployment/web` 25 · ...", cut to Slack's section limit.
std::string stormList(const std::vector<std::pair<std::string, int>>& counts) {
  std::string text;
  std::size_t shown = 0;
  for (const auto& [name, crashes] : counts) {
    std::string entry = (text.empty() ? "" : " · ") + ("`" + fitMrkdwn(name, 200) + "` " + std::to_string(crashes));
    if (slackLength(text) + slackLength(entry) > CrashMessageBuilder::kSectionMax - 200) break;
    text += entry;
    ++shown;
  }
  if (shown < counts.size()) text += " and " + std::to_string(counts.size() - shown) + " more";
  return text;
}

std::vector<std::pair<std::string, int>> workloadCounts(const StormSummary& summary) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto& e : summary.entries()) counts.emplace_back(e.namespace_ + "/" + e.workload, e.crashes);
  return counts;
}

}  // namespace

SlackMessage CrashMessageBuilder::storm(const store::StoredCrash& latest, const StormSummary& summary,
                                        const std::string& channel, const std::string& note) const {
  const auto& e = latest.record.event;
  SlackMessage message;
  message.channel = channel;
  const std::string exit = describeExit(e.exitCode, e.reason);
  const std::string size = plural(summary.crashes(), "crash", "crashes") + " in " +
                           plural(static_cast<std::int64_t>(summary.namespaces().size()), "namespace", "namespaces") +
                           ", " + plural(static_cast<std::int64_t>(summary.workloadCount()), "workload", "workloads");
  message.text = fitMrkdwn("Crash storm in " + orDash(e.clusterName) + ": one failure (" + orDash(e.reason) +
                               ", exit code " + exit + "), " + size,
                           kTextMax);
  Array::Ptr blocks = new Array;
  Object::Ptr header = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  header->set("type", "header");
  header->set("text", textObject("plain_text", fitPlainText(":rotating_light: Crash storm: " + size, kHeaderMax)));
  blocks->add(header);
  if (!note.empty()) blocks->add(section(note));
  blocks->add(section("*" + size + "*, all with one failure: " + fitMrkdwn(orDash(e.reason), 200) + ", exit code " +
                      fitMrkdwn(exit, 200) + ". This message is updated as more crash; latest: " +
                      fitMrkdwn(e.namespace_ + "/" + e.podName + " (" + e.containerName + ")", 600) + " at " +
                      slackDate(crashTime(e)) + "."));
  blocks->add(section("*Namespaces*\n" + stormList(summary.perNamespace())));
  blocks->add(section("*Workloads*\n" + stormList(workloadCounts(summary))));
  if (options_.includeLogs && !latest.record.logs.empty()) {
    blocks->add(section(codeBlock("Last log lines (latest crash)", latest.record.logs, 1500)));
  }
  std::vector<std::string> contextElements{"Cluster: " + fitMrkdwn(orDash(e.clusterName), 200)};
  if (!latest.record.fingerprint.empty())
    contextElements.push_back("Fingerprint: `" + fitMrkdwn(latest.record.fingerprint, 64) + "`");
  if (const std::string link = linkElement(e); !link.empty()) contextElements.push_back(link);
  blocks->add(context(contextElements));
  message.blocks = blocks;
  return message;
}

SlackMessage CrashMessageBuilder::followUp(const store::StoredCrash& latest, const FollowUpSummary& summary,
                                           const std::string& channel, const std::string& threadTs,
                                           const std::string& note) const {
  const auto& e = latest.record.event;
  SlackMessage message;
  message.channel = channel;
  message.threadTs = threadTs;
  const std::string times =
      summary.crashCount == 1 ? "1 more time" : std::to_string(summary.crashCount) + " more times";
  const std::string what = (threadTs.empty() ? orDash(e.clusterName) + " " + e.namespace_ + "/" : "") +
                           (workload(e).empty() ? e.podName : workload(e)) + " container " + e.containerName;
  const std::string last =
      orDash(summary.lastReason) + ", exit code " + describeExit(summary.lastExitCode, summary.lastReason);
  message.text = fitMrkdwn(what + " crashed " + times + " since the last alert; last: " + last, kTextMax);

  Array::Ptr blocks = new Array;
  if (!note.empty()) blocks->add(section(note));
  blocks->add(section(":repeat: " + fitMrkdwn(what, 600) + " crashed *" + times + "* since " +
                      slackDate(summary.since) + ".\nLast reason: " + fitMrkdwn(last, 600) + "; restart count " +
                      std::to_string(e.restartCount) + ", pod " + fitMrkdwn(e.podName, 300) + "."));
  const std::string kibana = linkElement(e);
  if (!kibana.empty()) blocks->add(context({kibana}));
  message.blocks = blocks;
  return message;
}

}  // namespace podmon::notify
