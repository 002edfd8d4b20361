-- Upgrade the original tables in place: utf8mb4 (the original used the server default, often
-- latin1), and the columns podmon records. Every new column is nullable or defaulted, so rows the
-- original tool wrote stay valid; their crash_key stays NULL (a UNIQUE key allows many NULLs).
-- One ALTER per table: each is atomic, so a re-run after a failure never meets half a table.
-- Portable to MySQL 8 (no ADD COLUMN IF NOT EXISTS); the runner skips "already exists" errors
-- (1050/1060/1061) when it re-runs a migration that failed half-way.

ALTER TABLE `k8s_crash_monitor` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

ALTER TABLE `k8s_crash_monitor`
  ADD COLUMN `pod_uid` varchar(64) NULL DEFAULT NULL,
  ADD COLUMN `container_id` varchar(255) NULL DEFAULT NULL;

-- The rule tables keep a case-insensitive, trailing-space-ignoring (PAD SPACE) collation like the
-- server default the original created them with: its queries (getSlackChannel, shouldNotify) then
-- match the same rows after a rollback, and its primary keys refuse 'Prod' beside 'prod' as before.
-- podmon itself compares rule names in C++ the same way (store/name_pattern), on MySQL and SQLite.
ALTER TABLE `k8s_pod_crash_notify` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;

ALTER TABLE `k8s_crash_ignore_notify` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;

ALTER TABLE `k8s_pod_crash` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

ALTER TABLE `k8s_pod_crash`
  ADD COLUMN `podname` varchar(253) NULL DEFAULT NULL,
  ADD COLUMN `pod_uid` varchar(64) NULL DEFAULT NULL,
  ADD COLUMN `reason` varchar(255) NULL DEFAULT NULL,
  ADD COLUMN `exit_code` int(11) NULL DEFAULT NULL,
  ADD COLUMN `signal` int(11) NULL DEFAULT NULL,
  ADD COLUMN `message` text NULL DEFAULT NULL,
  ADD COLUMN `started_at` datetime(6) NULL DEFAULT NULL,
  ADD COLUMN `finished_at` datetime(6) NULL DEFAULT NULL,
  ADD COLUMN `node_name` varchar(253) NULL DEFAULT NULL,
  ADD COLUMN `owner_kind` varchar(64) NULL DEFAULT NULL,
  ADD COLUMN `owner_name` varchar(253) NULL DEFAULT NULL,
  ADD COLUMN `image` varchar(1024) NULL DEFAULT NULL,
  ADD COLUMN `logs` mediumtext NULL DEFAULT NULL,
  ADD COLUMN `logs_status` varchar(255) NULL DEFAULT NULL,
  ADD COLUMN `termination_state` varchar(255) NULL DEFAULT NULL,
  ADD COLUMN `restart_delta` int(11) NULL DEFAULT NULL,
  ADD COLUMN `detected_while_down` tinyint(1) NOT NULL DEFAULT 0,
  ADD COLUMN `events` mediumtext NULL DEFAULT NULL,
  ADD COLUMN `crash_key` char(64) CHARACTER SET ascii COLLATE ascii_bin NULL DEFAULT NULL,
  ADD UNIQUE KEY `uq_k8s_pod_crash_crash_key` (`crash_key`),
  ADD KEY `ix_k8s_pod_crash_cluster_date` (`clustername`, `date`),
  ADD KEY `ix_k8s_pod_crash_cluster_ns_date` (`clustername`, `namespace`, `date`);
