#pragma once

#include <chrono>
#include <string>

#include "store/crash_record.h"

// The Elasticsearch document of one crash: the original tool's fields (namespace, pod_name,
// container_name, created_at in epoch ms, cluster_name, logs, restart_count, termination_state)
// plus everything podmon knows. Pure, so the exact JSON is unit-tested; the mapping it must fit
// is lib/index/index_template.json.
namespace podmon::index {

// Label keys with '.' replaced by '_': `app` and `app.kubernetes.io/name` would otherwise clash
// (one an object, one a keyword). `flattened` would avoid this but is missing on OpenSearch and
// on Elasticsearch before 7.3, so podmon de-dots (the dynamic template maps them as keywords).
std::string dedotLabelKey(const std::string& key);

// One line of JSON (no newline). `fallbackTime` dates a crash that has neither finishedAt nor a
// detection time. Text is made valid UTF-8; empty optional fields are left out.
std::string buildCrashDocument(const store::StoredCrash& crash, std::chrono::system_clock::time_point fallbackTime);

// The document _id: the crash key, or "podmon-crash-<row id>" for a row without one.
std::string documentId(const store::StoredCrash& crash);

}  // namespace podmon::index
