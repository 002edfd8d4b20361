"""Lints and renders the Helm chart with every values file and checks the rendered manifests.

Usage: check_helm_chart.py HELM REPO_ROOT

For the default values and each helm-chart/kubernetes-pod-monitor/ci/*-values.yaml:
  helm lint --strict passes, and in the output of helm template:
  - env names are settings of settingSpecs() (lib/core/config.cpp);
  - probes: liveness /healthz and readiness /readyz on a declared container port, the one
    SERVER_PORT makes podmon listen on;
  - security context: non-root, read-only root filesystem, no capabilities, seccomp RuntimeDefault;
    POD_NAME / POD_NAMESPACE from the downward API; leader election iff replicaCount > 1 or enabled;
  - RBAC: the ClusterRole grants exactly pods get/list/watch, pods/log get, events list/watch,
    apps/replicasets get, batch/jobs get; the Role (leader election only) exactly leases
    get/create/update; bindings name the rendered roles and ServiceAccount;
  - secrets: secret settings only through secretKeyRef; every secret value only inside a Secret
    (and with existingSecret, in no rendered object at all); with secrets.asFiles, NAME_FILE
    settings naming files of a read-only Secret volume (not readable by others) instead;
  - Service, ServiceMonitor, PodDisruptionBudget, NetworkPolicy select the pods and name the port;
  - the migration Job is a pre-install/pre-upgrade hook running `podmon migrate`.
The original chart's values file (tests/deploy/testdata/original-values.yaml): see check_original_values.py.
For each tests/deploy/bad-values/*.yaml: helm lint --strict fails (values.schema.json), with the
message its `# expect:` line names; a file marked `# rejected-by: template` is one the templates
refuse (helm lint only reports a template's `fail` as INFO), so helm template must fail instead.
"""
import base64
import copy
import glob
import json
import os
import subprocess
import sys

import yaml

from check_original_values import check_original_values
from deploy_checks import Failures, secret_setting_names, setting_names

CHART = "helm-chart/kubernetes-pod-monitor"
RELEASE, NAMESPACE = "pm", "podmon-system"
CLUSTER_RULES = {
    ("", "pods", "get"), ("", "pods", "list"), ("", "pods", "watch"),
    ("", "pods/log", "get"),
    ("", "events", "list"), ("", "events", "watch"),
    ("apps", "replicasets", "get"),
    ("batch", "jobs", "get"),
}
LEASE_RULES = {("coordination.k8s.io", "leases", v) for v in ("get", "create", "update")}
# values.yaml path -> the secret setting it feeds.
SECRET_VALUES = {
    ("sql", "password"): "SQL_PASSWORD",
    ("slack", "token"): "SLACK_TOKEN",
    ("slack", "webhookUrl"): "SLACK_WEBHOOK_URL",
    ("elasticsearch", "password"): "ELASTICSEARCH_PASSWORD",
    ("elasticsearch", "apiKey"): "ELASTICSEARCH_API_KEY",
    ("apiToken",): "API_TOKEN",
}


