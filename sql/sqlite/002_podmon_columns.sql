-- SQLite dialect of ../002_podmon_columns.sql. Times are UTC text "YYYY-MM-DD HH:MM:SS.ffffff"
-- (sorts like the time); the whole migration is one transaction.

ALTER TABLE `k8s_crash_monitor` ADD COLUMN `pod_uid` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_crash_monitor` ADD COLUMN `container_id` TEXT NULL DEFAULT NULL;

ALTER TABLE `k8s_pod_crash` ADD COLUMN `podname` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `pod_uid` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `reason` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `exit_code` INTEGER NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `signal` INTEGER NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `message` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `started_at` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `finished_at` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `node_name` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `owner_kind` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `owner_name` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `image` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `logs` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `logs_status` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `termination_state` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `restart_delta` INTEGER NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `detected_while_down` INTEGER NOT NULL DEFAULT 0;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `events` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `crash_key` TEXT NULL DEFAULT NULL;
CREATE UNIQUE INDEX `uq_k8s_pod_crash_crash_key` ON `k8s_pod_crash` (`crash_key`);
CREATE INDEX `ix_k8s_pod_crash_cluster_date` ON `k8s_pod_crash` (`clustername`, `date`);
CREATE INDEX `ix_k8s_pod_crash_cluster_ns_date` ON `k8s_pod_crash` (`clustername`, `namespace`, `date`);
