#pragma once

#include <functional>
#include <memory>

#include "store/prune_counts.h"
#include "store/prune_cutoffs.h"

namespace podmon::store {

// Deletes what is past its retention (the daemon's prune worker, `podmonctl prune`): crash rows
// with everything that hangs off them, delivered outbox rows, alert state of quiet containers.
// Work goes in small batches, each its own short transaction, so the recorder and the outbox
// workers never wait long behind it.
class RetentionStore {
 public:
  using Ptr = std::shared_ptr<RetentionStore>;
  // Asked between batches; false ends the prune early (the worker is stopping).
  using KeepGoing = std::function<bool()>;
  virtual ~RetentionStore() = default;

  // Deletes the rows older than `cutoffs` and returns how many went per table; with `dryRun`
  // deletes nothing and returns how many would go. A crash still owed to a sink (a pending outbox
  // row) is kept until it is delivered or dead. Fingerprint counts drop by the crashes deleted; a
  // fingerprint's pod rows, and the fingerprint itself, go once no crash of theirs is left. Throws
  // StoreException when the database fails (batches already committed stay deleted).
  virtual PruneCounts prune(const PruneCutoffs& cutoffs, bool dryRun, const KeepGoing& keepGoing) = 0;
};

}  // namespace podmon::store
