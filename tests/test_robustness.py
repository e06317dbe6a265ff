"""Bad input: each file gets a clear error naming it and the reason, the run carries on, every
good file is stored, and nothing hostile gets through."""
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS, ROOT, shared_path

PUBLISHED = CORPUS / "published"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rezip(src: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, (replace or {}).get(item.filename, zin.read(item.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def zip_bomb(src: bytes) -> bytes:
    """A real DOCX with one extra part that unpacks to 64 MB of zeros from ~64 KB."""
    out = io.BytesIO(rezip(src))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open("word/media/bomb.bin", "w", force_zip64=True) as fh:
        block = b"\0" * (1 << 20)
        for _ in range(64):
            fh.write(block)
    return out.getvalue()


XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
       b"<w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
          b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">&lol4;</p:sld>')


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Good files (the published corpus, a non-ASCII name, cp1252 text) among generated bad ones."""
    d = tmp_path_factory.mktemp("mixed") / "in box"
    shutil.copytree(PUBLISHED, d)
    docx = (PUBLISHED / "003_c6f32f02b0ec8fe1.docx").read_bytes()
    pptx = (PUBLISHED / "004_235523c0adba9974.pptx").read_bytes()
    pdf = (PUBLISHED / "001_6787dac944f98423.pdf").read_bytes()
    good = {
        "Minutes – Comité élu 2024.txt": "Resolved: That the budget of £1.2m be agreed.\n".encode(),
        "cp1252 notes.txt": "The grant was £350k and 88% of staff agreed.\n".encode("cp1252"),
        "hostile page.html": (b"<html><head><script>alert('x')</script><style>p{}</style></head><body>"
                              b"<h1 onclick=\"alert(1)\">Budget</h1><p onmouseover='steal()'>The council agreed a "
                              b"budget of \xc2\xa31.2m.</p><iframe src='http://evil'></iframe></body></html>"),
    }
    skipped = {
        "empty.pdf": b"",
        "empty.txt": b"",
        "blank.txt": b"\n   \n\t\n",
        "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048,
    }
    bad = {
        "truncated.pdf": pdf[: len(pdf) // 3],
        "junk.pdf": os.urandom(4096),
        "junk.docx": os.urandom(4096),
        "bomb.docx": zip_bomb(docx),
        "xxe.docx": rezip(docx, replace={"word/document.xml": XXE}),
        "laughs.pptx": rezip(pptx, replace={"ppt/slides/slide1.xml": LAUGHS}),
    }
    for name, data in {**good, **skipped, **bad}.items():
        (d / name).write_bytes(data)
    (d / "loop").symlink_to(d, target_is_directory=True)  # a symlink loop
    return d, set(good), set(bad), set(skipped)


def listed_rows(output: str, heading: str) -> list[tuple[str, str]]:
    """(file, reason) of each line of the summary's "Failed files:" or "Skipped files:" list."""
    if heading not in output:
        return []
    rows = []
    for line in output.split(heading, 1)[1].splitlines()[1:]:
        if not line.startswith("  "):
            break
        rows.append(tuple(part.strip() for part in line.split(": ", 1)))
    return rows


def listed(output: str, heading: str) -> dict[str, str]:
    """{file name: reason} of the summary's "Failed files:" or "Skipped files:" list."""
    return {row[0].rsplit("/", 1)[-1]: row[1] for row in listed_rows(output, heading) if len(row) == 2}


def test_bad_files_are_reported_by_name_and_good_ones_stored(mixed, tmp_path, monkeypatch):
    monkeypatch.setenv("SCRUTINY_SOFFICE", "none")  # legacy.doc skipped as without LibreOffice
    folder, good, bad, skipped_files = mixed
    home = tmp_path / "kb"
    r = run("--kb", str(home), "ingest", "-q", "--no-index", "--file-timeout", "120", "--strict", str(folder))
    assert r.exit_code == 1, r.output
    failed = listed(r.output, "Failed files:")
    skipped = listed(r.output, "Skipped files:")
    assert set(failed) == bad, failed
    assert set(skipped) == skipped_files, skipped
    assert "empty" in skipped["empty.pdf"] and "empty" in skipped["empty.txt"] and "no text" in skipped["blank.txt"]
    assert "convert to DOCX" in skipped["legacy.doc"]
    assert "zip bomb" in failed["bomb.docx"]
    assert "entit" in failed["xxe.docx"] and "entit" in failed["laughs.pptx"]
    assert "not a PDF" in failed["junk.pdf"] and "not a DOCX" in failed["junk.docx"]
    stored = json.loads(run("--kb", str(home), "export").stdout)["documents"]
    names = {d["source"].rsplit("/", 1)[-1] for d in stored}
    published = {p.name for p in PUBLISHED.iterdir() if p.name != "manifest.csv"}
    assert names == published | good
    text = run("--kb", str(home), "export", "--format", "jsonl").stdout
    assert "root:" not in text  # /etc/passwd never read
    html = next(d for d in stored if d["source"].endswith("hostile page.html"))
    show = json.loads(run("--kb", str(home), "show", html["id"], "--json").stdout)
    body = " ".join(b["text"] for b in show["blocks"])
    assert "1.2m" in body and "alert" not in body and "steal" not in body
    cp = next(d for d in stored if d["source"].endswith("cp1252 notes.txt"))
    cp_text = " ".join(b["text"] for b in json.loads(run("--kb", str(home), "show", cp["id"], "--json").stdout)["blocks"])
    assert "£350k" in cp_text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_reported(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "ok.txt").write_text("Resolved: That the report be noted.\n")
    secret = d / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    r = run("--kb", str(tmp_path / "kb"), "ingest", "--no-index", "--no-extract", str(d))
    assert r.exit_code == 1 and "secret.txt" in r.output and "ok.txt" not in r.output.split("Failed files:")[1]


@pytest.mark.slow
def test_every_real_malformed_pdf_is_stored_or_rejected_with_a_reason(tmp_path):
    pdfs = shared_path("robust-pdfs")
    home = tmp_path / "kb"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([sys.executable, "-c", "from cli.main import cli; cli()", "--kb", str(home), "ingest", "-q",
                        "--strict", "--no-extract", "--no-index", "--file-timeout", "60", str(pdfs)],
                       capture_output=True, text=True, timeout=1800, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak memory of one process: {max(peak, before) / 1024:.0f} MB")
    assert p.returncode == 1, p.stderr[-2000:]
    assert "Traceback" not in p.stderr
    summary = [line for line in p.stderr.splitlines() if " ingested, " in line][-1]
    n_files = sum(1 for f in pdfs.rglob("*.pdf"))
    count = {k: int(n) for n, k in re.findall(r"(\d+) (\w+)", summary)}
    ingested, failed, skipped = count["ingested"], count["failed"], count["skipped"]
    unchanged = count["unchanged"]  # byte-identical duplicates
    assert ingested + failed + skipped + unchanged == n_files
    rows = listed_rows(p.stderr, "Failed files:") + listed_rows(p.stderr, "Skipped files:")
    assert len(rows) == failed + skipped and all(len(r) == 2 and r[1] for r in rows)
    assert ingested > n_files // 2


@pytest.mark.slow
def test_a_huge_file_is_stopped_by_the_timeout_and_the_run_goes_on(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "good.txt").write_text("Resolved: That an update report be presented in six months.\n")
    line = "The committee noted that 88% of the 1,200 families were supported within 20 days. "
    with open(d / "budget book.txt", "w") as fh:
        for _ in range(400_000):  # ~34 MB of text
            fh.write(line)
    r = run("--kb", str(tmp_path / "kb"), "ingest", "-q", "--no-index", "--file-timeout", "5", "--file-memory", "0", str(d))
    assert r.exit_code == 1
    failures = r.output.split("Failed files:")[1]
    assert "budget book.txt" in failures and "longer than 5 s" in failures, failures
    assert "good.txt" not in failures
    assert len(json.loads(run("--kb", str(tmp_path / "kb"), "export").stdout)["documents"]) == 1
