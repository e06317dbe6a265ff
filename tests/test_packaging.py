"""An installed (not editable) Scrutiny KB must carry every data file its packages read: vocabularies,
templates, static files. A file the package-data globs miss works from a checkout and fails after
`pip install .`."""
from __future__ import annotations

import fnmatch
import subprocess
import tomllib

from tests.conftest import ROOT

PACKAGES = ("ingest", "nlp", "kb", "cli", "reports")


def tracked_data_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if not f.endswith(".py")]


def test_every_data_file_in_a_package_is_declared_as_package_data():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    missing = []
    for path in tracked_data_files():
        package, rest = path.split("/", 1)
        if not any(fnmatch.fnmatch(rest, pattern) for pattern in declared.get(package, [])):
            missing.append(path)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
