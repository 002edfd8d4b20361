#!/usr/bin/env bash
# Dockerfile: COPY sources exist, the runtime stage's package list provides every shared library of
# the built podmon and podmonctl, non-root user, HEALTHCHECK on /healthz. Then the checker is shown
# a Dockerfile with a library package removed and must reject it.
# Usage: tests/deploy/dockerfile.sh [BIN_DIR]   (default: build/bin)
set -euo pipefail
source "$(dirname "$0")/lib/deploy_tools.sh"
bin_dir="${1:-$PODMON_ROOT/build/bin}"
py="$(ensure_python_yaml)"
command -v readelf >/dev/null || deploy_fail "readelf is missing (apt-get install binutils)"
checker="$PODMON_ROOT/tests/deploy/lib/check_dockerfile.py"

"$py" "$checker" "$PODMON_ROOT" "$bin_dir"

# The checker itself: dropping a directly linked library (libfmt9) from the list must fail.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed 's/ libfmt9 / /' "$PODMON_ROOT/Dockerfile" >"$work/Dockerfile"
grep -q libfmt9 "$work/Dockerfile" && deploy_fail "self-test could not remove libfmt9 from the Dockerfile copy"
if "$py" "$checker" "$PODMON_ROOT" "$bin_dir" "$work/Dockerfile" >"$work/out" 2>&1; then
  deploy_fail "the Dockerfile check accepted a runtime stage without libfmt9"
fi
grep -q "libfmt9" "$work/out" || { cat "$work/out"; deploy_fail "the Dockerfile check failed, but not for libfmt9"; }
echo "Dockerfile check rejects a missing library package: ok"
