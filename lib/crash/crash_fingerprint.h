#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crash/crash_event.h"

// Crash fingerprints: which crashes are "the same failure". Pure (no I/O), so every rule below is
// unit tested with realistic logs (tests/unit/crash/crash_fingerprint_test.cpp).
namespace podmon::crash {

// What a fingerprint is computed from. podName and nodeName are not part of the fingerprint: they
// are removed from the log text, because the same bug crashes many pods on many nodes.
struct FingerprintInput {
  std::string image;  // as in the pod spec; tag, digest and registry host are dropped
  std::optional<int> exitCode;
  std::string reason;    // the kubelet's reason (Error, OOMKilled, ...)
  std::string logs;      // the crashed container's previous log (its tail is used)
  std::string message;   // the termination message; used in place of the log when there is none
  std::string podName;   // removed from the text
  std::string nodeName;  // removed from the text
};

// The input for a detected crash and its (enriched) log.
FingerprintInput fingerprintInput(const CrashEvent& crash, const std::string& logs);

// The fingerprint of a crash: the first 16 hex digits (64 bits) of the SHA-256 of
// "v1", the image name, the reason, the exit code and failureSignature(), one per line.
// 64 bits: a collision is unlikely before billions of distinct failures, and 16 characters fit a
// Slack line and a table column. Same failure with different noise gives the same value; the
// version prefix lets the rules change later without mixing old and new values silently.
std::string crashFingerprint(const FingerprintInput& input);

// "ghcr.io/acme/api:1.2@sha256:..." -> "acme/api"; "docker.io/library/nginx:1.27" -> "nginx".
// The registry host is dropped so that one image pulled through regional mirrors is one failure.
std::string imageName(std::string_view image);

// Decisions: line numbers in stack frames are stripped (a rebuild that moves code, or a patch
// release, is still the same failure; the file and function names stay). Goroutine ids and
// states are stripped, thread names too: which worker hit the bug does not make another bug.
// Exception classes, messages with their values replaced, file paths and function names stay.
//
// One log line with what varies between occurrences replaced by placeholders: timestamps (RFC
// 3339, syslog, nginx, Go/klog, Java/Python logging), UUIDs, 0x... and long hex ids, IPv4/IPv6
// addresses with ports, durations, numbers (so line numbers in stack frames and goroutine ids
// too), key=value ids (request_id=..., trace_id: ...), thread names (Java "Exception in thread
// "main"" as a quoted value, Spring's "--- [nio-8080-exec-3]"), quoted values (except Python's
// File "path" and, in JSON lines, the values of msg/message/error/level keys), the pod's own name,
// the node name and pod-name hash suffixes (-7d9f8c6b5d-x2k4p). Runs of blanks become one space.
std::string normalizeLogLine(std::string_view line, std::string_view podName = {}, std::string_view nodeName = {});

// The normalised lines that identify the failure, from the tail of the log:
//  - a Go panic / fatal error: its first line and the first frames of the panicking goroutine
//    (other goroutines' dumps come in any order and are left out);
//  - otherwise the block around the last error line (a line naming an error, exception, panic,
//    failure, ... or a headline next to stack frames): its headlines (exception class and
//    message skeleton, Caused by) and, of each run of stack frames, the first and last four
//    (innermost frames come first in Java/Node and last in Python);
//  - no error line: the last three lines;
//  - reason OOMKilled: nothing; the kernel killed the process wherever it was, so the log tail
//    is noise and the image, reason and exit code are the failure.
std::vector<std::string> failureSignature(const FingerprintInput& input);

}  // namespace podmon::crash
