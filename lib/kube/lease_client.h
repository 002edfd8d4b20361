#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kube/kube_transport.h"

namespace podmon::kube {

// The spec of a coordination.k8s.io/v1 Lease plus the resourceVersion it was read at.
struct LeaseRecord {
  std::string holderIdentity;
  int leaseDurationSeconds = 0;
  std::string acquireTime;  // MicroTime: RFC 3339 with exactly 6 fractional digits, UTC
  std::string renewTime;
  int leaseTransitions = 0;
  std::string resourceVersion;  // metadata.resourceVersion; sent back on update

  // Same spec (the resourceVersion is not part of what a holder wrote).
  bool sameSpec(const LeaseRecord& o) const {
    return holderIdentity == o.holderIdentity && leaseDurationSeconds == o.leaseDurationSeconds &&
           acquireTime == o.acquireTime && renewTime == o.renewTime && leaseTransitions == o.leaseTransitions;
  }
};

// Reads and writes one Lease. The leader elector sees only this, so its logic is tested with an
// in-memory fake; overTransport() is the real one, through the same KubeTransport as the watcher.
class LeaseClient {
 public:
  using Ptr = std::shared_ptr<LeaseClient>;
  virtual ~LeaseClient() = default;

  // nullopt when the Lease does not exist. Throws KubeException on any other failure.
  virtual std::optional<LeaseRecord> get() = 0;
  // Creates the Lease; false when it already exists (409: someone was faster). On success the
  // record's resourceVersion is the new one. Throws KubeException on other failures.
  virtual bool create(LeaseRecord& record) = 0;
  // Replaces the spec, guarded by record.resourceVersion; false on 409 Conflict (changed meanwhile).
  // Throws KubeException on other failures.
  virtual bool update(LeaseRecord& record) = 0;
  virtual std::string describe() const = 0;

  static Ptr overTransport(KubeTransport::Ptr transport, std::string namespace_, std::string name);
};

}  // namespace podmon::kube
