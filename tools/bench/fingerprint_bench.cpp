// How long crashFingerprint() takes per crash for logs of 1 KiB, 64 KiB and 1 MiB (an access log
// ending in a Go panic). It runs on the recorder's thread, once per crash.
// Usage: fingerprint_bench [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crash/crash_fingerprint.h"

int main(int argc, char** argv) {
  using podmon::crash::FingerprintInput;
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
  for (std::size_t kib : {1, 64, 1024}) {
    std::string log;
    for (int i = 0; log.size() < kib * 1024; ++i) {
      log += "2026-11-22T01:00:00." + std::to_string(i % 1000) + "Z INFO request_id=ab" + std::to_string(i) +
             " GET /orders/" + std::to_string(i) + " from 10.42.0.17:51234 took 12.5ms\n";
    }
    log +=
        "panic: runtime error: invalid memory address or nil pointer dereference\n\n"
        "goroutine 52 [running]:\nmain.main()\n\t/src/main.go:31 +0x1d\n";
    FingerprintInput input;
    input.image = "ghcr.io/acme/orders:1";
    input.reason = "Error";
    input.exitCode = 2;
    input.logs = log;
    std::string fingerprint;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) fingerprint = podmon::crash::crashFingerprint(input);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count() /
        rounds;
    std::printf("log %5zu KiB: %lld us per fingerprint (%s)\n", kib, static_cast<long long>(micros),
                fingerprint.c_str());
  }
  return 0;
}
