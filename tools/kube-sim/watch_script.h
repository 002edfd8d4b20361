#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace podmon::kubesim {

// Scripted answers to the next watch requests, for storms a client must survive without
// hammering the server: the next N watches (or every watch until cleared) are answered with a
// 410 Expired, either as the HTTP status with a Status body or as a 200 stream whose one event is
// an ERROR with that Status (both as the real API server does), or as a 200 stream holding one
// malformed line. Each such watch ends at once, so a client that retries without backoff makes
// thousands of requests a second, which /_sim/stats shows.
class WatchScript {
 public:
  enum class Answer { kNormal, kGoneStatus, kGoneEvent, kMalformed };
  struct Settings {
    Answer answer = Answer::kNormal;
    int count = -1;  // watches answered this way: -1 = every one until replaced, N = the next N
  };
  void set(const Settings& settings);
  Settings get() const;
  // The answer for one watch request (consuming one of `count`).
  Answer take();
  // Watch requests answered by the script so far.
  uint64_t served() const;

  // "normal", "gone-status", "gone-event", "malformed"; throws std::invalid_argument otherwise.
  static Answer parseAnswer(const std::string& name);

 private:
  mutable std::mutex mu_;
  Settings settings_;
  uint64_t served_ = 0;
};

}  // namespace podmon::kubesim
