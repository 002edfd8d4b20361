"""Checks docker-compose.yml as docker-compose resolves it.

Usage: check_compose.py DOCKER_COMPOSE REPO_ROOT

- `docker-compose -f docker-compose.yml config -q` accepts the file (run with an empty environment
  and no .env file, so the defaults are what is checked);
- MySQL 8, Elasticsearch 8 and Kibana 8 images; podmon built from the Dockerfile;
- every long-running service has a health check (a service built from the Dockerfile may rely on its
  HEALTHCHECK); every depends_on names a condition, service_healthy only on services with a health
  check, service_completed_successfully only on one-shot services (restart "no");
- podmon's environment uses only settings of settingSpecs(); it reaches MySQL with the credentials
  the MySQL service creates, Elasticsearch by its service name; KUBECONFIG is a mounted file; the
  published port is SERVER_PORT;
- podmon-migrate runs `podmon migrate` before podmon starts; the one-shot dashboards service mounts
  dashboards/ and runs the import script;
- bind-mounted repository paths exist.
"""
import os
import subprocess
import sys
import tempfile

import yaml

from deploy_checks import Failures, setting_names


def main():
    compose, root = sys.argv[1], sys.argv[2]
    f = Failures("docker-compose")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root")}
    empty_env_file = tempfile.NamedTemporaryFile(prefix="podmon-compose-", suffix=".env")
    base = [compose, "--env-file", empty_env_file.name, "-f", os.path.join(root, "docker-compose.yml")]
    quiet = subprocess.run(base + ["config", "-q"], capture_output=True, text=True, env=env, cwd=root)
    f.check(quiet.returncode == 0, f"docker-compose config -q accepts the file\n{quiet.stderr}")
    resolved = subprocess.run(base + ["config"], capture_output=True, text=True, env=env, cwd=root)
    if not f.check(resolved.returncode == 0, f"docker-compose config resolves the file\n{resolved.stderr}"):
        f.finish()
    services = yaml.safe_load(resolved.stdout)["services"]
    settings = set(setting_names(root))
    with open(os.path.join(root, "Dockerfile"), encoding="utf-8") as fh:
        dockerfile_healthcheck = "HEALTHCHECK" in fh.read()

    def image_of(prefix):
        return [n for n, s in services.items() if s.get("image", "").split(":")[0].endswith(prefix)]

    for prefix, major in (("mysql", "8"), ("elasticsearch/elasticsearch", "8."), ("kibana/kibana", "8.")):
        names = image_of(prefix)
        f.check(len(names) == 1 and services[names[0]]["image"].split(":")[1].startswith(major),
                f"one {prefix} service on version {major.rstrip('.')}")
    built = [n for n, s in services.items() if "build" in s]
    f.check(bool(built), "podmon is built from the Dockerfile")
    for name in built:
        ctx = services[name]["build"]["context"]
        f.check(os.path.realpath(ctx) == os.path.realpath(root), f"{name} builds the repository's Dockerfile")

    one_shot = {n for n, s in services.items() if s.get("restart") in ("no", False)}
    healthy = {n for n, s in services.items() if "healthcheck" in s or (n in built and dockerfile_healthcheck)}
    for name, s in services.items():
        if name not in one_shot:
            f.check(name in healthy, f"long-running service {name} has a health check")
        for dep, spec in (s.get("depends_on") or {}).items():
            cond = spec.get("condition") if isinstance(spec, dict) else None
            f.check(dep in services, f"{name} depends on an existing service {dep}")
            f.check(cond in ("service_healthy", "service_completed_successfully"), f"{name} -> {dep} has a condition")
            if cond == "service_healthy":
                f.check(dep in healthy, f"{name} waits for {dep} to be healthy, and {dep} has a health check")
            if cond == "service_completed_successfully":
                f.check(dep in one_shot, f"{name} waits for one-shot {dep} (restart: \"no\")")
        for volume in s.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith(os.path.realpath(root)):
                f.check(os.path.exists(source), f"{name} mounts {source}, which exists")

    mysql = services[image_of("mysql")[0]] if image_of("mysql") else {}
    mysql_name = image_of("mysql")[0] if image_of("mysql") else ""
    es_name = (image_of("elasticsearch/elasticsearch") or [""])[0]
    for name in built:
        s = services[name]
        env_vars = s.get("environment", {})
        for var in env_vars:
            f.check(var in settings, f"{name} env {var} is a podmon setting (settingSpecs())")
        me = mysql.get("environment", {})
        f.check(env_vars.get("SQL_HOST") == mysql_name, f"{name} SQL_HOST is the MySQL service")
        f.check(env_vars.get("SQL_USERNAME") == me.get("MYSQL_USER") and env_vars.get("SQL_PASSWORD") == me.get("MYSQL_PASSWORD")
                and env_vars.get("SQL_DBNAME") == me.get("MYSQL_DATABASE"), f"{name} uses the user and database MySQL creates")
        deps = s.get("depends_on") or {}
        f.check(mysql_name in deps or any(d in built and mysql_name in (services[d].get("depends_on") or {}) for d in deps),
                f"{name} starts after MySQL (directly or through the migration)")

    migrate = [n for n in built if services[n].get("command") == ["migrate"]]
    daemon = [n for n in built if n not in migrate]
    f.check(len(migrate) == 1 and migrate[0] in one_shot, "a one-shot service runs `podmon migrate`")
    f.check(len(daemon) == 1, "one podmon daemon service")
    for name in daemon:
        s = services[name]
        env_vars = s.get("environment", {})
        f.check(bool(migrate) and (s.get("depends_on") or {}).get(migrate[0], {}).get("condition") == "service_completed_successfully",
                f"{name} starts after the migration succeeded")
        f.check(env_vars.get("CLUSTER_NAME"), f"{name} sets CLUSTER_NAME")
        f.check(str(env_vars.get("ELASTICSEARCH_URL", "")).startswith(f"http://{es_name}:9200"), f"{name} indexes into the {es_name} service")
        targets = [v.split(":")[1] for v in s.get("volumes", []) if isinstance(v, str)]
        f.check(env_vars.get("KUBECONFIG") in targets, f"{name} KUBECONFIG {env_vars.get('KUBECONFIG')} is a mounted file")
        port = str(env_vars.get("SERVER_PORT", "8080"))
        f.check(any(str(p).split("/")[0].split(":")[-1] == port for p in s.get("ports", [])), f"{name} publishes SERVER_PORT {port}")

    importers = [n for n, s in services.items() if "import-dashboards.sh" in " ".join(map(str, (s.get("entrypoint") or []) + (s.get("command") or [])))]
    f.check(len(importers) == 1 and importers[0] in one_shot, "a one-shot service imports the dashboards")
    for name in importers:
        s = services[name]
        f.check(any(v.startswith(os.path.join(os.path.realpath(root), "dashboards") + ":") for v in s.get("volumes", [])),
                f"{name} mounts dashboards/")
        kibana = image_of("kibana/kibana")
        f.check(bool(kibana) and s["environment"].get("KIBANA_URL", "").startswith(f"http://{kibana[0]}:5601"), f"{name} talks to the Kibana service")
    f.finish()


if __name__ == "__main__":
    main()
