-- Retention (issue 23): the pruner finds crash rows older than CRASH_RETENTION by `date` alone
-- (every cluster's), and delivered outbox rows older than OUTBOX_RETENTION by state and delivery
-- time, each by an index range in batches of a few hundred ids, never by a full scan under a
-- lock. A batch then looks up, per (fingerprint, pod) it touched, whether any crash row of that pod
-- is left, by ix_k8s_pod_crash_fingerprint_pod (the key of podmon_fingerprint_pods). One ALTER per
-- index; the runner skips "already exists" (1061) when it re-runs.
ALTER TABLE `k8s_pod_crash`
  ADD KEY `ix_k8s_pod_crash_date` (`date`);
ALTER TABLE `k8s_pod_crash`
  ADD KEY `ix_k8s_pod_crash_fingerprint_pod` (`fingerprint`, `clustername`, `namespace`, `podname`);
ALTER TABLE `podmon_outbox`
  ADD KEY `ix_podmon_outbox_state_delivered` (`state`, `delivered_at`);
