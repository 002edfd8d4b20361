-- SQLite dialect of ../004_alert_state.sql: Slack (or console) alert cooldown state.

CREATE TABLE IF NOT EXISTS `podmon_alert_state` (
  `alert_key` TEXT NOT NULL PRIMARY KEY,
  `channel` TEXT NOT NULL DEFAULT '',
  `thread_ts` TEXT NOT NULL DEFAULT '',
  `first_alert_at` TEXT NOT NULL,
  `last_message_at` TEXT NOT NULL,
  `last_crash_at` TEXT NOT NULL,
  `folded_count` INTEGER NOT NULL DEFAULT 0,
  `folded_since` TEXT NULL DEFAULT NULL,
  `last_reason` TEXT NOT NULL DEFAULT '',
  `last_exit_code` INTEGER NULL DEFAULT NULL,
  `last_outbox_id` INTEGER NOT NULL DEFAULT 0,
  `carrier_outbox_id` INTEGER NOT NULL DEFAULT 0,
  `updated_at` TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS `ix_podmon_alert_state_updated` ON `podmon_alert_state` (`updated_at`);
