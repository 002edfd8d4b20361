-- Crash-storm groups (notify::StormGrouper): when alerts for one channel pile up beyond what Slack
-- takes, crashes with one fingerprint are grouped across namespaces under one message that is
-- updated in place (chat.update). The group's row is a podmon_alert_state row (key
-- storm|cluster|channel|fingerprint; channel and thread_ts are the group message's) and
-- group_members lists who crashed: one "namespace<TAB>workload<TAB>count" line each, bounded by
-- podmon. NULL on every other row. One ALTER; the runner skips "duplicate column" (1060) on re-run.
ALTER TABLE `podmon_alert_state` ADD COLUMN `group_members` text NULL DEFAULT NULL;
