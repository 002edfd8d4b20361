"""Checks the Dockerfile against the repository and the built binaries.

Usage: check_dockerfile.py REPO_ROOT BIN_DIR [DOCKERFILE]   (DOCKERFILE defaults to REPO_ROOT/Dockerfile)

- every COPY source from the build context exists and is not excluded by .dockerignore;
- every file copied out of the build stage is a binary that stage builds (--target) and that CMake
  defines (add_executable);
- the runtime stage is Debian bookworm, runs as a numeric non-root user, has a HEALTHCHECK on
  /healthz and ships the migrations where defaultMigrationsDir() looks;
- the runtime stage's apt-get install list provides every shared library of BIN_DIR/podmon and
  BIN_DIR/podmonctl: a library's package (dpkg -S) is listed, or is pulled in by a listed package's
  Depends, or is Essential. Libraries the binaries link directly must be listed by name.
"""
import fnmatch
import os
import re
import subprocess
import sys

from deploy_checks import Failures, repo_file

BINARIES = ["podmon", "podmonctl"]
MIGRATIONS_DIR = "/usr/share/podmon/sql"


def instructions(text):
    """(keyword, arguments) per Dockerfile instruction, continuation lines joined, comments dropped."""
    out, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, args = current.strip().partition(" ")
        out.append((keyword.upper(), args.strip()))
        current = ""
    return out


def stages(instrs):
    """[{name, image, instrs}] in order."""
    result = []
    for keyword, args in instrs:
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(result))
            result.append({"name": name, "image": parts[0], "instrs": []})
        elif result:
            result[-1]["instrs"].append((keyword, args))
    return result


def copy_parts(args):
    tokens = args.split()
    flags = {t.split("=", 1)[0]: t.split("=", 1)[1] if "=" in t else "" for t in tokens if t.startswith("--")}
    paths = [t for t in tokens if not t.startswith("--")]
    return flags, paths[:-1], paths[-1]


def ignored(path, patterns):
    path = path.rstrip("/").lstrip("./") or "."
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        p = pattern[1:] if negate else pattern
        p = p.strip("/")
        parts = path.split("/")
        # A pattern excludes the path itself or any of its parent directories.
        if any(fnmatch.fnmatch("/".join(parts[: i + 1]), p) for i in range(len(parts))):
            excluded = not negate
    return excluded


def apt_packages(run_args):
    """Package names of every `apt-get install` in a RUN instruction."""
    packages = []
    for command in re.split(r"&&|;|\|\|", run_args):
        tokens = command.split()
        if "apt-get" in tokens and "install" in tokens:
            packages += [t for t in tokens[tokens.index("install") + 1 :] if not t.startswith("-")]
    return packages


def installed_packages():
    """{package: (essential, [dependency groups])} from dpkg's database, plus virtual Provides."""
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
        check=True, capture_output=True, text=True).stdout
    packages, provides = {}, {}
    for line in out.splitlines():
        name, essential, depends, provided = (line.split("\t") + ["", "", ""])[:4]
        groups = []
        for group in depends.split(","):
            alternatives = [re.sub(r"\(.*?\)|:any|:native", "", a).strip() for a in group.split("|")]
            alternatives = [a for a in alternatives if a]
            if alternatives:
                groups.append(alternatives)
        packages[name] = (essential == "yes", groups)
        for p in provided.split(","):
            p = re.sub(r"\(.*?\)", "", p).strip()
            if p:
                provides.setdefault(p, []).append(name)
    return packages, provides


def closure(roots, packages, provides):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        for real in [name] + provides.get(name, []):
            if real in seen or real not in packages:
                continue
            seen.add(real)
            for group in packages[real][1]:
                todo += group
    return seen


def packages_of(libraries):
    """{library path: Debian package} in one dpkg -S call; tries each path, its real path and the
    usrmerge twin (/lib vs /usr/lib)."""
    candidates = {}
    for library in libraries:
        paths = [library, os.path.realpath(library)]
        paths += [p[4:] if p.startswith("/usr/") else "/usr" + p for p in list(paths)]
        for path in paths:
            candidates.setdefault(path, library)
    out = subprocess.run(["dpkg", "-S"] + sorted(candidates), capture_output=True, text=True).stdout
    owners = {}
    for line in out.splitlines():
        package, _, path = line.partition(": ")
        if path in candidates and "," not in package:
            owners.setdefault(candidates[path], package.split(":")[0].strip())
    return owners


