#pragma once

#include <Poco/Data/Session.h>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace podmon::store {

// What the session runners (MySqlSessionPool, SqliteDatabase, SqlBackend) run: their locking,
// retry and transaction handling is written once, without templates, over this one type.
using SessionBody = std::function<void(Poco::Data::Session&)>;

// Runs fn(Poco::Data::Session&) through runBody(const SessionBody&) and hands back what fn
// returned (nothing for a void fn), so withSession/inTransaction can take any lambda. fn may run
// more than once (a retried attempt); the last run's result is returned.
template <typename Fn, typename RunBody>
auto runReturning(Fn&& fn, RunBody&& runBody) {
  using Result = std::invoke_result_t<Fn&, Poco::Data::Session&>;
  if constexpr (std::is_void_v<Result>) {
    runBody(SessionBody([&](Poco::Data::Session& session) { fn(session); }));
  } else {
    std::optional<Result> result;
    runBody(SessionBody([&](Poco::Data::Session& session) { result.emplace(fn(session)); }));
    return std::move(*result);
  }
}

}  // namespace podmon::store
