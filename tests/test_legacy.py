"""Legacy office files (.doc .ppt .odt .odp .rtf) converted by LibreOffice in headless mode, then read by
the DOCX and PPTX parsers. Needs Debian's libreoffice-writer-nogui and libreoffice-impress-nogui: skipped,
saying so, without (the messages without LibreOffice are tested in test_parsers_detect and test_ingest)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED

from cli.main import cli
from ingest.model import ParseError, UnsupportedFormat
from ingest.parsers import convert, parse_file

REAL = SHARED / "corpus-real"
needs_soffice = pytest.mark.skipif(convert.soffice_path() is None, reason="LibreOffice not installed (apt-get "
                                   "install libreoffice-writer-nogui libreoffice-impress-nogui; .ci/run installs it)")
RTF = (rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0\fs24 {\b Minutes of the Scrutiny Committee}\par "
       rb"The committee RESOLVED to approve the revised budget for 2025/26.\par}")


def _legacy_files() -> list[Path]:
    """The legacy files of ../shared/corpus-real, by its MANIFEST.tsv."""
    manifest = REAL / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [REAL / r[0] for r in rows if len(r) > 4 and r[4] in ("doc", "ppt", "odt", "odp", "rtf")]


@needs_soffice
def test_rtf_converted_and_read_as_docx():
    doc = parse_file(Path("minutes.rtf"), RTF)
    assert [b.text for b in doc.blocks] == ["Minutes of the Scrutiny Committee",
                                            "The committee RESOLVED to approve the revised budget for 2025/26."]
    assert doc.format == "docx" and doc.converted_from == "rtf" and doc.parser == "rtf>docx"
    assert doc.warnings[0] == "converted from Rich Text Format .rtf to DOCX by LibreOffice"


@needs_soffice
def test_a_damaged_doc_is_a_failure_naming_the_reason():
    with pytest.raises(ParseError, match=r"legacy Word \.doc: LibreOffice could not convert it to DOCX"):
        parse_file(Path("old.doc"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


@needs_soffice
def test_no_time_left_for_a_conversion_is_a_failure_naming_the_limit():
    with pytest.raises(ParseError, match="no time left in the file's time limit"):
        parse_file(Path("minutes.rtf"), RTF, deadline=time.monotonic() + 1)


@needs_soffice
def test_a_conversion_past_its_limit_is_stopped_with_its_processes(monkeypatch):
    monkeypatch.setattr(convert, "CONVERT_TIMEOUT", 0.2)
    monkeypatch.setattr(convert, "MIN_TIMEOUT", 0.1)
    with pytest.raises(ParseError, match=r"LibreOffice took longer than 0.2 s"):
        parse_file(Path("minutes.rtf"), RTF)
    left = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and b"scrutiny-soffice-" in Path(f"/proc/{pid}/cmdline").read_bytes():
                left.append(pid)
        except OSError:
            pass
    assert not left, f"soffice processes left running: {left}"


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setenv("SCRUTINY_SOFFICE", "none")
    with pytest.raises(UnsupportedFormat, match=r"Rich Text Format \.rtf; convert to DOCX, or install LibreOffice"):
        parse_file(Path("minutes.rtf"), RTF)


@needs_soffice
@pytest.mark.skipif(not _legacy_files(), reason="shared/corpus-real not available")
def test_one_real_doc_converted():
    path = next(p for p in _legacy_files() if p.name == "Local_Public_Data_Panel_Nineteenth_Meeting_21_March_2013_Minutes.doc")
    doc = parse_file(path)
    assert doc.parser == "doc>docx" and doc.blocks[:2] and doc.blocks[1].text == "Nineteenth Meeting"
    assert "Local Public Data Panel" in doc.blocks[0].text and len(doc.blocks) > 40


@needs_soffice
@pytest.mark.slow
@pytest.mark.skipif(len(_legacy_files()) != 10, reason="shared/corpus-real (10 legacy files) not available")
def test_the_ten_real_legacy_files_are_ingested(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in _legacy_files():
        (docs / p.name).write_bytes(p.read_bytes())
    home = str(tmp_path / "kb")
    r = CliRunner().invoke(cli, ["--kb", home, "ingest", "--no-index", "-j", "2", "--strict", str(docs)],
                           catch_exceptions=False)
    assert r.exit_code == 0 and "10 ingested" in r.output, r.output
    out = json.loads(CliRunner().invoke(cli, ["--kb", home, "export"], catch_exceptions=False).stdout)
    parsers = {Path(d["source"]).suffix: d["parser"] for d in out["documents"]}
    assert parsers == {".doc": "doc>docx", ".ppt": "ppt>pptx", ".odt": "odt>docx", ".odp": "odp>pptx"}
    minutes = [d for d in out["documents"] if "Twentieth_Meeting_5_June_2013_Minutes" in d["source"]]
    assert minutes and minutes[0]["actions"] and minutes[0]["meeting_date"] == "2013-06-05", minutes
