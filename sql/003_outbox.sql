-- Deliveries still owed to each sink, written in the same transaction as the crash row so a
-- recorded crash is never lost between MySQL and Elasticsearch/Slack. One row per crash per sink.
-- state: pending (due at next_attempt_at; a claim pushes next_attempt_at out as a lease),
-- done, dead (given up, see last_error). No foreign key: an upgraded original table may not be
-- InnoDB; the outbox rows of a deleted crash simply fail to load and are marked dead.

CREATE TABLE IF NOT EXISTS `podmon_outbox` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `crash_id` int(11) NOT NULL,
  `sink` varchar(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `state` varchar(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'pending',
  `attempts` int(11) NOT NULL DEFAULT 0,
  `next_attempt_at` datetime(6) NOT NULL,
  `last_error` text NULL DEFAULT NULL,
  `created_at` datetime(6) NOT NULL,
  `delivered_at` datetime(6) NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_podmon_outbox_crash_sink` (`crash_id`, `sink`),
  KEY `ix_podmon_outbox_due` (`sink`, `state`, `next_attempt_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
