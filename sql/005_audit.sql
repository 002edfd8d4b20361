-- Who changed what through podmonctl: one row per change (routes, ignore rules, outbox retries,
-- migrations), written in the same transaction as the change itself. Times are UTC from the
-- tool's clock. old_value/new_value are NULL where there was nothing before or after.

CREATE TABLE IF NOT EXISTS `podmon_audit` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `at` datetime(6) NOT NULL,
  `actor` varchar(255) NOT NULL,
  `action` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `cluster` varchar(255) NOT NULL DEFAULT '',
  `target` varchar(512) NOT NULL DEFAULT '',
  `old_value` text NULL DEFAULT NULL,
  `new_value` text NULL DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `ix_podmon_audit_at` (`at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
