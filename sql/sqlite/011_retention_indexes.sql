-- SQLite dialect of ../012_retention_indexes.sql: the indexes the pruner's batches read.
CREATE INDEX IF NOT EXISTS `ix_k8s_pod_crash_date` ON `k8s_pod_crash` (`date`);
CREATE INDEX IF NOT EXISTS `ix_k8s_pod_crash_fingerprint_pod` ON `k8s_pod_crash` (`fingerprint`, `clustername`, `namespace`, `podname`);
CREATE INDEX IF NOT EXISTS `ix_podmon_outbox_state_delivered` ON `podmon_outbox` (`state`, `delivered_at`);
