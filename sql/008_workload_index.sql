-- Workload health (/api/v1/healthz/{namespace}/{kind}/{name}, issue 19): one workload's crashes
-- within the window by an index range (cluster, namespace, owner or pod, time), never by reading
-- the newest crashes of a busy namespace and filtering them. One ALTER: atomic; the runner skips
-- "already exists" (1061) when it re-runs after a failure.
ALTER TABLE `k8s_pod_crash`
  ADD KEY `ix_k8s_pod_crash_owner_date` (`clustername`, `namespace`, `owner_name`, `date`),
  ADD KEY `ix_k8s_pod_crash_pod_date` (`clustername`, `namespace`, `podname`, `date`);
