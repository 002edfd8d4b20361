-- Crash fingerprints (issue 11): which crashes are the same failure. `fingerprint` is 16 hex
-- digits (lib/crash/crash_fingerprint.h). With each crash, the fingerprint's history as it was when
-- the crash was recorded (this crash included, so count 1 = a new failure); Slack alerts read it,
-- so a late alert still tells what was true at the crash. All nullable: older rows have none.
ALTER TABLE `k8s_pod_crash`
  ADD COLUMN `fingerprint` char(16) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
  ADD COLUMN `fingerprint_count` bigint(20) NULL DEFAULT NULL,
  ADD COLUMN `fingerprint_first_seen` datetime(6) NULL DEFAULT NULL,
  ADD COLUMN `fingerprint_pods` bigint(20) NULL DEFAULT NULL,
  ADD COLUMN `fingerprint_clusters` bigint(20) NULL DEFAULT NULL,
  ADD KEY `ix_k8s_pod_crash_fingerprint` (`fingerprint`);

-- One row per fingerprint, updated in the transaction that records a new crash. The sample
-- columns describe the first crash seen with it. Times are crash detection times (UTC).
CREATE TABLE IF NOT EXISTS `podmon_fingerprints` (
  `fingerprint` char(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `first_seen` datetime(6) NOT NULL,
  `last_seen` datetime(6) NOT NULL,
  `count` bigint(20) NOT NULL DEFAULT 0,
  `sample_crash_id` int(11) NULL DEFAULT NULL,
  `sample_reason` varchar(255) NULL DEFAULT NULL,
  `sample_exit_code` int(11) NULL DEFAULT NULL,
  `sample_image` varchar(1024) NULL DEFAULT NULL,
  PRIMARY KEY (`fingerprint`),
  KEY `ix_podmon_fingerprints_last_seen` (`last_seen`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The pods (and so the clusters) each fingerprint was seen in: "k pods" is a count of rows.
CREATE TABLE IF NOT EXISTS `podmon_fingerprint_pods` (
  `fingerprint` char(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `clustername` varchar(120) NOT NULL,
  `namespace` varchar(120) NOT NULL,
  `podname` varchar(253) NOT NULL,
  `first_seen` datetime(6) NOT NULL,
  PRIMARY KEY (`fingerprint`, `clustername`, `namespace`, `podname`),
  KEY `ix_podmon_fingerprint_pods_cluster` (`clustername`, `namespace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
