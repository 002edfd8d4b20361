"""Shared helpers of the deployment checks: failure collection, repository files, settingSpecs()."""
import os
import re
import sys


class Failures:
    """Collects failed expectations so that one run reports all of them, then exits non-zero."""

    def __init__(self, subject):
        self.subject = subject
        self.failed = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
        return ok

    def finish(self):
        for what in self.failed:
            print(f"FAIL [{self.subject}] {what}", file=sys.stderr)
        print(f"{self.subject}: {self.passed} checks passed, {len(self.failed)} failed")
        sys.exit(1 if self.failed else 0)


def repo_file(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def setting_names(root):
    """Names of podmon's settings (environment variables), read from kSettingSpecs in lib/core/config.cpp."""
    text = repo_file(root, "lib/core/config.cpp")
    body = text[text.index("kSettingSpecs[] = {"):]
    body = body[: body.index("\n};")]
    names = re.findall(r'\{"([A-Z][A-Z0-9_]*)",', body)
    if len(names) < 10:
        raise SystemExit(f"could not read settingSpecs() from lib/core/config.cpp (found {names})")
    return names


def secret_setting_names(root):
    """Settings marked secret in settingSpecs() (the fourth field is true)."""
    text = repo_file(root, "lib/core/config.cpp")
    return re.findall(r'\{"([A-Z][A-Z0-9_]*)", "[^"]*", SettingType::\w+, true,', text)
