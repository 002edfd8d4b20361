-- Slack alert cooldown state, one row per alert key (cluster|namespace|owner workload|container),
-- so crash loops keep folding into one thread across podmon restarts. Written only by the Slack
-- deliverer (lib/notify/sql_alert_state_store.cpp). Times are UTC from podmon's clock.
-- channel/thread_ts: the episode's first message (Slack channel ID and ts; thread_ts '' with webhooks).
-- folded_count/folded_since: crashes counted since the last message, not yet reported.
-- last_outbox_id: newest outbox item accounted for, so a redelivered item sends nothing twice.
-- carrier_outbox_id: the outbox item held back to send the pending follow-up (0 = none).

CREATE TABLE IF NOT EXISTS `podmon_alert_state` (
  `alert_key` varchar(512) NOT NULL,
  `channel` varchar(255) NOT NULL DEFAULT '',
  `thread_ts` varchar(64) NOT NULL DEFAULT '',
  `first_alert_at` datetime(6) NOT NULL,
  `last_message_at` datetime(6) NOT NULL,
  `last_crash_at` datetime(6) NOT NULL,
  `folded_count` int(11) NOT NULL DEFAULT 0,
  `folded_since` datetime(6) NULL DEFAULT NULL,
  `last_reason` varchar(255) NOT NULL DEFAULT '',
  `last_exit_code` int(11) NULL DEFAULT NULL,
  `last_outbox_id` bigint(20) NOT NULL DEFAULT 0,
  `carrier_outbox_id` bigint(20) NOT NULL DEFAULT 0,
  `updated_at` datetime(6) NOT NULL,
  PRIMARY KEY (`alert_key`),
  KEY `ix_podmon_alert_state_updated` (`updated_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
