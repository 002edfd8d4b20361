-- SQLite dialect of ../003_outbox.sql: deliveries still owed to each sink.

CREATE TABLE IF NOT EXISTS `podmon_outbox` (
  `id` INTEGER PRIMARY KEY AUTOINCREMENT,
  `crash_id` INTEGER NOT NULL,
  `sink` TEXT NOT NULL,
  `state` TEXT NOT NULL DEFAULT 'pending',
  `attempts` INTEGER NOT NULL DEFAULT 0,
  `next_attempt_at` TEXT NOT NULL,
  `last_error` TEXT NULL DEFAULT NULL,
  `created_at` TEXT NOT NULL,
  `delivered_at` TEXT NULL DEFAULT NULL,
  UNIQUE (`crash_id`, `sink`)
);
CREATE INDEX IF NOT EXISTS `ix_podmon_outbox_due` ON `podmon_outbox` (`sink`, `state`, `next_attempt_at`);
