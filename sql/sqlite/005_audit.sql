-- SQLite dialect of ../005_audit.sql: who changed what through podmonctl.

CREATE TABLE IF NOT EXISTS `podmon_audit` (
  `id` INTEGER PRIMARY KEY AUTOINCREMENT,
  `at` TEXT NOT NULL,
  `actor` TEXT NOT NULL,
  `action` TEXT NOT NULL,
  `cluster` TEXT NOT NULL DEFAULT '',
  `target` TEXT NOT NULL DEFAULT '',
  `old_value` TEXT NULL DEFAULT NULL,
  `new_value` TEXT NULL DEFAULT NULL
);
CREATE INDEX IF NOT EXISTS `ix_podmon_audit_at` ON `podmon_audit` (`at`);
