"""`scrutiny actions`: status inferred from later documents; filters; outputs."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from reports_corpus import DEVON, DEVON_CTTE, NORFOLK, build

from cli.main import cli
from reports.actions import tracker

AS_OF = "2026-11-23"
UPDATE = "An update report be presented to the committee in six months"


def _update(data):
    (a,) = [a for a in data["actions"] if a["text"] == UPDATE]
    return a


def test_update_report_overdue_without_follow_up(tmp_path, kb_location):
    with build(kb_location) as store:
        data = tracker(store, as_of=AS_OF)
    assert data["as_of"] == AS_OF
    a = _update(data)
    assert a["status"] == "overdue" and a["evidence"] is None
    assert (a["authority"], a["committee"], a["meeting_date"]) == (DEVON, DEVON_CTTE, "2021-03")
    assert (a["source"], a["page"], a["due_date"]) == ("devon/2021-03-minutes.txt", 2, "2021-09")
    assert a["owner"] == "Director of Children's Services"
    for key in ("ref", "authority", "committee", "meeting_date", "source", "page", "text", "owner", "due_date",
                "status", "evidence"):
        assert key in a


def test_later_follow_up_minutes_make_it_done_with_evidence(tmp_path, kb_location):
    with build(kb_location, follow_up=True) as store:
        data = tracker(store, as_of=AS_OF)
        before = tracker(store, as_of="2021-09-15")  # the follow-up meeting had not happened yet
    a = _update(data)
    assert a["status"] == "done"
    ev = a["evidence"]
    assert ev["source"] == "devon/2021-10-minutes.txt" and ev["meeting_date"] == "2021-10-12" and ev["page"] == 1
    assert "update report on the Family Safeguarding Model was presented" in ev["text"]
    # the other action of that meeting (team leaders' details) is not what the follow-up reports
    (other,) = [x for x in data["actions"] if x["text"].startswith("Details of team leaders")]
    assert other["status"] == "open" and other["evidence"] is None
    assert _update(before)["status"] == "open"


def test_month_precision_due_dates_fall_due_at_month_end(tmp_path, kb_location):
    with build(kb_location) as store:
        assert _update(tracker(store, as_of="2021-09-30"))["status"] == "open"
        assert _update(tracker(store, as_of="2021-10-01"))["status"] == "overdue"


def test_filters(tmp_path, kb_location):
    with build(kb_location, follow_up=True) as store:
        assert {a["status"] for a in tracker(store, status="overdue", as_of=AS_OF)["actions"]} == {"overdue"}
        assert [a["text"] for a in tracker(store, status="done", as_of=AS_OF)["actions"]] == [UPDATE]
        assert {a["authority"] for a in tracker(store, authority=["Norfolk"], as_of=AS_OF)["actions"]} == {NORFOLK}
        owned = tracker(store, owner="head of service", as_of=AS_OF)["actions"]
        assert [a["owner"] for a in owned] == ["Head of Service"]
        assert {a["committee"] for a in tracker(store, committee="Children's Scrutiny", as_of=AS_OF)["actions"]} \
            == {DEVON_CTTE}
        assert {a["authority"] for a in tracker(store, since="2022", as_of=AS_OF)["actions"]} == {NORFOLK}
        assert {a["authority"] for a in tracker(store, until="2021-12", as_of=AS_OF)["actions"]} == {DEVON}


def test_refs_are_stable(tmp_path, kb_location):
    with build(kb_location) as store:
        one = [a["ref"] for a in tracker(store, as_of=AS_OF)["actions"]]
        two = [a["ref"] for a in tracker(store, status="all", as_of="2030-01-01")["actions"]]
    assert one == two and len(set(one)) == len(one)


def test_cli_json_csv_xlsx(tmp_path, kb_location):
    build(kb_location, follow_up=True).close()
    base = ["--kb", str(kb_location), "actions", "--as-of", AS_OF]
    r = CliRunner().invoke(cli, [*base, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["as_of"] == AS_OF and {a["status"] for a in data["actions"]} == {"done", "open", "overdue"}
    r = CliRunner().invoke(cli, [*base, "--format", "csv", "--status", "overdue"], catch_exceptions=False)
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [x["status"] for x in rows] == ["overdue"]
    assert rows[0]["action"].startswith("'=HYPERLINK(")
    out = tmp_path / "actions.xlsx"
    r = CliRunner().invoke(cli, [*base, "--format", "xlsx", "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["ref", "authority", "committee"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    col = header.index("status") + 1
    fills = {ws.cell(r, col).value: ws.cell(r, col).fill.fgColor.rgb[-6:].upper() for r in range(2, ws.max_row + 1)}
    assert fills == {"done": "00703C", "open": "F47738", "overdue": "D4351C"}
    texts = [ws.cell(r, header.index("action") + 1).value for r in range(2, ws.max_row + 1)]
    assert any(t.startswith("'=HYPERLINK(") for t in texts) and not any(t.startswith("=") for t in texts)
    r = CliRunner().invoke(cli, base)
    assert r.exit_code == 0 and "overdue" in r.output


def test_bad_status_and_xlsx_needs_file(tmp_path, kb_location):
    build(kb_location).close()
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "actions", "--status", "late"])
    assert r.exit_code == 2
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "actions", "--format", "xlsx"])
    assert r.exit_code == 2 and "-o" in r.output


@pytest.mark.parametrize("bad", ["Lancs", "Somewhere"])
def test_unknown_authority(tmp_path, bad, kb_location):
    build(kb_location).close()
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "actions", "--authority", bad])
    assert r.exit_code == 1 and f'no authority matches "{bad}"' in r.output


def test_at_the_next_meeting_is_resolved_against_meetings_stored_later(tmp_path, kb_location):
    """An action due "at the next meeting" stored before that meeting's papers falls due on the
    committee's next meeting once the KB holds it (whatever order the papers came in)."""
    from reports_corpus import put

    from kb.store import open_store

    store = open_store(kb_location)
    para = ("paragraph", "The committee discussed the audit of placements.", 1, "Placements audit")
    action = {"text": "Officers to circulate the findings of the placements audit", "owner": "Head of Service",
              "due_date": None, "due_text": "at the next meeting", "page": 1}
    put(store, "d/2022-01-minutes.txt", DEVON, DEVON_CTTE, "2022-01-10", "minutes", "Minutes", [para],
        {"actions": [action]})
    (a,) = tracker(store, as_of="2022-06-01")["actions"]
    assert a["status"] == "open" and a["due_date"] is None and a["due_meeting"] is None
    # the later meetings are on another subject (one on the audit would be a possible update on it)
    para = ("paragraph", "The committee received the budget monitoring report.", 1, "Budget monitoring")
    # other committees' and other councils' meetings are not its next meeting
    put(store, "n/2022-02-minutes.txt", NORFOLK, DEVON_CTTE, "2022-02-01", "minutes", "Minutes", [para])
    put(store, "d/2022-02-cabinet.txt", DEVON, "Cabinet", "2022-02-02", "minutes", "Minutes", [para])
    assert tracker(store, as_of="2022-06-01")["actions"][0]["due_date"] is None
    put(store, "d/2022-05-minutes.txt", DEVON, DEVON_CTTE, "2022-05-09", "minutes", "Minutes", [para])
    put(store, "d/2022-03-minutes.txt", DEVON, DEVON_CTTE, "2022-03-07", "minutes", "Minutes", [para])
    (a,) = tracker(store, as_of="2022-06-01")["actions"]
    assert (a["due_date"], a["due_meeting"]["source"], a["status"]) == ("2022-03-07", "d/2022-03-minutes.txt", "overdue")
    assert tracker(store, as_of="2022-02-15")["actions"][0]["status"] == "open"
    store.close()
