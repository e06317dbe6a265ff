"""The generated hostile set (issue #15): folders and events built to hang, exhaust or break an
ingest. Each case runs the real `scrutiny` command in its own process tree and says whether the
promise held, how long it took and the peak memory of any process in the tree.

    from hostile import run_all
    for row in run_all(): print(row)
"""
from __future__ import annotations

import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from _kb import ROOT

SEEDS = ROOT / "corpus" / "text"
LIMIT_S = 300  # a case that runs longer did not hold


@dataclass
class Result:
    case: str
    held: bool
    seconds: float
    peak_mb: float
    note: str


@dataclass
class Run:
    code: int | None  # None: stopped at LIMIT_S
    out: str
    err: str
    seconds: float
    peak_mb: float


def scrutiny(home: Path, *args, fsize: int | None = None, kill_after: float | None = None,
             whole_group: bool = False) -> Run:
    """`scrutiny --kb HOME ARGS` in a new session; peak memory from wait4 (the tree's largest RSS)."""
    def setup():
        os.setsid()
        if fsize:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen([sys.executable, "-c", "from cli.main import cli; cli()", "--kb", str(home),
                              *map(str, args)], stdout=out, stderr=err, env=env, preexec_fn=setup)
        deadline = started + (kill_after if kill_after is not None else LIMIT_S)
        status = usage = None
        while status is None:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid == 0:
                status = None
                if time.monotonic() >= deadline:
                    if whole_group or kill_after is None:
                        os.killpg(p.pid, signal.SIGKILL)
                    else:
                        os.kill(p.pid, signal.SIGKILL)  # the parent alone, as the OOM killer does
                    _, status, usage = os.wait4(p.pid, 0)
                    break
                time.sleep(0.05)
        p.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        timed_out = kill_after is None and seconds >= LIMIT_S
        return Run(None if timed_out else p.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def seeds(dest: Path, copies: int = 1) -> Path:
    """The seed texts, each in `copies` variants whose bytes differ (also from another folder's)."""
    dest.mkdir(parents=True, exist_ok=True)
    for p in sorted(SEEDS.glob("*.txt")):
        for i in range(copies):
            (dest / f"{p.stem}-{i}.txt").write_text(p.read_text() + f"\n\nCopy {i} in {dest.name}.\n")
    return dest


def documents(home: Path) -> list[dict]:
    r = scrutiny(home, "export")
    return sorted(json.loads(r.out)["documents"], key=lambda d: d["source"]) if r.code == 0 else []


def deep_html(levels: int = 100_000) -> bytes:
    return b"<html><body>" + b"<div>" * levels + b"text" + b"</div>" * levels + b"</body></html>"


def long_docx(paragraphs: int = 100_000) -> bytes:
    src = zipfile.ZipFile(ROOT / "corpus" / "published" / "003_c6f32f02b0ec8fe1.docx")
    doc = src.read("word/document.xml").decode()
    head, tail = doc[:doc.index("<w:body>") + 8], doc[doc.index("<w:sectPr"):]
    body = "".join(f"<w:p><w:r><w:t>Paragraph {i} of the report.</w:t></w:r></w:p>" for i in range(paragraphs))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item.filename, (head + body + tail).encode() if item.filename == "word/document.xml"
                       else src.read(item.filename))
    return out.getvalue()


# --- the cases: each builds its folder under `tmp`, runs, and judges -----------------------------
def case_fifo(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    os.mkfifo(d / "pipe.txt")
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d)
    held = r.code == 0 and "pipe.txt (not read: a FIFO" in r.err and len(documents(tmp / "kb")) == 5
    return Result("FIFO in a folder", held, r.seconds, r.peak_mb, _last(r))


def case_device(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "random.pdf").symlink_to("/dev/urandom")
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d)
    held = r.code == 0 and r.err.count("a character device, not a regular file") >= 2 and r.peak_mb < 1024
    return Result("links to /dev/zero, /dev/urandom", held, r.seconds, r.peak_mb, _last(r))


def case_bad_names(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    for raw in (b"Comit\xe9 minutes.txt", b"\xff\xfe report.txt"):
        with open(os.fsencode(d) + b"/" + raw, "wb") as fh:
            fh.write(b"Resolved: That the report be noted. " + raw + b"\n")
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d)
    held = r.code == 0 and len(documents(tmp / "kb")) == 7
    return Result("file names not UTF-8", held, r.seconds, r.peak_mb, _last(r))


def case_bad_manifests(tmp: Path) -> Result:
    head = "file,authority,committee,meeting_date,kind,url\n"
    big, cp = seeds(tmp / "big"), seeds(tmp / "cp1252")
    first = sorted(p.name for p in cp.iterdir())[0]
    (big / "manifest.csv").write_text(head + f'{first},Devon,"{"x" * 1_000_000}",2021-01-01,report,\n')
    (cp / "manifest.csv").write_bytes((head + f"{first},Devon County Council,Comité – Children’s,2021-01-01,"
                                       "minutez,javascript:alert(1)\n").encode("cp1252"))
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", big, cp)
    docs = {d["source"]: d for d in documents(tmp / "kb")}
    read = any(d["committee"] == "Comité – Children’s" for d in docs.values())
    held = (r.code == 1 and "manifest ignored" in r.err and 'unknown kind "minutez"' in r.err and read
            and len(docs) == 10 and "Traceback" not in r.err)
    return Result("manifests: 1 MB cell, cp1252, bad kind", held, r.seconds, r.peak_mb, _last(r))


