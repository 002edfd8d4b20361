-- The pod's labels at the time of a crash, for the Elasticsearch document's `labels` field.
-- Kept beside k8s_pod_crash (whose columns are fixed by the original tool's contract), one row per
-- crash, written in the same transaction as the crash row. `labels` is a JSON object as text.
CREATE TABLE IF NOT EXISTS `podmon_crash_labels` (
  `crash_id` int(11) NOT NULL,
  `labels` text NOT NULL,
  PRIMARY KEY (`crash_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
