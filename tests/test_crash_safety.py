"""An ingest killed with SIGKILL at any moment leaves the knowledge base consistent, and a
re-run completes it: the export equals a clean run's, with no duplicates and nothing lost."""
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow


def make_docs(dest, copies=6):
    """Distinct files (different bytes) of real text: the seeds, each in several variants."""
    dest.mkdir()
    for p in sorted((CORPUS / "text").glob("*.txt")):
        for i in range(copies):
            (dest / f"{p.stem}-{i}.txt").write_text(p.read_text() + f"\n\nCopy {i} for the crash test.\n")
    shutil.copy(CORPUS / "text" / "manifest.csv", dest / "manifest.csv")
    return dest


def scrutiny(home, *args, **kw):
    env = {**os.environ, "SCRUTINY_KB": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", "from cli.main import cli; cli()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def export(home):
    p = scrutiny(home, "export")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    docs = json.loads(out)["documents"]
    return sorted(docs, key=lambda d: d["source"])


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    docs = make_docs(base / "docs")
    home = base / "clean-kb"
    p = scrutiny(home, "ingest", "-q", "-j", "2", str(docs))
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    return docs, export(home)


@pytest.mark.parametrize(("who", "delay"), [("group", 1.0), ("group", 2.5), ("group", 5.0),
                                            ("parent", 2.5), ("parent", 8.0)])
def test_killed_ingest_then_rerun_equals_a_clean_run(clean, tmp_path, who, delay):
    """SIGKILL of the ingest and its workers ("group"), or of the parent alone as the OOM killer does
    ("parent": its workers must die with it and leave the KB unlocked), then a re-run at once."""
    docs, expected = clean
    home = tmp_path / "kb"
    p = scrutiny(home, "ingest", "-q", "-j", "2", str(docs), start_new_session=True)
    time.sleep(delay)
    if who == "group":
        os.killpg(p.pid, signal.SIGKILL)  # the ingest and its workers, mid-write
    else:
        p.send_signal(signal.SIGKILL)
    p.communicate()
    rerun = scrutiny(home, "ingest", "-q", "-j", "2", str(docs))
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    got = export(home)
    assert [d["source"] for d in got] == [d["source"] for d in expected]
    assert got == expected
    check = scrutiny(home, "check")  # SQLite, the keyword index and the vectors agree
    out, err = check.communicate(timeout=300)
    assert check.returncode == 0, out + err
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGKILL)  # nothing of the first run may be left; if it is, the test said so above