def needed(binary):
    out = subprocess.run(["readelf", "-d", binary], check=True, capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def linked(binary):
    """{soname: path} of every library the dynamic loader resolves for binary."""
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libs = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m:
            libs[m.group(1)] = m.group(2)
        elif "not found" in line:
            libs[line.split()[0]] = None
    return libs


def main():
    root, bin_dir = sys.argv[1], sys.argv[2]
    f = Failures("Dockerfile")
    text = repo_file(root, sys.argv[3] if len(sys.argv) > 3 else "Dockerfile")
    dockerignore = [l.strip() for l in repo_file(root, ".dockerignore").splitlines() if l.strip() and not l.startswith("#")]
    all_stages = stages(instructions(text))
    f.check(len(all_stages) >= 2, "a multi-stage build (build + runtime)")
    names = {s["name"]: s for s in all_stages}
    runtime = all_stages[-1]
    f.check(runtime["image"].startswith("debian:bookworm"), f"runtime stage on Debian bookworm, not {runtime['image']}")

    cmake_text = ""
    for dirpath, _, files in os.walk(root):
        if "/build" in dirpath[len(root):] or "/." in dirpath[len(root):]:
            continue
        for name in files:
            if name == "CMakeLists.txt":
                cmake_text += open(os.path.join(dirpath, name), encoding="utf-8").read()

    for stage in all_stages:
        for keyword, args in stage["instrs"]:
            if keyword not in ("COPY", "ADD"):
                continue
            flags, sources, dest = copy_parts(args)
            if "--from" in flags:
                source_stage = names.get(flags["--from"])
                f.check(source_stage is not None, f"COPY --from={flags['--from']} names a stage")
                if not source_stage:
                    continue
                built = " ".join(a for k, a in source_stage["instrs"] if k == "RUN")
                for src in sources:
                    binary = os.path.basename(src)
                    f.check(re.search(r"--target[^&]*\b" + re.escape(binary) + r"\b", built) is not None,
                            f"{src}: stage {flags['--from']} builds --target {binary}")
                    f.check(re.search(r"add_executable\(\s*" + re.escape(binary) + r"\b", cmake_text) is not None,
                            f"{src}: a CMake target add_executable({binary}) exists")
                continue
            for src in sources:
                f.check(os.path.exists(os.path.join(root, src)), f"COPY source {src} exists in the repository")
                f.check(not ignored(src, dockerignore), f"COPY source {src} is not excluded by .dockerignore")

    runtime_instrs = runtime["instrs"]
    users = [a for k, a in runtime_instrs if k == "USER"]
    f.check(bool(users) and re.fullmatch(r"[1-9][0-9]*(:[1-9][0-9]*)?", users[-1]) is not None,
            f"runtime USER is a numeric non-root uid (got {users[-1] if users else 'none'})")
    health = [a for k, a in runtime_instrs if k == "HEALTHCHECK"]
    f.check(bool(health) and "/healthz" in health[-1], "a HEALTHCHECK on /healthz")
    f.check(any(k == "COPY" and copy_parts(a)[2].rstrip("/") == MIGRATIONS_DIR and "sql/" in copy_parts(a)[1]
                for k, a in runtime_instrs), f"sql/ copied to {MIGRATIONS_DIR}")
    f.check(any(k == "ENTRYPOINT" and "podmon" in a for k, a in runtime_instrs), "ENTRYPOINT runs podmon")

    listed = set()
    for k, a in runtime_instrs:
        if k == "RUN":
            listed.update(apt_packages(a))
    f.check(bool(listed), "the runtime stage installs its libraries with apt-get install")
    packages, provides = installed_packages()
    essential = [p for p, (ess, _) in packages.items() if ess]
    provided = closure(list(listed) + essential, packages, provides)
    essential_closure = closure(essential, packages, provides)

    for binary in BINARIES:
        path = os.path.join(bin_dir, binary)
        if not f.check(os.access(path, os.X_OK), f"{path} is built (build it first: tools/dev/build)"):
            continue
        libs = linked(path)
        direct = set(needed(path))
        owners = packages_of([lib for lib in libs.values() if lib])
        for soname, lib in sorted(libs.items()):
            if not f.check(lib is not None, f"{binary}: {soname} resolves on this machine"):
                continue
            package = owners.get(lib)
            if not f.check(package is not None, f"{binary}: {lib} belongs to a Debian package"):
                continue
            if soname in direct:
                f.check(package in listed or package in essential_closure,
                        f"{binary} links {soname} directly: its package {package} is in the runtime apt-get install list")
            else:
                f.check(package in provided,
                        f"{binary}: {soname} ({package}) is installed by the runtime package list or its dependencies")
    f.finish()


if __name__ == "__main__":
    main()
