"""Hostile folders: names, manifests and special files that must be reported per file (or per
manifest) while the run carries on, never stop it, hang it or exhaust its memory."""
from __future__ import annotations

import json
import os
import shutil
import sys

from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from hostile import deep_html, long_docx  # (the files bench/robustness.py's hostile set makes too)

SEEDS = CORPUS / "text"
MANIFEST_HEAD = "file,authority,committee,meeting_date,kind,url\n"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ingest(home, *paths, extra=()):
    return run("--kb", home, "ingest", "--no-extract", "--no-index", *extra, *paths)


def stored(home) -> dict[str, dict]:
    r = run("--kb", home, "export")
    assert r.exit_code == 0, r.output
    return {d["source"].rsplit("/", 1)[-1]: d for d in json.loads(r.stdout)["documents"]}


def seeds(dest):
    dest.mkdir(parents=True)
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, dest / p.name)
    return dest


# --- item 3: one bad name or manifest does not stop the run ---------------------------------------
def test_a_file_name_that_is_not_utf8_is_stored_with_the_others(tmp_path):
    docs = seeds(tmp_path / "docs")
    with open(os.fsencode(docs) + b"/Comit\xe9 minutes.txt", "wb") as fh:  # Latin-1, as old archives hold
        fh.write(b"Minutes of the committee. Resolved: That the report be noted.\n")
    home = tmp_path / "kb"
    r = ingest(home, docs)
    assert r.exit_code == 0, r.output
    docs_stored = stored(home)
    assert len(docs_stored) == 6 and "Comit\\xe9 minutes.txt" in docs_stored
    shown = run("--kb", home, "show", docs_stored["Comit\\xe9 minutes.txt"]["id"], "--json")
    assert any("not valid UTF-8" in w for w in json.loads(shown.stdout)["warnings"])
    again = ingest(home, docs)
    assert again.exit_code == 0 and "6 unchanged" in again.output


def test_a_manifest_with_a_megabyte_cell_is_reported_and_its_files_still_read(tmp_path):
    docs = seeds(tmp_path / "docs")
    name = sorted(p.name for p in docs.iterdir())[0]
    (docs / "manifest.csv").write_text(MANIFEST_HEAD + f'{name},Devon,"{"x" * 1_000_000}",2021-01-01,report,\n')
    other = seeds(tmp_path / "other")
    for p in other.iterdir():
        p.write_text(p.read_text() + "\nAnother copy.\n")
    home = tmp_path / "kb"
    r = ingest(home, docs, other)
    assert r.exit_code == 1
    failures = r.output.split("Failed files:")[1]
    assert "manifest.csv" in failures and "manifest ignored" in failures and "Traceback" not in r.output
    assert len(json.loads(run("--kb", home, "export").stdout)["documents"]) == 10


def test_a_manifest_saved_as_cp1252_is_read(tmp_path):
    docs = seeds(tmp_path / "docs")
    name = sorted(p.name for p in docs.iterdir())[0]
    row = f"{name},Devon County Council,Comité – Children’s Scrutiny,2021-01-01,minutes,\n"
    (docs / "manifest.csv").write_bytes((MANIFEST_HEAD + row).encode("cp1252"))
    home = tmp_path / "kb"
    r = ingest(home, docs)
    assert r.exit_code == 0, r.output
    assert stored(home)[name]["committee"] == "Comité – Children’s Scrutiny"


def test_an_overlong_manifest_value_is_reported_by_line_and_inferred_instead(tmp_path):
    docs = seeds(tmp_path / "docs")
    first, second = sorted(p.name for p in docs.iterdir())[:2]
    (docs / "manifest.csv").write_text(MANIFEST_HEAD + f"{first},Devon County Council,Cabinet,2021-01-01,minutes,\n"
                                       + f'{second},Devon County Council,"{"y" * 5000}",2021-02-01,minutes,\n')
    home = tmp_path / "kb"
    r = ingest(home, docs)
    assert r.exit_code == 1
    assert "manifest.csv line 3" in r.output and "committee is 5,000 characters" in r.output
    got = stored(home)
    assert got[first]["committee"] == "Cabinet" and got[second]["committee"] != "y" * 5000
    assert got[second]["meeting_date"] == "2021-02-01"  # the row's other values still count