def case_deep_html(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    (d / "deep.html").write_bytes(deep_html())
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d)
    held = r.code == 1 and "deep.html: refused: elements nested" in r.err and r.seconds < 60
    return Result("HTML nested 100,000 deep (1.1 MB)", held, r.seconds, r.peak_mb, _last(r))


def case_long_docx(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    (d / "long.docx").write_bytes(long_docx())
    r = scrutiny(tmp / "kb", "ingest", "--no-index", d)
    held = r.code == 1 and "long.docx: refused: over 25,000 paragraphs" in r.err and r.seconds < 120
    return Result("DOCX of 100,000 paragraphs (0.3 MB)", held, r.seconds, r.peak_mb, _last(r))


def case_full_disk(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    (tmp / "empty").mkdir()
    scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", tmp / "empty")  # the KB made, migrated: full later
    made = max(f.stat().st_size for f in (tmp / "kb").rglob("*") if f.is_file())  # a limit per file
    r = scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d, fsize=made + 160 * 1024)
    again = scrutiny(tmp / "kb", "ingest", "--no-extract", d)
    check = scrutiny(tmp / "kb", "check")
    held = (r.code == 1 and "Error: stopped:" in r.err and "Traceback" not in r.err and again.code == 0
            and check.code == 0)
    return Result("full disk (file-size limit), then a re-run", held, r.seconds, r.peak_mb, _last(r))


def case_damaged_store(tmp: Path) -> Result:
    d = seeds(tmp / "docs")
    scrutiny(tmp / "kb", "ingest", "--no-index", "--no-extract", d)
    db = tmp / "kb" / "kb.sqlite"
    db.write_bytes(db.read_bytes()[:20000])
    runs = [scrutiny(tmp / "kb", *args) for args in (["stats"], ["check"], ["search", "care", "--mode", "bm25"])]
    held = all(x.code == 1 and "is damaged" in x.err and "backup" in x.err for x in runs)
    return Result("truncated kb.sqlite: stats, check, search", held, sum(x.seconds for x in runs),
                  max(x.peak_mb for x in runs), _last(runs[1]))


def case_killed_parent(tmp: Path) -> Result:
    d = seeds(tmp / "docs", copies=4)
    clean = tmp / "clean"
    scrutiny(clean, "ingest", "-q", "-j", "2", d)
    killed = scrutiny(tmp / "kb", "ingest", "-q", "-j", "2", d, kill_after=8.0)  # the parent alone
    time.sleep(1)
    left = _orphans(d)
    again = scrutiny(tmp / "kb", "ingest", "-q", "-j", "2", d)
    check = scrutiny(tmp / "kb", "check")
    same = documents(tmp / "kb") == documents(clean)
    held = not left and again.code == 0 and check.code == 0 and same
    note = (f"workers left: {left}; " if left else "") + f"re-run exit {again.code}, check exit {check.code}, " \
        f"export {'equals' if same else 'differs from'} a clean run's"
    return Result("kill -9 of the parent mid-ingest, re-run", held, killed.seconds + again.seconds,
                  max(killed.peak_mb, again.peak_mb), note)


CASES: list[Callable[[Path], Result]] = [case_fifo, case_device, case_bad_names, case_bad_manifests,
                                         case_deep_html, case_long_docx, case_full_disk, case_damaged_store,
                                         case_killed_parent]


def run_all(cases: list[Callable[[Path], Result]] = CASES) -> Iterator[Result]:
    for case in cases:
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            try:
                yield case(Path(tmp))
            except Exception as e:  # a case that crashes the bench did not hold: say so and go on
                yield Result(case.__name__, False, 0.0, 0.0, f"{type(e).__name__}: {e}")
            finally:
                for pid in _orphans(Path(tmp)):
                    os.kill(pid, signal.SIGKILL)
                shutil.rmtree(tmp, ignore_errors=True)


def _last(r: Run) -> str:
    if r.code is None:
        return f"still running after {LIMIT_S} s"
    lines = [line for line in r.err.strip().splitlines() if line.strip()]
    reasons = [line.strip() for line in lines if "not read" in line or "refused" in line or "Error" in line]
    return (reasons or lines or [""])[-1][:110]


def _orphans(folder: Path) -> list[int]:
    """Processes whose command line names `folder` (workers of a killed run, if any outlived it)."""
    out = []
    for cmd in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folder).encode() in cmd.read_bytes() and int(cmd.parent.name) != os.getpid():
                state = (cmd.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    out.append(int(cmd.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out
