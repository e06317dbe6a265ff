"""Output options shared by every command that lists things: the format follows -o FILE's extension,
a contradiction is a usage error, and the file written is what its name says."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reports_corpus import build

from cli.main import cli

AS_OF = "2026-11-23"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def kb(tmp_path):
    build(tmp_path / "kb", follow_up=True).close()
    return tmp_path / "kb"


def test_format_follows_the_extension_of_the_output_file(kb, tmp_path):
    html = tmp_path / "report.html"
    r = run("--kb", kb, "actions", "--as-of", AS_OF, "-o", html)
    assert r.exit_code == 0, r.output
    assert html.read_text().lstrip().lower().startswith("<!doctype html>")
    xlsx = tmp_path / "actions.xlsx"
    assert run("--kb", kb, "actions", "--as-of", AS_OF, "-o", xlsx).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(xlsx).active["A1"].value == "ref"
    js = tmp_path / "kb.json"
    assert run("--kb", kb, "export", "-o", js).exit_code == 0 and "documents" in json.loads(js.read_text())
    csv_file = tmp_path / "records.csv"
    assert run("--kb", kb, "export", "-o", csv_file).exit_code == 0
    assert csv_file.read_text().startswith("document_id,")


def test_a_format_that_contradicts_the_file_name_is_a_usage_error(kb, tmp_path):
    out = tmp_path / "report.html"
    r = run("--kb", kb, "actions", "--as-of", AS_OF, "--format", "csv", "-o", out)
    assert r.exit_code == 2 and "report.html" in r.output and not out.exists()
    r = run("--kb", kb, "export", "-o", tmp_path / "kb.xlsx")  # a format export does not write
    assert r.exit_code == 2 and "cannot write xlsx" in r.output


def test_an_extension_that_names_no_format_keeps_the_default(kb, tmp_path):
    out = tmp_path / "actions.txt"
    assert run("--kb", kb, "actions", "--as-of", AS_OF, "-o", out).exit_code == 0
    assert "Actions tracker" in out.read_text()