# --- item 2: only regular files are read, with a size cap ----------------------------------------
def scrutiny_process(home, *args, timeout=120):
    """The CLI in its own process with a memory ceiling, so that a hang or a runaway read fails the
    test (by timeout or MemoryError) instead of taking the test run with it."""
    import resource
    import subprocess
    import sys

    from tests.conftest import ROOT

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run([sys.executable, "-c", "from cli.main import cli; cli()", "--kb", str(home), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_fifos_and_links_to_devices_are_reported_not_read(tmp_path):
    docs = seeds(tmp_path / "docs")
    os.mkfifo(docs / "pipe.txt")
    (docs / "zero.txt").symlink_to("/dev/zero")
    (docs / "null.pdf").symlink_to("/dev/null")
    sub = docs / "sub"
    sub.mkdir()
    os.mkfifo(sub / "manifest.csv")  # a manifest that is a FIFO would block its open for ever
    (sub / "note.txt").write_text("Resolved: That the note be received.\n")
    home = tmp_path / "kb"
    p = scrutiny_process(home, "ingest", "--no-extract", "--no-index", docs)
    assert p.returncode == 1, p.stderr[-2000:]  # the FIFO manifest is reported as a failure to read it
    assert "Traceback" not in p.stderr
    for name, what in (("pipe.txt", "FIFO"), ("zero.txt", "character device"), ("null.pdf", "character device")):
        assert f"{name}: not read: a {what}" in p.stderr, name
    assert "manifest.csv: manifest ignored: not read: a FIFO" in p.stderr
    assert len(json.loads(run("--kb", home, "export").stdout)["documents"]) == 6
    given = scrutiny_process(home, "ingest", "--no-extract", "--no-index", docs / "pipe.txt", "/dev/zero")
    assert given.returncode == 0 and given.stderr.split("Skipped files:")[1].count("not a regular file") == 2


def test_a_file_over_the_size_limit_is_reported_not_read(tmp_path):
    docs = seeds(tmp_path / "docs")
    (docs / "budget book.txt").write_text("The budget was agreed. " * 100_000)  # 2.3 MB
    home = tmp_path / "kb"
    r = ingest(home, docs, extra=("--max-file-size", "1"))
    assert r.exit_code == 1
    failures = r.output.split("Failed files:")[1]
    assert "budget book.txt: 2 MB, over the 1 MB limit (raise --max-file-size)" in failures
    assert len(stored(home)) == 5


# --- item 8: pathological small files, -o through a planted link, manifest kinds -------------------
def test_pathological_small_files_are_refused_fast_with_a_reason(tmp_path):
    import time

    docs = seeds(tmp_path / "docs")
    (docs / "deep.html").write_bytes(deep_html(100_000))  # 1.1 MB
    (docs / "long.docx").write_bytes(long_docx(100_000))  # 0.3 MB
    home = tmp_path / "kb"
    started = time.monotonic()
    r = ingest(home, docs, extra=("--file-timeout", "100"))
    took = time.monotonic() - started
    assert r.exit_code == 1
    failed = r.output.split("Failed files:")[1]
    assert "deep.html: refused: elements nested 100,00" in failed and "deep (browsers stop at 512)" in failed
    assert "long.docx: refused: over 25,000 paragraphs" in failed
    assert took < 60, took  # each took the whole per-file timeout (300 s by default)
    assert len(stored(home)) == 5


def test_a_long_document_that_is_not_hostile_is_still_read_in_bounded_time(tmp_path):
    import time

    from ingest.parsers import parse_file

    path = tmp_path / "long.docx"
    path.write_bytes(long_docx(20_000))
    started = time.monotonic()
    doc = parse_file(path)
    assert len(doc.blocks) == 20_000
    assert time.monotonic() - started < 20  # 27 s for 100,000 paragraphs before style facts were cached
    deep = tmp_path / "deep.html"
    deep.write_bytes(deep_html(400))
    assert [b.text for b in parse_file(deep).blocks] == ["text"]


def test_output_file_is_written_through_a_fresh_temporary_never_a_planted_link(tmp_path, monkeypatch):
    from reports_corpus import build

    build(tmp_path / "kb").close()
    monkeypatch.chdir(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / ".report.md.part").symlink_to(victim)  # the temporary name -o used to write through
    r = run("--kb", tmp_path / "kb", "stats", "-o", "report.md")
    assert r.exit_code == 0, r.output
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "report.md").read_text().startswith("# Knowledge base")
    assert not (tmp_path / "report.md").is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.md.") and not p.is_symlink()]


def test_manifest_kinds_and_dates_are_checked(tmp_path):
    docs = seeds(tmp_path / "docs")
    first, second, third = sorted(p.name for p in docs.iterdir())[:3]
    (docs / "manifest.csv").write_text(MANIFEST_HEAD + f"{first},Devon County Council,Cabinet,2021-01-01,minutez,\n"
                                       + f"{second},Devon County Council,Cabinet,2021-02-30,minutes,\n"
                                       + f"{third},Devon County Council,Cabinet,2021-03-04,Report,\n")
    home = tmp_path / "kb"
    r = ingest(home, docs)
    assert r.exit_code == 1
    assert 'manifest.csv line 2: ' in r.output and 'unknown kind "minutez"' in r.output
    assert "manifest.csv line 3: " in r.output and "February 2021 has no day 30" in r.output
    got = stored(home)
    assert got[first]["kind"] in ("minutes", "report", "presentation", "agenda", "other")
    assert got[first]["meeting_date"] == "2021-01-01"  # the row's other values still count
    assert got[second]["kind"] == "minutes" and got[second]["meeting_date"] != "2021-02-30"
    assert got[third]["kind"] == "report"
