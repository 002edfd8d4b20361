{{/*
Chart name (nameOverride), truncated to the 63 characters Kubernetes allows in names. The same
rule as the original chart's, so the selector labels of a release upgraded from it stay equal
(a Deployment's spec.selector cannot change).
*/}}
{{- define "podmon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: fullnameOverride, else the release name with the name unless the release already
contains it (the original chart's rule: an upgraded release keeps its object names).
*/}}
{{- define "podmon.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "podmon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "podmon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "podmon.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "podmon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "podmon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "podmon.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "podmon.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* "true" when more than one replica or leaderElection.enabled: one pod holds the Lease. */}}
{{- define "podmon.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/*
The secret settings: environment variable name -> value from values.yaml. They live only in the
chart's Secret (or in existingSecret), never in plain env.
*/}}
{{- define "podmon.secretValues" -}}
SQL_PASSWORD: {{ .Values.sql.password | default "" | quote }}
SLACK_TOKEN: {{ .Values.slack.token | default "" | quote }}
SLACK_WEBHOOK_URL: {{ .Values.slack.webhookUrl | default "" | quote }}
ELASTICSEARCH_PASSWORD: {{ .Values.elasticsearch.password | default "" | quote }}
ELASTICSEARCH_API_KEY: {{ .Values.elasticsearch.apiKey | default "" | quote }}
API_TOKEN: {{ .Values.apiToken | default "" | quote }}
{{- end }}

{{/* Name of the Secret the pods read secret settings from ("" when there is none). */}}
{{- define "podmon.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- $set := dict }}
{{- range $k, $v := (include "podmon.secretValues" . | fromYaml) }}{{ if $v }}{{ $_ := set $set $k $v }}{{ end }}{{ end }}
{{- if $set }}{{ include "podmon.fullname" . }}{{ end }}
{{- end }}
{{- end }}

{{/*
The keys of the Secret the pods read, as a JSON list: with existingSecret, secrets.existingSecretKeys;
otherwise the secret values set in values.yaml. Used when secrets.asFiles mounts the Secret.
*/}}
{{- define "podmon.secretFileKeys" -}}
{{- if .Values.existingSecret }}
{{- .Values.secrets.existingSecretKeys | toJson }}
{{- else }}
{{- $keys := list }}
{{- range $k, $v := (include "podmon.secretValues" . | fromYaml) }}{{ if $v }}{{ $keys = append $keys $k }}{{ end }}{{ end }}
{{- $keys | toJson }}
{{- end }}
{{- end }}

{{/* NAME_FILE entries pointing at the mounted Secret's files, for the given keys. */}}
{{- define "podmon.secretFileEnv" -}}
{{- $mountPath := index . 0 }}
{{- range (index . 1) }}
- name: {{ . }}_FILE
  value: {{ printf "%s/%s" $mountPath . | quote }}
{{- end }}
{{- end }}

{{/* Fails on values that would render a pod podmon refuses to start with. */}}
{{- define "podmon.validate" -}}
{{- if and .Values.secrets.asFiles .Values.existingSecret (not .Values.secrets.existingSecretKeys) }}
{{- fail "secrets.asFiles with existingSecret needs secrets.existingSecretKeys: the keys that Secret holds (e.g. [SQL_PASSWORD, SLACK_TOKEN])" }}
{{- end }}
{{- if .Values.existingSecret }}
{{- range $k, $v := (include "podmon.secretValues" . | fromYaml) }}
{{- if $v }}{{ fail (printf "existingSecret is set, so %s must come from that Secret: remove its value from values.yaml" $k) }}{{ end }}
{{- end }}
{{- else if and .Values.slack.notify (not .Values.slack.token) (not .Values.slack.webhookUrl) }}
{{- fail "slack.notify is true but neither slack.token nor slack.webhookUrl is set (or use existingSecret, or slack.notify=false)" }}
{{- end }}
{{- end }}

{{/*
Environment of the podmon container; the migration Job uses the SQL part. Every name is a setting
of podmon's settingSpecs() (lib/core/config.cpp), which tests/deploy checks.
*/}}
{{- define "podmon.sqlEnv" -}}
- name: SQL_HOST
  value: {{ .Values.sql.host | quote }}
- name: SQL_PORT
  value: {{ .Values.sql.port | quote }}
- name: SQL_USERNAME
  value: {{ .Values.sql.username | quote }}
- name: SQL_DBNAME
  value: {{ .Values.sql.dbname | quote }}
- name: SQL_TIMEOUT
  value: {{ .Values.sql.timeout | quote }}
- name: SQL_TLS
  value: {{ .Values.sql.tls | quote }}
{{- if .Values.sql.tlsCaSecret }}
- name: SQL_TLS_CA
  value: /etc/podmon/mysql-ca/ca.crt
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
{{- end }}

{{/* secretKeyRef entries for the given keys of the given Secret, each optional. */}}
{{- define "podmon.secretEnv" -}}
{{- $name := index . 0 }}
{{- range (index . 1) }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $name }}
      key: {{ . }}
      optional: true
{{- end }}
{{- end }}

{{/*
The pod and container security settings shared by the Deployment and the migration Job:
podmon's, with podSecurityContext / securityContext (keys of the original chart too) merged over them.
*/}}
{{- define "podmon.podSecurityContext" -}}
{{- $base := dict "runAsNonRoot" true "runAsUser" 10001 "runAsGroup" 10001 "fsGroup" 10001 "seccompProfile" (dict "type" "RuntimeDefault") }}
{{- mustMergeOverwrite $base (deepCopy (.Values.podSecurityContext | default dict)) | toYaml }}
{{- end }}

{{- define "podmon.containerSecurityContext" -}}
{{- $base := dict "runAsNonRoot" true "runAsUser" 10001 "runAsGroup" 10001 "allowPrivilegeEscalation" false "readOnlyRootFilesystem" true }}
{{- $_ := set $base "capabilities" (dict "drop" (list "ALL")) }}
{{- $_ = set $base "seccompProfile" (dict "type" "RuntimeDefault") }}
{{- mustMergeOverwrite $base (deepCopy (.Values.securityContext | default dict)) | toYaml }}
{{- end }}

{{/* The volume and mount of sql.tlsCaSecret (the MySQL CA certificate), when set. */}}
{{- define "podmon.sqlCaVolume" -}}
{{- if .Values.sql.tlsCaSecret }}
- name: mysql-ca
  secret:
    secretName: {{ .Values.sql.tlsCaSecret | quote }}
    items:
      - key: ca.crt
        path: ca.crt
{{- end }}
{{- end }}
{{- define "podmon.sqlCaMount" -}}
{{- if .Values.sql.tlsCaSecret }}
- name: mysql-ca
  mountPath: /etc/podmon/mysql-ca
  readOnly: true
{{- end }}
{{- end }}
