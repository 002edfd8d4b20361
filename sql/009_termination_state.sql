-- termination_state holds what the original tool wrote there: the Kubernetes object's String() of
-- the terminated state (exit code, reason, termination message up to 4 KiB, times, container
-- ID), so it becomes TEXT; the container's current state (CrashLoopBackOff, which podmon wrote to
-- termination_state before) gets a column of its own. Rows written before keep their values: their
-- termination_state still holds the state name and their container_state stays NULL.
-- MODIFY copies the table (MySQL cannot change varchar(255) to TEXT in place): on a large crash
-- table this migration takes a while, under the migration lock. One ALTER: atomic; the runner
-- skips "duplicate column" (1060) when it re-runs after a failure.
ALTER TABLE `k8s_pod_crash`
  MODIFY COLUMN `termination_state` text NULL DEFAULT NULL,
  ADD COLUMN `container_state` varchar(255) NULL DEFAULT NULL;
