-- SQLite dialect of ../009_termination_state.sql: termination_state is TEXT already; the
-- container's current state gets a column of its own.
ALTER TABLE `k8s_pod_crash` ADD COLUMN `container_state` TEXT NULL DEFAULT NULL;
