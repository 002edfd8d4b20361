"""The chart takes the original kubernetes-pod-monitor chart's values file unchanged (issue 20).

Called by check_helm_chart.py. tests/deploy/testdata/original-values.yaml is the original's
values.yaml (commit 71f1cd8); with it, and with it plus overrides:
  - helm lint --strict passes (values.schema.json allows the original's keys);
  - the rendered env carries the original's settings under podmon's names (the Elasticsearch url
    joined with its port, SQL and Slack settings, CLUSTER_NAME set but empty, DEPLOY_ENV, AWS_REGION,
    ELASTICSEARCH_DASHBOARD), and every generic check of check_render holds;
  - a podmon key set to a non-default value wins over the original's key, and NOTES.txt says so;
  - `helm upgrade` from the original's release can work: the Deployment, Service and ServiceAccount
    keep the names and the Deployment the selector the original chart gave them (its
    _helpers.tpl: fullname, nameOverride, fullnameOverride), and the Recreate strategy clears the
    rollingUpdate the original's Deployment carries;
  - the original's image is replaced by podmon's;
  - the mapping table's podmon defaults (templates/_original_values.tpl) equal values.yaml.
"""
import base64
import os
import re
import shutil
import subprocess
import tempfile

import yaml

ORIGINAL_VALUES = "tests/deploy/testdata/original-values.yaml"
ORIGINAL_IMAGE = "shivamgupta98/kubernetes-pod-monitor"


def _render(helm, chart, release, args):
    out = subprocess.run([helm, "template", release, chart, "--namespace", "podmon-system"] + args,
                         capture_output=True, text=True)
    return out.returncode, out.stdout, out.stderr


