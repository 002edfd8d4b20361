-- SQLite dialect of ../007_fingerprints.sql: crash fingerprints and their history.
ALTER TABLE `k8s_pod_crash` ADD COLUMN `fingerprint` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `fingerprint_count` INTEGER NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `fingerprint_first_seen` TEXT NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `fingerprint_pods` INTEGER NULL DEFAULT NULL;
ALTER TABLE `k8s_pod_crash` ADD COLUMN `fingerprint_clusters` INTEGER NULL DEFAULT NULL;
CREATE INDEX `ix_k8s_pod_crash_fingerprint` ON `k8s_pod_crash` (`fingerprint`);

CREATE TABLE IF NOT EXISTS `podmon_fingerprints` (
  `fingerprint` TEXT NOT NULL PRIMARY KEY,
  `first_seen` TEXT NOT NULL,
  `last_seen` TEXT NOT NULL,
  `count` INTEGER NOT NULL DEFAULT 0,
  `sample_crash_id` INTEGER NULL DEFAULT NULL,
  `sample_reason` TEXT NULL DEFAULT NULL,
  `sample_exit_code` INTEGER NULL DEFAULT NULL,
  `sample_image` TEXT NULL DEFAULT NULL
);
CREATE INDEX IF NOT EXISTS `ix_podmon_fingerprints_last_seen` ON `podmon_fingerprints` (`last_seen`);

CREATE TABLE IF NOT EXISTS `podmon_fingerprint_pods` (
  `fingerprint` TEXT NOT NULL,
  `clustername` TEXT NOT NULL,
  `namespace` TEXT NOT NULL,
  `podname` TEXT NOT NULL,
  `first_seen` TEXT NOT NULL,
  PRIMARY KEY (`fingerprint`, `clustername`, `namespace`, `podname`)
);
CREATE INDEX IF NOT EXISTS `ix_podmon_fingerprint_pods_cluster` ON `podmon_fingerprint_pods` (`clustername`, `namespace`);
