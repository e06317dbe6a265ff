"""The tracker end to end: real files through `scrutiny ingest` (parsers, metadata, spaCy extraction, search
index), corrections made with the CLI surviving a changed file, new extraction rules and `check --repair`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import cli

pytestmark = pytest.mark.slow

JAN = """ASHWORTH PARISH COUNCIL
Minutes of the Ordinary Meeting of the Parish Council held on Wednesday 10 January 2024 at 7.30pm

Present: Cllr A Brown (Chair), Cllr C Dale, Mrs E Fox (Clerk)

12/24 Bus Shelter
The roof of the Mill Lane bus shelter leaks. The Clerk agreed to obtain a quotation for repairing the bus shelter roof.

13/24 Village Sign
The Clerk agreed to order a replacement village sign for Church Road.
"""
FEB = """ASHWORTH PARISH COUNCIL
Minutes of the Ordinary Meeting of the Parish Council held on Wednesday 14 February 2024 at 7.30pm

Present: Cllr A Brown (Chair), Cllr C Dale, Mrs E Fox (Clerk)

20/24 Matters Arising
Bus Shelter – the quotation for repairing the bus shelter roof had been requested but was still awaited.
Village Sign – the replacement village sign for Church Road has been ordered and installed.
"""


def _ingest(kb, *paths):
    r = CliRunner().invoke(cli, ["--kb", str(kb), "ingest", "-q", "-j", "1", *map(str, paths)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r


def _actions(kb, *extra):
    r = CliRunner().invoke(cli, ["--kb", str(kb), "actions", "--as-of", "2024-03-01", "--format", "json", *extra],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return {a["text"]: a for a in json.loads(r.output)["actions"]}


def test_later_minutes_through_ingest_still_awaited_and_done(tmp_path):
    (tmp_path / "docs").mkdir()
    jan, feb = tmp_path / "docs" / "2024-01.txt", tmp_path / "docs" / "2024-02.txt"
    jan.write_text(JAN)
    feb.write_text(FEB)
    _ingest(tmp_path / "kb", jan, feb)
    got = _actions(tmp_path / "kb")
    shelter = next(a for t, a in got.items() if "bus shelter roof" in t)
    sign = next(a for t, a in got.items() if "village sign" in t)
    assert shelter["meeting_date"] == "2024-01-10" and shelter["status"] == "updated"
    assert "still awaited" in shelter["evidence"]["text"]
    assert sign["status"] == "done" and "installed" in sign["evidence"]["text"]
    assert sign["evidence"]["meeting_date"] == "2024-02-14" and sign["evidence"]["source"].endswith("2024-02.txt")


def test_a_correction_survives_a_changed_file_new_rules_and_check_repair(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    jan = tmp_path / "docs" / "2024-01.txt"
    jan.write_text(JAN)
    kb = tmp_path / "kb"
    _ingest(kb, jan)
    (shelter,) = [a for t, a in _actions(kb).items() if "bus shelter roof" in t]
    r = CliRunner().invoke(cli, ["--kb", str(kb), "actions", "set", shelter["ref"], "--status", "dropped",
                                 "--note", "the shelter is to be removed", "--by", "jb"])
    assert r.exit_code == 0, r.output

    def still_dropped():
        (a,) = [a for t, a in _actions(kb).items() if "bus shelter roof" in t]
        assert a["status"] == "dropped" and a["set_by_hand"]["status"]["note"] == "the shelter is to be removed"

    still_dropped()
    jan.write_text(JAN.replace("Present:", "Present (five members of the public):") + "\n14/24 Close\nThe meeting closed at 9pm.\n")
    assert "1 updated" in _ingest(kb, jan).output  # a changed file: new id, records read again
    still_dropped()
    monkeypatch.setattr("nlp.EXTRACTOR_VERSION", "nlp-test-next")  # new extraction rules: read again
    assert "1 updated" in _ingest(kb, jan).output
    still_dropped()
    r = CliRunner().invoke(cli, ["--kb", str(kb), "check", "--repair"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    still_dropped()
    hist = CliRunner().invoke(cli, ["--kb", str(kb), "corrections", "--format", "json"]).output
    assert [h["by"] for h in json.loads(hist)] == ["jb"]
