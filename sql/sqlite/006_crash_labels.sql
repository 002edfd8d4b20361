-- SQLite dialect of ../006_crash_labels.sql: the pod's labels at the time of a crash (JSON text).
CREATE TABLE IF NOT EXISTS `podmon_crash_labels` (
  `crash_id` INTEGER NOT NULL PRIMARY KEY,
  `labels` TEXT NOT NULL
);
