-- SQLite dialect of ../008_workload_index.sql: the indexes of the workload health query.
CREATE INDEX IF NOT EXISTS `ix_k8s_pod_crash_owner_date` ON `k8s_pod_crash` (`clustername`, `namespace`, `owner_name`, `date`);
CREATE INDEX IF NOT EXISTS `ix_k8s_pod_crash_pod_date` ON `k8s_pod_crash` (`clustername`, `namespace`, `podname`, `date`);