def _notes(helm, chart, release, args):
    """NOTES.txt as helm renders it: helm template prints no notes, so a copy of the chart renders
    them into a ConfigMap."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "chart")
        shutil.copytree(chart, copy)
        with open(os.path.join(copy, "templates", "NOTES.txt"), encoding="utf-8") as fh:
            notes = fh.read()
        with open(os.path.join(copy, "templates", "_test_notes.tpl"), "w", encoding="utf-8") as fh:
            fh.write('{{- define "test.notes" -}}\n' + notes + '\n{{- end }}\n')
        with open(os.path.join(copy, "templates", "test-notes.yaml"), "w", encoding="utf-8") as fh:
            fh.write('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n'
                     '  notes: {{ include "test.notes" . | toJson }}\n')
        rc, out, err = _render(helm, copy, release, args + ["--show-only", "templates/test-notes.yaml"])
        return yaml.safe_load(out)["data"]["notes"] if rc == 0 else f"(NOTES did not render: {err})"


def _docs(stdout):
    return [d for d in yaml.safe_load_all(stdout) if d]


def _one(docs, kind):
    found = [d for d in docs if d["kind"] == kind]
    return found[0] if len(found) == 1 else None


def _env(dep):
    return {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0].get("env", [])}


def _secret_value(docs, env, name):
    ref = env.get(name, {}).get("valueFrom", {}).get("secretKeyRef")
    if not ref:
        return None
    for s in docs:
        if s["kind"] == "Secret" and s["metadata"]["name"] == ref["name"]:
            value = (s.get("data") or {}).get(ref["key"])
            return base64.b64decode(value).decode() if value is not None else None
    return None


def check_key_map(f, root, defaults):
    """The `default` column of podmon.originalKeyMap equals values.yaml, and each env is a setting."""
    text = open(os.path.join(root, "helm-chart/kubernetes-pod-monitor/templates/_original_values.tpl"), encoding="utf-8").read()
    rows = [yaml.safe_load(r) for r in re.findall(r"^- (\{from: .*\})$", text, re.M)]
    f.check(len(rows) >= 9, f"podmon.originalKeyMap has its rows ({len(rows)})")
    for row in rows:
        value = defaults
        for key in row["to"].split("."):
            value = value.get(key) if isinstance(value, dict) else None
        f.check(value == row["default"], f"original key map: {row['to']} default {row['default']!r} = values.yaml's {value!r}")


def check_original_values(f, helm, root, chart, defaults, check_render, merged, settings, secret_settings):
    check_key_map(f, root, defaults)
    path = os.path.join(root, ORIGINAL_VALUES)
    with open(path, encoding="utf-8") as fh:
        original = yaml.safe_load(fh)
    lint = subprocess.run([helm, "lint", "--strict", chart, "-f", path], capture_output=True, text=True)
    f.check(lint.returncode == 0, f"original values: helm lint --strict passes (schema)\n{lint.stdout}{lint.stderr}")

    # 1. The file unchanged, installed as the original's README does (release kubernetes-pod-monitor).
    release = "kubernetes-pod-monitor"
    rc, out, err = _render(helm, chart, release, ["-f", path])
    if f.check(rc == 0, f"original values: helm template succeeds\n{err}"):
        docs = _docs(out)
        effective = merged(defaults, {
            "clusterName": "", "service": original["service"], "replicaCount": original["replicaCount"],
            # No sql.password here: the generic check looks for secret values as substrings, and the
            # original's password "admin" is also its user name. Checked below instead.
            "sql": {"host": "127.0.0.1", "port": 3306, "username": "admin", "dbname": "kubernetes_pod_monitor"},
            "slack": {"notify": False, "channel": "pod-crash-alerts"},
            "elasticsearch": {"url": "https://127.0.0.1:443"}})
        check_render(f, "original values", docs, effective, settings, secret_settings)
        dep = _one(docs, "Deployment")
        env = _env(dep)
        expect = {"CLUSTER_NAME": "", "SQL_HOST": "127.0.0.1", "SQL_PORT": "3306", "SQL_USERNAME": "admin",
                  "SQL_DBNAME": "kubernetes_pod_monitor", "ELASTICSEARCH_URL": "https://127.0.0.1:443",
                  "SLACK_CHANNEL": "pod-crash-alerts", "SLACK_NOTIFY": "false", "DEPLOY_ENV": "release"}
        for name, value in expect.items():
            got = env.get(name, {}).get("value")
            f.check(got == value, f"original values: {name} = {value!r} (got {got!r})")
        f.check("AWS_REGION" not in env and "ELASTICSEARCH_DASHBOARD" not in env,
                "original values: empty config.aws.region and config.elasticsearch.dashboard give no env")
        f.check(_secret_value(docs, env, "SQL_PASSWORD") == "admin", "original values: SQL_PASSWORD (config.sql.password) from the Secret")
        image = dep["spec"]["template"]["spec"]["containers"][0]["image"]
        f.check(not image.startswith(ORIGINAL_IMAGE), f"original values: the original's image is replaced by podmon's (got {image})")
        # Upgrade from the original's release: same names, same selector (immutable).
        f.check(dep["metadata"]["name"] == release, f"original values: Deployment keeps the original's name {release}")
        f.check(dep["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "kubernetes-pod-monitor",
                                                           "app.kubernetes.io/instance": release},
                f"original values: Deployment selector = the original chart's {dep['spec']['selector']}")
        strategy = dep["spec"].get("strategy", {})
        f.check(strategy.get("type") != "Recreate" or ("rollingUpdate" in strategy and strategy["rollingUpdate"] is None),
                f"original values: a Recreate strategy sets rollingUpdate: null (the original's RollingUpdate is cleared on upgrade): {strategy}")
        for kind in ("Service", "ServiceAccount"):
            obj = _one(docs, kind)
            f.check(obj is not None and obj["metadata"]["name"] == release, f"original values: {kind} keeps the original's name {release}")
        notes = _notes(helm, chart, release, ["-f", path])
        for text in ("config.sql.host -> sql.host (SQL_HOST)", "config.clusterName -> clusterName (CLUSTER_NAME)",
                     "config.elasticsearch.url", "config.elasticsearch.v7 ignored", "config.deployEnv -> DEPLOY_ENV",
                     "WARNING: image " + ORIGINAL_IMAGE, "WARNING: config.slack.notify is true but no Slack token"):
            f.check(text in notes, f"original values: NOTES.txt says {text!r}\n{notes}")

    # 2. With the original's other keys set, podmon keys given too (podmon's win), other release names.
    overrides = ["-f", path, "--set", "config.elasticsearch.url=http://elasticsearch", "--set-string", "config.elasticsearch.port=9200",
                 "--set", "config.elasticsearch.dashboard=https://kibana.example/app/dashboards#/view/31fd2fd0",
                 "--set", "config.slack.token=xoxb-original", "--set", "config.aws.region=eu-west-1",
                 "--set", "config.clusterName=prod-1", "--set", "sql.host=podmon-db", "--set", "nameOverride=crashmon",
                 "--set", "env[0].name=IGNORE_NAMESPACES", "--set", "env[0].value=kube-system",
                 "--set", "podSecurityContext.fsGroup=2000"]
    rc, out, err = _render(helm, chart, "kpm", overrides)
    if f.check(rc == 0, f"original values with overrides: helm template succeeds\n{err}"):
        docs = _docs(out)
        dep = _one(docs, "Deployment")
        env = _env(dep)
        expect = {"ELASTICSEARCH_URL": "http://elasticsearch:9200", "CLUSTER_NAME": "prod-1", "SQL_HOST": "podmon-db",
                  "SLACK_NOTIFY": "true", "AWS_REGION": "eu-west-1", "IGNORE_NAMESPACES": "kube-system",
                  "ELASTICSEARCH_DASHBOARD": "https://kibana.example/app/dashboards#/view/31fd2fd0"}
        for name, value in expect.items():
            got = env.get(name, {}).get("value")
            f.check(got == value, f"original values with overrides: {name} = {value!r} (got {got!r})")
        f.check(_secret_value(docs, env, "SLACK_TOKEN") == "xoxb-original", "original values with overrides: SLACK_TOKEN from the Secret")
        f.check(dep["metadata"]["name"] == "kpm-crashmon" and
                dep["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "crashmon", "app.kubernetes.io/instance": "kpm"},
                f"original values with overrides: nameOverride names objects and selector as the original did: "
                f"{dep['metadata']['name']} {dep['spec']['selector']}")
        psc = dep["spec"]["template"]["spec"]["securityContext"]
        f.check(psc.get("fsGroup") == 2000 and psc.get("runAsNonRoot") is True,
                f"original values with overrides: podSecurityContext merged over podmon's: {psc}")
        for name in env:
            f.check(name in settings, f"original values with overrides: env {name} is a podmon setting (settingSpecs())")
        notes = _notes(helm, chart, "kpm", overrides)
        f.check("config.sql.host ignored: sql.host is set" in notes, f"original values with overrides: NOTES.txt names the overridden key\n{notes}")
        f.check("WARNING: config.slack.notify" not in notes, "original values with overrides: no Slack warning with a token")

    # 3. A url with its own port keeps it (the original would have appended a second one).
    rc, out, err = _render(helm, chart, "kpm", ["-f", path, "--set", "config.elasticsearch.url=https://es.example:9243"])
    if f.check(rc == 0, f"original values, url with a port: helm template succeeds\n{err}"):
        got = _env(_one(_docs(out), "Deployment")).get("ELASTICSEARCH_URL", {}).get("value")
        f.check(got == "https://es.example:9243", f"original values: a url with a port keeps it (got {got!r})")
