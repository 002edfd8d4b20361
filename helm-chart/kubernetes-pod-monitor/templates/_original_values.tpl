{{/*
Values files of the original chart (Unacademy kubernetes-pod-monitor 0.1.0, the Go tool podmon
replaces) work unchanged. "podmon.applyOriginalValues" maps the original's keys onto podmon's in
.Values, once per render: every template that reads a mapped value includes it first (the values
map is shared by the templates of one render; the marker makes repeated calls free).

Precedence: a podmon key set to anything but its chart default wins; a podmon key at its chart
default (the `default` column below, equal to values.yaml: tests/deploy checks it) takes the
original's key when that is given. What was mapped, overridden or ignored is kept in
.Values.podmonOriginalKeys for NOTES.txt. docs/migrating.md has the table.
*/}}
{{- define "podmon.originalKeyMap" -}}
- {from: config.clusterName, to: clusterName, default: "", env: CLUSTER_NAME}
- {from: config.sql.host, to: sql.host, default: mysql, env: SQL_HOST}
- {from: config.sql.port, to: sql.port, default: 3306, env: SQL_PORT}
- {from: config.sql.username, to: sql.username, default: podmon, env: SQL_USERNAME}
- {from: config.sql.password, to: sql.password, default: "", env: SQL_PASSWORD}
- {from: config.sql.dbname, to: sql.dbname, default: kubernetes_pod_monitor, env: SQL_DBNAME}
- {from: config.slack.token, to: slack.token, default: "", env: SLACK_TOKEN}
- {from: config.slack.channel, to: slack.channel, default: pod-crash-alerts, env: SLACK_CHANNEL}
- {from: config.slack.notify, to: slack.notify, default: false, env: SLACK_NOTIFY}
{{- end }}

{{/* The original chart's image: podmon's chart cannot run it (it has no `podmon migrate`). */}}
{{- define "podmon.originalImage" -}}shivamgupta98/kubernetes-pod-monitor{{- end }}

{{- define "podmon.applyOriginalValues" -}}
{{- if not (hasKey .Values "podmonOriginalKeys") }}
{{- $config := .Values.config | default dict }}
{{- $mapped := list }}
{{- $overridden := list }}
{{- $warnings := list }}
{{- range $row := (include "podmon.originalKeyMap" . | fromYamlArray) }}
{{- $src := $.Values }}
{{- $found := true }}
{{- range (splitList "." $row.from) }}
{{- if and $found (kindIs "map" $src) (hasKey $src .) }}{{ $src = index $src . }}{{ else }}{{ $found = false }}{{ end }}
{{- end }}
{{- if $found }}
{{- $path := splitList "." $row.to }}
{{- $parent := $.Values }}
{{- range (initial $path) }}{{ $parent = index $parent . }}{{ end }}
{{- $key := last $path }}
{{- $value := toString $src }}
{{- if eq $key "port" }}{{ $value = int $src }}{{ else if eq $key "notify" }}{{ $value = eq (toString $src) "true" }}{{ end }}
{{- if eq (toJson (index $parent $key)) (toJson $row.default) }}
{{- $_ := set $parent $key $value }}
{{- $mapped = append $mapped (printf "%s -> %s (%s)" $row.from $row.to $row.env) }}
{{- else if ne (toJson (index $parent $key)) (toJson $value) }}
{{- $overridden = append $overridden (printf "%s ignored: %s is set" $row.from $row.to) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Elasticsearch: the original joined url, scheme and port (url + ":" + port). */}}
{{- $es := $config.elasticsearch | default dict }}
{{- if $es.url }}
{{- $url := toString $es.url }}
{{- if not (regexMatch "^[A-Za-z][A-Za-z0-9+.-]*://" $url) }}{{ $url = printf "%s://%s" ($es.scheme | default "https") $url }}{{ end }}
{{- if and $es.port (not (regexMatch "^[^:/]+://(\\[[^]]*\\]|[^/?#:]*):[0-9]+" $url)) }}
{{- $url = regexReplaceAll "^([^:/]+://(\\[[^]]*\\]|[^/?#:]*))" $url (printf "${1}:%v" $es.port) }}
{{- end }}
{{- if not .Values.elasticsearch.url }}
{{- $_ := set .Values.elasticsearch "url" $url }}
{{- $mapped = append $mapped "config.elasticsearch.url, .scheme, .port -> elasticsearch.url (ELASTICSEARCH_URL, port joined when the url has none)" }}
{{- else if ne .Values.elasticsearch.url $url }}
{{- $overridden = append $overridden "config.elasticsearch.url ignored: elasticsearch.url is set" }}
{{- end }}
{{- end }}
{{- if $es.dashboard }}{{ $mapped = append $mapped "config.elasticsearch.dashboard -> ELASTICSEARCH_DASHBOARD (the alert's dashboard link when kibanaUrl is empty)" }}{{ end }}
{{- if hasKey $es "v7" }}{{ $mapped = append $mapped "config.elasticsearch.v7 ignored: podmon sends typeless requests (Elasticsearch 7 and later, OpenSearch)" }}{{ end }}
{{- if $config.deployEnv }}{{ $mapped = append $mapped "config.deployEnv -> DEPLOY_ENV (anything but local signs Elasticsearch requests with AWS SigV4, as the original did)" }}{{ end }}
{{- if dig "aws" "region" "" $config }}{{ $mapped = append $mapped "config.aws.region -> AWS_REGION" }}{{ end }}
{{- if .Values.env }}
{{- $_ := set .Values "extraEnv" (concat .Values.env (.Values.extraEnv | default list)) }}
{{- $mapped = append $mapped "env -> extraEnv (env first, then extraEnv)" }}
{{- end }}
{{- if eq .Values.image.repository (include "podmon.originalImage" .) }}
{{- $_ := set .Values.image "repository" "podmon" }}
{{- $_ = set .Values.image "tag" "" }}
{{- $warnings = append $warnings (printf "image %s is the original tool's: deploying podmon:%s instead (set image.repository and image.tag to your podmon image)" (include "podmon.originalImage" .) .Chart.AppVersion) }}
{{- end }}
{{- $slack := $config.slack | default dict }}
{{- if and (hasKey $slack "notify") .Values.slack.notify (not .Values.slack.token) (not .Values.slack.webhookUrl) (not .Values.existingSecret) }}
{{- $_ := set .Values.slack "notify" false }}
{{- $warnings = append $warnings "config.slack.notify is true but no Slack token is given: Slack alerts are off (the original could not send without one either)" }}
{{- end }}
{{- $_ := set .Values "podmonOriginalKeys" (dict "mapped" $mapped "overridden" $overridden "warnings" $warnings) }}
{{- end }}
{{- end }}

{{/* The original's settings with no podmon chart key, passed to podmon as the original did. */}}
{{- define "podmon.originalEnv" -}}
{{- $config := .Values.config | default dict }}
{{- with $config.deployEnv }}
- name: DEPLOY_ENV
  value: {{ . | quote }}
{{- end }}
{{- with (dig "aws" "region" "" $config) }}
- name: AWS_REGION
  value: {{ . | quote }}
{{- end }}
{{- with (dig "elasticsearch" "dashboard" "" $config) }}
- name: ELASTICSEARCH_DASHBOARD
  value: {{ . | quote }}
{{- end }}
{{- end }}
