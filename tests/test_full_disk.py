"""A full disk stops an ingest cleanly: it says so (no traceback), what was stored before stays whole,
the KB passes `check` once the derivable parts are rebuilt, and a re-run with space gives the same
export as a clean run. Two real ways to fill a disk: a file-size limit (RLIMIT_FSIZE: any user, any
machine) and, where this process may mount one (root), a small tmpfs."""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT

DOCS = CORPUS / "text"


def scrutiny(home, *args, fsize: int | None = None):
    def limit():
        if fsize:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), not the process
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-c", "from cli.main import cli; cli()", "--kb", str(home),
                           *map(str, args)], capture_output=True, text=True, timeout=600, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def export(home) -> list[dict]:
    p = scrutiny(home, "export")
    assert p.returncode == 0, p.stderr
    return sorted(json.loads(p.stdout)["documents"], key=lambda d: d["source"])


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    home = tmp_path_factory.mktemp("clean") / "kb"
    p = scrutiny(home, "ingest", "-q", "--no-extract", DOCS)
    assert p.returncode == 0, p.stderr
    return export(home)


def stops_cleanly(p) -> None:
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and ("no space left" in last or "disk may be full" in last), last


def consistent_then_completed(home, clean) -> None:
    """SQLite whole (only derivable parts may lack), then a run with space completes it."""
    p = scrutiny(home, "check", "--json")
    report = json.loads(p.stdout)
    assert not report["damaged"], report
    assert all(any(w in x for w in ("vector", "passages", "migration")) for x in report["problems"]), report
    stored = export(home)
    assert all(d in clean for d in stored)  # each stored document whole
    p = scrutiny(home, "ingest", "-q", "--no-extract", DOCS)
    assert p.returncode == 0, p.stderr
    assert export(home) == clean
    p = scrutiny(home, "check")
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.parametrize("limit_kb", [pytest.param(200, marks=pytest.mark.slow), 320])  # in a migration / a file
def test_a_file_size_limit_stops_the_ingest_cleanly(tmp_path, clean, limit_kb):
    home = tmp_path / "kb"
    p = scrutiny(home, "ingest", "-q", "--no-extract", DOCS, fsize=limit_kb * 1024)
    stops_cleanly(p)
    consistent_then_completed(home, clean)


def _mount_tmpfs(where, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    where.mkdir(exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("size", ["600k", "900k"])  # full while writing SQLite / while writing the vectors
def test_a_full_file_system_stops_the_ingest_cleanly(tmp_path, clean, size):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, size):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        home = disk / "kb"
        p = scrutiny(home, "ingest", "-q", "--no-extract", DOCS)
        stops_cleanly(p)
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)  # space freed
        consistent_then_completed(home, clean)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
