"""Searches and reports work while an ingest writes (SQLite WAL); a second ingest started
meanwhile exits with a clear message and writes nothing."""
import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.test_crash_safety import make_docs

pytestmark = pytest.mark.slow


def test_search_during_ingest_and_a_second_ingest_is_refused(tmp_path):
    docs = make_docs(tmp_path / "docs", copies=4)
    home = tmp_path / "kb"
    env = {**os.environ, "SCRUTINY_KB": str(home), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", "from cli.main import cli; cli()"]
    # a first, small ingest so that the search indexes exist
    first = sorted(docs.glob("*-0.txt"))
    subprocess.run([*cmd, "ingest", "-q", *map(str, first)], env=env, check=True, capture_output=True, timeout=600)
    writer = subprocess.Popen([*cmd, "ingest", "-q", "-j", "1", str(docs)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    from kb.search import search
    from kb.store import open_store
    from reports.actions import tracker

    store = open_store(home, readonly=True)
    searches = reports = 0
    second = None
    try:
        while writer.poll() is None:
            hits = search(store, "update report to the committee", limit=5)
            assert hits and all(h["source"] and h["text"] for h in hits)
            searches += 1
            tracker(store, as_of="2026-11-23")
            reports += 1
            if second is None and searches >= 2:
                second = subprocess.run([*cmd, "ingest", "-q", str(docs)], env=env, capture_output=True, text=True,
                                        timeout=120)
            time.sleep(0.05)
    finally:
        _, err = writer.communicate(timeout=900)
    assert writer.returncode == 0, err
    assert searches >= 3 and reports >= 3
    assert second is not None and second.returncode == 1
    assert "another ingest is writing" in second.stderr
    assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(list(docs.glob("*.txt")))
