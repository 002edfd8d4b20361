#include "pipeline/namespace_event_lists.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errors.h"

namespace podmon::pipeline {

std::map<std::string, std::vector<kube::PodEventInfo>> eventsByPod(std::vector<kube::PodEventInfo> events) {
  std::map<std::string, std::vector<kube::PodEventInfo>> byPod;
  for (auto& e : events) {
    if (!e.involvedUid.empty()) byPod[e.involvedUid].push_back(std::move(e));
  }
  return byPod;
}

NamespaceEventLists::NamespaceEventLists(kube::KubeApi::Ptr api, Options options, Clock::Ptr clock)
    : api_(std::move(api)), options_(options), clock_(std::move(clock)) {}

std::size_t NamespaceEventLists::listsFetched() const {
  std::lock_guard lock(mutex_);
  return listsFetched_;
}

std::shared_ptr<NamespaceEventLists::List> NamespaceEventLists::listFor(const crash::CrashEvent& crash, bool& leader) {
  leader = false;
  const auto steadyNow = clock_->steadyNow();
  std::lock_guard lock(mutex_);
  Namespace& ns = namespaces_[crash.namespace_];
  while (!ns.reads.empty() && steadyNow - ns.reads.front().first > options_.stormWindow) ns.reads.pop_front();
  // Distinct pods: a crash's retries are no storm.
  if (std::none_of(ns.reads.begin(), ns.reads.end(), [&](const auto& r) { return r.second == crash.podUid; }))
    ns.reads.emplace_back(steadyNow, crash.podUid);
  if (ns.latest && steadyNow - ns.latest->startedSteady > options_.keepFor) ns.latest.reset();
  // Bounded: namespaces without a storm and without a kept list are forgotten.
  if (ns.reads.size() < options_.stormThreshold || crash.detectedAt == std::chrono::system_clock::time_point{}) {
    if (ns.reads.size() == 1 && !ns.latest) {
      for (auto it = namespaces_.begin(); it != namespaces_.end();) {
        const bool idle =
            it->first != crash.namespace_ && !it->second.latest &&
            (it->second.reads.empty() || steadyNow - it->second.reads.back().first > options_.stormWindow);
        it = idle ? namespaces_.erase(it) : std::next(it);
      }
    }
    return nullptr;
  }
  // A list started at or after the detection holds every event the pod had when it crashed.
  if (ns.latest && ns.latest->startedAt >= crash.detectedAt) return ns.latest;
  auto list = std::make_shared<List>();
  list->startedAt = clock_->now();
  list->startedSteady = steadyNow;
  list->result = list->promise.get_future().share();
  ns.latest = list;
  leader = true;
  return list;
}

std::shared_ptr<const NamespaceEventLists::Listing> NamespaceEventLists::fetch(const std::string& namespace_,
                                                                               std::chrono::milliseconds timeout) {
  const auto deadline = clock_->steadyNow() + timeout;
  std::vector<kube::PodEventInfo> all;
  std::string continueToken;
  auto listing = std::make_shared<Listing>();
  for (int page = 0; page < options_.maxPages; ++page) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_->steadyNow());
    if (left <= std::chrono::milliseconds::zero()) return nullptr;
    kube::EventListPage got = api_->listEvents(namespace_, options_.pageSize, continueToken, left);
    for (auto& e : got.events) all.push_back(std::move(e));
    continueToken = std::move(got.continueToken);
    if (continueToken.empty()) {
      listing->complete = true;
      break;
    }
  }
  {
    std::lock_guard lock(mutex_);
    ++listsFetched_;
  }
  if (!listing->complete) {
    spdlog::debug("events of namespace {}: more than {} pages, each crash reads its own", namespace_,
                  options_.maxPages);
    return listing;
  }
  listing->byPod = eventsByPod(std::move(all));
  return listing;
}

std::vector<kube::PodEventInfo> NamespaceEventLists::podEvents(const crash::CrashEvent& crash,
                                                               std::chrono::milliseconds timeout) {
  bool leader = false;
  std::shared_ptr<List> list = listFor(crash, leader);
  if (!list) return api_->podEvents(crash.namespace_, crash.podUid, timeout);
  std::shared_ptr<const Listing> listing;
  if (leader) {
    try {
      listing = fetch(crash.namespace_, timeout);
    } catch (const Poco::Exception& e) {
      spdlog::debug("events of namespace {}: {}", crash.namespace_, e.displayText());
    } catch (const std::exception& e) {
      spdlog::debug("events of namespace {}: {}", crash.namespace_, e.what());
    }
    list->promise.set_value(listing);  // always set: the waiting crashes then read their own
  } else {
    if (list->result.wait_for(timeout) != std::future_status::ready)
      throw KubeException("timed out waiting for the namespace's events", 0);
    listing = list->result.get();
  }
  // A failed or too long list: this crash reads its own, as in quiet times.
  if (!listing || !listing->complete) return api_->podEvents(crash.namespace_, crash.podUid, timeout);
  auto it = listing->byPod.find(crash.podUid);
  return it == listing->byPod.end() ? std::vector<kube::PodEventInfo>{} : it->second;
}

}  // namespace podmon::pipeline
