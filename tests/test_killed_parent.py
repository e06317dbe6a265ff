"""An ingest killed with SIGKILL (the OOM killer) must not lock the knowledge base: its workers die
with it and hold nothing of it, and the next ingest takes the lock over."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT

PARENT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from kb.store import open_store
    from ingest.workers import run_jobs

    def job(path):
        Path(path).write_text(str(os.getpid()))
        time.sleep(600)  # a file that takes long to parse

    if __name__ == "__main__":  # workers are fresh interpreters that import this script: run it once
        home, tmp = Path(sys.argv[1]), Path(sys.argv[2])
        store = open_store(home)
        with store.writer_lock():
            for _ in run_jobs(job, [str(tmp / "a.pid"), str(tmp / "b.pid")], workers=2, timeout=900):
                pass
""")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal and /proc are Linux's")
def test_workers_die_with_a_killed_parent_and_the_lock_is_taken_over(tmp_path):
    home = tmp_path / "kb"
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen([sys.executable, str(script), str(home), str(tmp_path)],
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)
    try:
        pids = tmp_path / "a.pid", tmp_path / "b.pid"
        deadline = time.monotonic() + 60
        while not all(p.exists() and p.read_text() for p in pids):
            assert time.monotonic() < deadline and parent.poll() is None, "the workers never started"
            time.sleep(0.1)
        workers = [int(p.read_text()) for p in pids]
        parent.send_signal(signal.SIGKILL)  # the parent alone, as the OOM killer does
        parent.wait()
        from kb.store import StoreError, open_store

        with open_store(home) as store:  # at once: no worker keeps the lock
            try:
                with store.writer_lock():
                    pass
            except StoreError as e:
                pytest.fail(f"the lock stayed with the workers: {e}")
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)], "workers outlived their parent"
    finally:
        os.killpg(parent.pid, signal.SIGKILL) if parent.poll() is None else None
        for w in locals().get("workers", []):
            if alive(w):
                os.kill(w, signal.SIGKILL)


def test_a_live_second_ingest_is_still_refused_with_its_pid(tmp_path):
    from kb.store import open_store

    with open_store(tmp_path / "kb") as store, store.writer_lock():
        other = subprocess.run([sys.executable, "-c", "from cli.main import cli; cli()", "--kb", str(tmp_path / "kb"),
                                "ingest", "--no-index", str(tmp_path)], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert other.returncode == 1 and "another ingest is writing" in other.stderr
    assert f"pid {os.getpid()}" in other.stderr


def test_a_lock_kept_by_what_a_gone_ingest_started_is_named(tmp_path):
    """An older version's orphaned worker keeping the lock: the message says whose it was and who holds it."""
    from kb.store import StoreError, open_store

    open_store(tmp_path / "kb").close()
    path = tmp_path / "kb" / "ingest.lock"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path.write_text(gone.stdout.strip())
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; fh = open(sys.argv[1]); "
                               "fcntl.flock(fh, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        store = open_store(tmp_path / "kb")
        with pytest.raises(StoreError, match=rf"pid {gone.stdout.strip()}\) has gone.*pids {holder.pid}\)"), \
                store.writer_lock():
            pass
        store.close()
    finally:
        holder.kill()
        holder.wait()