def value_at(values, path):
    """The value at a path of keys in the values, or None."""
    for key in path:
        if not isinstance(values, dict):
            return None
        values = values.get(key)
    return values


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def merged(base, override):
    out = copy.deepcopy(base)
    for k, v in (override or {}).items():
        out[k] = merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def rules_of(role):
    return {(g, r, v) for rule in role.get("rules", []) for g in rule.get("apiGroups", [])
            for r in rule.get("resources", []) for v in rule.get("verbs", [])}


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_render(f, label, docs, values, settings, secret_settings):
    kinds = {}
    for d in docs:
        kinds.setdefault(d["kind"], []).append(d)
        f.check(bool(d.get("metadata", {}).get("name")), f"{label}: every {d['kind']} has a name")
    deployments = kinds.get("Deployment", [])
    if not f.check(len(deployments) == 1, f"{label}: one Deployment"):
        return
    dep = deployments[0]
    pod = dep["spec"]["template"]
    pod_labels = pod["metadata"]["labels"]
    f.check(matches(dep["spec"]["selector"]["matchLabels"], pod_labels), f"{label}: Deployment selector matches its pods")
    f.check(dep["spec"]["replicas"] == values["replicaCount"], f"{label}: replicas = replicaCount")
    containers = pod["spec"]["containers"]
    c = containers[0]
    env = {e["name"]: e for e in c.get("env", [])}

    # Environment: only podmon settings.
    jobs = [j for j in kinds.get("Job", [])]
    all_containers = [(dep["metadata"]["name"], x) for x in containers] + [
        (j["metadata"]["name"], x) for j in jobs for x in j["spec"]["template"]["spec"]["containers"]]
    for owner, container in all_containers:
        names = [e["name"] for e in container.get("env", [])]
        f.check(len(names) == len(set(names)), f"{label}: {owner} sets no env var twice")
        for name in names:
            f.check(name in settings, f"{label}: {owner} env {name} is a podmon setting (settingSpecs())")
        for name in secret_settings:
            for e in container.get("env", []):
                if e["name"] == name:
                    f.check("value" not in e and "secretKeyRef" in e.get("valueFrom", {}),
                            f"{label}: {owner} takes secret {name} from a Secret, not a plain value")
        f.check(not container.get("envFrom"), f"{label}: {owner} uses no envFrom (names stay checkable)")

    f.check(env.get("CLUSTER_NAME", {}).get("value") == values["clusterName"], f"{label}: CLUSTER_NAME = clusterName")
    f.check(env.get("SQL_HOST", {}).get("value") == values["sql"]["host"], f"{label}: SQL_HOST = sql.host")
    f.check(env.get("SQL_PORT", {}).get("value") == str(values["sql"]["port"]), f"{label}: SQL_PORT = sql.port")
    for name, path in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace")):
        f.check(env.get(name, {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == path,
                f"{label}: {name} from the downward API ({path})")
    leader = values["replicaCount"] > 1 or values["leaderElection"]["enabled"]
    f.check(env.get("LEADER_ELECTION", {}).get("value") == ("true" if leader else "false"),
            f"{label}: LEADER_ELECTION is {str(leader).lower()}")

    # Probes on the port podmon listens on.
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    server_port = int(env.get("SERVER_PORT", {}).get("value", "8080"))
    f.check(server_port == values["serverPort"], f"{label}: SERVER_PORT = serverPort")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = c.get(probe, {}).get("httpGet", {})
        f.check(get.get("path") == path, f"{label}: {probe} GETs {path}")
        port = get.get("port")
        resolved = ports.get(port) if isinstance(port, str) else (port if port in ports.values() else None)
        f.check(resolved is not None, f"{label}: {probe} port {port!r} is a declared container port")
        f.check(resolved == server_port, f"{label}: {probe} port is SERVER_PORT ({server_port}), got {resolved}")

    # Security context (container first, pod as fallback).
    psc, csc = pod["spec"].get("securityContext", {}), c.get("securityContext", {})
    f.check(csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True, f"{label}: runAsNonRoot")
    f.check(csc.get("readOnlyRootFilesystem") is True, f"{label}: readOnlyRootFilesystem")
    f.check(csc.get("allowPrivilegeEscalation") is False, f"{label}: allowPrivilegeEscalation false")
    f.check(csc.get("capabilities", {}).get("drop") == ["ALL"], f"{label}: all capabilities dropped")
    f.check(csc.get("seccompProfile", psc.get("seccompProfile", {})).get("type") == "RuntimeDefault",
            f"{label}: seccomp RuntimeDefault")
    f.check(c.get("resources") == values["resources"], f"{label}: container resources = resources")

    # RBAC.
    sa_name = pod["spec"].get("serviceAccountName")
    f.check([s["metadata"]["name"] for s in kinds.get("ServiceAccount", [])] == [sa_name],
            f"{label}: the Deployment runs as the rendered ServiceAccount")
    cluster_roles = kinds.get("ClusterRole", [])
    if f.check(len(cluster_roles) == 1, f"{label}: one ClusterRole"):
        got = rules_of(cluster_roles[0])
        f.check(got == CLUSTER_RULES, f"{label}: ClusterRole rules exactly the list (extra {sorted(got - CLUSTER_RULES)}, "
                f"missing {sorted(CLUSTER_RULES - got)})")
    roles = kinds.get("Role", [])
    f.check(len(roles) == (1 if leader else 0), f"{label}: a leases Role exactly when leader election is on")
    for role in roles:
        f.check(rules_of(role) == LEASE_RULES, f"{label}: Role rules exactly leases get/create/update")
        f.check(role["metadata"].get("namespace") == NAMESPACE, f"{label}: Role in the release namespace")
    for kind, targets in (("ClusterRoleBinding", cluster_roles), ("RoleBinding", roles)):
        bindings = kinds.get(kind, [])
        f.check(len(bindings) == len(targets), f"{label}: one {kind} per role")
        for b in bindings:
            f.check(b["roleRef"]["name"] in [t["metadata"]["name"] for t in targets], f"{label}: {kind} names a rendered role")
            f.check(b["subjects"] == [{"kind": "ServiceAccount", "name": sa_name, "namespace": NAMESPACE}],
                    f"{label}: {kind} binds only the ServiceAccount")

    # Secrets: values only inside Secrets; references resolve.
    secrets = {s["metadata"]["name"]: {k: base64.b64decode(v).decode() for k, v in (s.get("data") or {}).items()}
               for s in kinds.get("Secret", [])}
    existing = values.get("existingSecret") or ""
    secret_values = {setting: value_at(values, path) for path, setting in SECRET_VALUES.items() if value_at(values, path)}
    outside = yaml.safe_dump_all([d for d in docs if d["kind"] != "Secret"])
    for setting, value in secret_values.items():
        encoded = base64.b64encode(value.encode()).decode()
        f.check(value not in outside and encoded not in outside, f"{label}: the {setting} value appears only in Secrets")
        f.check(any(data.get(setting) == value for data in secrets.values()), f"{label}: a Secret holds {setting}")
    if existing:
        f.check(not secrets, f"{label}: existingSecret set, so the chart renders no Secret")
    for owner, container in all_containers:
        for e in container.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if not ref:
                continue
            if existing:
                f.check(ref["name"] == existing, f"{label}: {owner} {e['name']} comes from existingSecret {existing}")
            else:
                # optional: a key the Secret lacks (that secret value was not given) leaves the setting unset.
                f.check(ref["key"] in secrets.get(ref["name"], {}) or (ref["name"] in secrets and ref.get("optional") is True),
                        f"{label}: {owner} {e['name']} refers to a rendered Secret key, or optionally to a rendered Secret")

    check_secret_files(f, label, dep, jobs, values, secrets, secret_settings, secret_values)

    # Service and optional objects.
    services = kinds.get("Service", [])
    if f.check(len(services) == 1, f"{label}: one Service"):
        svc = services[0]
        f.check(matches(svc["spec"]["selector"], pod_labels), f"{label}: Service selects the pods")
        sp = svc["spec"]["ports"][0]
        f.check(sp["targetPort"] in ports or sp["targetPort"] == server_port, f"{label}: Service targets the container port")
        f.check(sp["port"] == values["service"]["port"], f"{label}: Service port = service.port")
        monitors = kinds.get("ServiceMonitor", [])
        f.check(len(monitors) == (1 if values["serviceMonitor"]["enabled"] else 0), f"{label}: ServiceMonitor iff enabled")
        for m in monitors:
            f.check(matches(m["spec"]["selector"]["matchLabels"], svc["metadata"]["labels"]), f"{label}: ServiceMonitor selects the Service")
            ep = m["spec"]["endpoints"][0]
            f.check(ep["port"] == sp["name"] and ep["path"] == "/metrics", f"{label}: ServiceMonitor scrapes {sp['name']} /metrics")
            for k, v in values["serviceMonitor"]["labels"].items():
                f.check(m["metadata"]["labels"].get(k) == v, f"{label}: ServiceMonitor carries label {k}")
    pdbs = kinds.get("PodDisruptionBudget", [])
    f.check(len(pdbs) == (1 if values["podDisruptionBudget"]["enabled"] else 0), f"{label}: PodDisruptionBudget iff enabled")
    for p in pdbs:
        f.check(matches(p["spec"]["selector"]["matchLabels"], pod_labels), f"{label}: PDB selects the pods")
        f.check(("minAvailable" in p["spec"]) != ("maxUnavailable" in p["spec"]), f"{label}: PDB sets one of min/max")
    policies = kinds.get("NetworkPolicy", [])
    f.check(len(policies) == (1 if values["networkPolicy"]["enabled"] else 0), f"{label}: NetworkPolicy iff enabled")
    for p in policies:
        f.check(matches(p["spec"]["podSelector"]["matchLabels"], pod_labels), f"{label}: NetworkPolicy selects the pods")
        in_ports = [pp["port"] for rule in p["spec"]["ingress"] for pp in rule.get("ports", [])]
        f.check(all(pp in ports or pp == server_port for pp in in_ports) and in_ports, f"{label}: ingress only to the status port")
        out_ports = {pp["port"] for rule in p["spec"]["egress"] for pp in rule.get("ports", [])}
        f.check({53, values["sql"]["port"]} <= out_ports, f"{label}: egress allows DNS and sql.port")

    # Migration hook.
    migrate = [j for j in jobs if j["metadata"]["name"].endswith("-migrate")]
    f.check(len(migrate) == (1 if values["migrations"]["enabled"] else 0), f"{label}: migration Job iff migrations.enabled")
    for j in migrate:
        hooks = set(j["metadata"].get("annotations", {}).get("helm.sh/hook", "").split(","))
        f.check({"pre-install", "pre-upgrade"} <= hooks, f"{label}: migration Job is a pre-install/pre-upgrade hook")
        jc = j["spec"]["template"]["spec"]["containers"][0]
        f.check(jc.get("args") == ["migrate"] and jc["image"] == c["image"], f"{label}: migration Job runs `podmon migrate` in the same image")
        jenv = {e["name"]: e.get("value") for e in jc.get("env", [])}
        for name in ("SQL_HOST", "SQL_PORT", "SQL_USERNAME", "SQL_DBNAME"):
            f.check(jenv.get(name) == env.get(name, {}).get("value"), f"{label}: migration Job {name} = the Deployment's")
        f.check(jc.get("securityContext", {}).get("readOnlyRootFilesystem") is True, f"{label}: migration Job read-only root")
        weight = int(j["metadata"]["annotations"].get("helm.sh/hook-weight", "0"))
        for s in kinds.get("Secret", []):
            ann = s["metadata"].get("annotations", {})
            name = s["metadata"]["name"]
            mounted = any(v.get("secret", {}).get("secretName") == name for v in j["spec"]["template"]["spec"].get("volumes", []))
            if mounted or any(e.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == name for e in jc.get("env", [])):
                f.check("pre-install" in ann.get("helm.sh/hook", "") and int(ann.get("helm.sh/hook-weight", "0")) < weight,
                        f"{label}: the Secret the migration Job reads exists before it on install (earlier hook)")


def check_secret_files(f, label, dep, jobs, values, secrets, secret_settings, secret_values):
    """secrets.asFiles: NAME_FILE settings point into a read-only Secret volume; no secret in env."""
    as_files = bool(value_at(values, ("secrets", "asFiles")))
    mount_path = value_at(values, ("secrets", "mountPath"))
    existing = values.get("existingSecret") or ""
    keys = set(value_at(values, ("secrets", "existingSecretKeys")) or []) if existing else set(secret_values)
    workloads = [(dep["metadata"]["name"], dep["spec"]["template"]["spec"], keys)] + [
        (j["metadata"]["name"], j["spec"]["template"]["spec"], keys & {"SQL_PASSWORD"}) for j in jobs]
    for owner, pod_spec, expected in workloads:
        volumes = {v["name"]: v for v in pod_spec.get("volumes", [])}
        for c in pod_spec["containers"]:
            env = c.get("env", [])
            files = {e["name"][:-len("_FILE")]: e.get("value", "") for e in env
                     if e["name"].endswith("_FILE") and e["name"][:-len("_FILE")] in secret_settings}
            if not as_files:
                f.check(not files, f"{label}: {owner} sets no secret NAME_FILE without secrets.asFiles")
                continue
            f.check(set(files) == expected, f"{label}: {owner} sets NAME_FILE for exactly {sorted(expected)}, got {sorted(files)}")
            f.check(not [e for e in env if e["name"] in secret_settings],
                    f"{label}: {owner} takes no secret from the environment with secrets.asFiles")
            for name, path in files.items():
                f.check(path == f"{mount_path}/{name}", f"{label}: {owner} {name}_FILE = {mount_path}/{name}, got {path}")
            mounts = [m for m in c.get("volumeMounts", []) if m.get("mountPath") == mount_path]
            if not expected:
                f.check(not mounts, f"{label}: {owner} mounts no Secret it reads nothing from")
                continue
            if not f.check(len(mounts) == 1 and mounts[0].get("readOnly") is True,
                           f"{label}: {owner} mounts one volume read-only at {mount_path}"):
                continue
            secret = volumes.get(mounts[0]["name"], {}).get("secret")
            if not f.check(bool(secret), f"{label}: {owner} mounts a Secret volume at {mount_path}"):
                continue
            mode = secret.get("defaultMode", 0o644)
            f.check(mode & 0o007 == 0, f"{label}: {owner} secret files not readable by others (defaultMode {mode:o})")
            projected = {i["path"] for i in secret.get("items", [])} or None
            for name in expected:
                f.check(projected is None or name in projected, f"{label}: {owner} volume projects {name}")
                if existing:
                    f.check(secret["secretName"] == existing, f"{label}: {owner} mounts existingSecret {existing}")
                else:
                    f.check(name in secrets.get(secret["secretName"], {}),
                            f"{label}: {owner} mounts a rendered Secret holding {name}")


def main():
    helm, root = sys.argv[1], sys.argv[2]
    chart = os.path.join(root, CHART)
    f = Failures("helm chart")
    settings, secret_settings = setting_names(root), secret_setting_names(root)
    f.check(set(SECRET_VALUES.values()) == set(secret_settings),
            f"the chart's secret values cover settingSpecs()' secret settings {sorted(secret_settings)}")
    with open(os.path.join(chart, "values.yaml"), encoding="utf-8") as fh:
        defaults = yaml.safe_load(fh)

    cases = [("default", None)] + [(os.path.basename(p), p) for p in sorted(glob.glob(os.path.join(chart, "ci", "*-values.yaml")))]
    f.check(len(cases) >= 7, "default values plus the ci/ values files (existing secret, HA, leader election, ...)")
    for label, path in cases:
        args = ["-f", path] if path else []
        lint = run([helm, "lint", "--strict", chart] + args)
        f.check(lint.returncode == 0, f"{label}: helm lint --strict passes\n{lint.stdout}{lint.stderr}")
        rendered = run([helm, "template", RELEASE, chart, "--namespace", NAMESPACE] + args)
        if not f.check(rendered.returncode == 0, f"{label}: helm template succeeds\n{rendered.stderr}"):
            continue
        docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
        values = defaults
        if path:
            with open(path, encoding="utf-8") as fh:
                values = merged(defaults, yaml.safe_load(fh))
        check_render(f, label, docs, values, settings, secret_settings)

    check_original_values(f, helm, root, chart, defaults, check_render, merged, settings, secret_settings)

    bad_files = sorted(glob.glob(os.path.join(root, "tests", "deploy", "bad-values", "*.yaml")))
    f.check(len(bad_files) >= 5, "bad values files exist")
    for path in bad_files:
        with open(path, encoding="utf-8") as fh:
            lines = fh.readlines()
        expect = [l.split(":", 1)[1].strip() for l in lines if l.startswith("# expect:")]
        by_template = any(l.startswith("# rejected-by: template") for l in lines)
        label = os.path.basename(path)
        if by_template:
            result = run([helm, "template", RELEASE, chart, "-f", path])
        else:
            result = run([helm, "lint", "--strict", chart, "-f", path])
        output = result.stdout + result.stderr
        f.check(result.returncode != 0, f"{label}: helm {'template' if by_template else 'lint --strict'} rejects it")
        f.check(bool(expect) and all(e in output for e in expect), f"{label}: the error names {expect}\n{output}")
    f.finish()


if __name__ == "__main__":
    main()
