-- SQLite dialect of ../001_original_schema.sql: the same four tables and columns for the embedded
-- store (SQL_HOST not set). Text compares byte-wise (BINARY), like MySQL's utf8mb4_bin.

CREATE TABLE IF NOT EXISTS `k8s_crash_monitor` (
  `clustername` TEXT NOT NULL,
  `namespace` TEXT NOT NULL,
  `podname` TEXT NOT NULL,
  `containername` TEXT NOT NULL,
  `restartcount` INTEGER DEFAULT NULL,
  `retries` INTEGER DEFAULT NULL,
  `edited_at` INTEGER DEFAULT NULL,
  PRIMARY KEY (`clustername`, `namespace`, `podname`, `containername`)
);

CREATE TABLE IF NOT EXISTS `k8s_pod_crash` (
  `id` INTEGER PRIMARY KEY AUTOINCREMENT,
  `clustername` TEXT NOT NULL,
  `namespace` TEXT NOT NULL,
  `containername` TEXT NOT NULL,
  `restartcount` INTEGER NOT NULL DEFAULT 0,
  `date` TEXT DEFAULT NULL
);

CREATE TABLE IF NOT EXISTS `k8s_pod_crash_notify` (
  `clustername` TEXT NOT NULL,
  `namespace` TEXT NOT NULL,
  `slack_channel` TEXT NOT NULL,
  PRIMARY KEY (`clustername`, `namespace`)
);

CREATE TABLE IF NOT EXISTS `k8s_crash_ignore_notify` (
  `clustername` TEXT NOT NULL,
  `namespace` TEXT NOT NULL,
  `containername` TEXT NOT NULL,
  PRIMARY KEY (`clustername`, `namespace`, `containername`)
);
