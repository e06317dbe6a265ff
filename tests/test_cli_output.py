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


# --- dates: one option type for every command ---------------------------------------------------
@pytest.mark.parametrize("args", [
    ["actions", "--as-of", "2026-13-45"],
    ["actions", "--since", "yesterday-ish"],
    ["compare", "Devon", "--topic", "family safeguarding", "--until", "2021-02-29"],
    ["timeline", "Devon", "--since", "2025-02-30"],
    ["search", "family safeguarding", "--since", "garbage"],
])
def test_a_date_that_does_not_exist_is_a_usage_error(kb, args):
    r = run("--kb", kb, *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and ("is not a date" in r.output or "cannot read" in r.output)


def test_relative_and_partial_dates():
    from datetime import date

    from kb.dates import parse_user_date

    today = date(2026, 3, 31)
    assert parse_user_date("2021") == "2021" and parse_user_date("2021-3") == "2021-03"
    assert parse_user_date("2024-02-29") == "2024-02-29"
    assert parse_user_date("today", today) == "2026-03-31"
    assert parse_user_date("yesterday", today) == "2026-03-30"
    assert parse_user_date("2 weeks ago", today) == "2026-03-17"
    assert parse_user_date("1 month ago", today) == "2026-02-28"
    assert parse_user_date("a year ago", today) == "2025-03-31"
    for bad in ("2023-02-29", "2021-00", "31/03/2026", "soon", ""):
        with pytest.raises(ValueError):
            parse_user_date(bad, today)


def test_the_date_filters_still_filter(kb):
    r = run("--kb", kb, "actions", "--as-of", AS_OF, "--since", "2030", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["actions"] == []
    r = run("--kb", kb, "actions", "--as-of", "today", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["actions"]


def test_the_library_refuses_a_bad_date_with_its_own_error(kb):
    from kb.search import SearchError, search
    from kb.store import open_store
    from reports.actions import tracker
    from reports.common import ReportError

    with open_store(kb) as store:
        with pytest.raises(ReportError, match="no month 13"):
            tracker(store, as_of="2026-13-45")
        with pytest.raises(SearchError, match="garbage"):
            search(store, "family safeguarding", since="garbage", mode="bm25")


# --- one set of output options on every command that lists things ------------------------------
def _json_args(doc_id):
    return {
        "stats": ["stats"], "show": ["show", doc_id], "export": ["export"], "check": ["check"],
        "search": ["search", "family safeguarding", "--mode", "bm25"],
        "compare": ["compare", "Devon", "Norfolk", "--topic", "family safeguarding", "--as-of", AS_OF],
        "actions": ["actions", "--as-of", AS_OF], "timeline": ["timeline", "Devon", "--as-of", AS_OF],
    }


def test_every_listing_command_takes_format_output_and_json(kb, tmp_path):
    from kb.store import open_store

    with open_store(kb) as s:
        doc_id = s.documents(authority=["Devon County Council"])[0]["id"]
    for name, args in _json_args(doc_id).items():
        params = {o for p in cli.commands[name].params for o in p.opts}
        assert {"--format", "-o", "--json"} <= params, name
        r = run("--kb", kb, *args, "--json")
        assert r.exit_code in (0, 1) and json.loads(r.stdout), (name, r.output)
        out = tmp_path / f"{name}.json"
        assert run("--kb", kb, *args, "-o", out).exit_code in (0, 1) and json.loads(out.read_text()), name
    r = run("--kb", kb, "stats", "--json", "--format", "csv")
    assert r.exit_code == 2 and "disagree" in r.output


def test_authority_is_dash_a_wherever_it_is_an_option():
    with_authority = [c for c in cli.commands.values() for p in c.params if "--authority" in p.opts]
    assert {c.name for c in with_authority} >= {"search", "export", "actions"}
    for c in with_authority:
        (p,) = [p for p in c.params if "--authority" in p.opts]
        assert "-a" in p.opts, c.name


def test_show_prints_the_records_not_only_their_counts(kb, tmp_path):
    from kb.store import open_store

    with open_store(kb) as s:
        doc = s.get_document("devon/2021-03-minutes.txt") or s.documents(authority=["Devon County Council"])[1]
        recs = {k: s.records(k, doc["id"]) for k in ("actions", "decisions", "metrics")}
    texts = [r["text"] for rs in recs.values() for r in rs]
    assert texts
    r = run("--kb", kb, "show", doc["id"], "--no-blocks")
    assert r.exit_code == 0
    flat = " ".join(r.output.split())
    for t in texts:
        assert " ".join(t.split())[:40] in flat or all(w in flat for w in t.split()[:6]), t
    md = run("--kb", kb, "show", doc["id"], "--format", "md").output
    assert "## Actions" in md and recs["actions"][0]["owner"] in md if recs["actions"] else True
    csv_out = run("--kb", kb, "show", doc["id"], "--format", "csv").output
    assert csv_out.startswith("record,page,") and len(csv_out.splitlines()) > len(texts)


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "jsonl"])
def test_search_writes_every_listing_format(kb, tmp_path, fmt):
    out = tmp_path / f"hits.{fmt}"
    r = run("--kb", kb, "search", "family safeguarding", "--mode", "bm25", "-a", "Devon", "-o", out)
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "Devon County Council" in text and "Norfolk" not in text
