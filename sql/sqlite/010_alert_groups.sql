-- SQLite dialect of ../010_alert_groups.sql: the members of a crash-storm group.
ALTER TABLE `podmon_alert_state` ADD COLUMN `group_members` TEXT NULL DEFAULT NULL;
