"""`scrutiny timeline`: events in date order with sources; slipped plans flagged."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reports_corpus import CUMBRIA, DEVON, build, put

from cli.main import cli
from kb.store import open_store
from reports.common import ReportError
from reports.timeline import build_events, classify, timeline


@pytest.fixture()
def store(tmp_path):
    s = build(tmp_path / "kb")
    yield s
    s.close()


def test_events_in_order_with_sources(store):
    data = timeline(store, "Devon", topic="family safeguarding", as_of="2026-11-23")
    assert data["authority"] == DEVON
    dates = [e["date"] for e in data["events"]]
    assert dates == sorted(dates)
    assert all(e["source"] and "page" in e for e in data["events"])
    kinds = [(e["date"], e["type"]) for e in data["events"]]
    assert kinds == [("2020-01-30", "meeting"), ("2021-02-11", "actual"), ("2021-03", "meeting")]
    assert {s["source"] for s in data["sources"]} == {"devon/2020-01-30-report.txt", "devon/2021-03-minutes.txt"}


def test_slipped_plan_flagged(store):
    data = timeline(store, "Devon", topic="family safeguarding", as_of="2026-11-23", meetings=False)
    (e,) = data["events"]
    assert (e["planned"], e["actual"], e["status"], e["slipped"]) == ("2020-10", "2021-02-11", "slipped", True)
    assert "slipped" in e["flag"] and e["plan"]["source"] == "devon/2020-01-30-report.txt" and e["plan"]["page"] == 1
    assert data["slipped"] == 1


def test_plan_passed_without_outcome_flagged(store):
    late = timeline(store, "Cumbria", as_of="2026-11-23", meetings=False)
    (e,) = late["events"]
    assert (e["date"], e["status"], e["slipped"]) == ("2023-03", "no outcome reported", True) and e["flag"]
    early = timeline(store, "Cumbria", as_of="2022-12-01", meetings=False)
    assert [(x["status"], x["slipped"], x["flag"]) for x in early["events"]] == [("planned", False, None)]
    assert late["authority"] == CUMBRIA


def test_plan_delivered_on_time_not_flagged(tmp_path):
    with open_store(tmp_path / "kb") as s:
        put(s, "x/2022-01-report.txt", "Devon County Council", "Cabinet", "2022-01-12", "report", "Hub", [
            ("paragraph", "The Family Hub will open in April 2022.", 1, None)],
            {"dates": [{"date": "2022-04", "event": "Family Hub will open", "text": "The Family Hub will open in "
                        "April 2022.", "page": 1}]})
        put(s, "x/2022-06-minutes.txt", "Devon County Council", "Cabinet", "2022-06-08", "minutes", "Hub", [
            ("paragraph", "The Family Hub opened on 20 April 2022.", 3, None)],
            {"dates": [{"date": "2022-04-20", "event": "Family Hub opened", "text": "The Family Hub opened on 20 "
                        "April 2022.", "page": 3}]})
        (e,) = build_events(s, s.documents())
    assert (e["planned"], e["actual"], e["status"], e["slipped"], e["page"]) == ("2022-04", "2022-04-20",
                                                                                  "delivered", False, 3)


def test_classify():
    doc = {"meeting_date": "2021-03"}
    assert classify({"date": "2021-09", "event": "review"}, doc) == "planned"  # after the meeting
    assert classify({"date": "2021-02-11", "event": "Model launched"}, doc) == "actual"
    assert classify({"date": "2020-10", "event": "Model was planned to start"}, doc) == "planned"


def test_cli(tmp_path):
    build(tmp_path / "kb").close()
    base = ["--kb", str(tmp_path / "kb"), "timeline"]
    r = CliRunner().invoke(cli, [*base, "Devon", "--topic", "family safeguarding", "--format", "json", "--as-of", "2026-11-23"], catch_exceptions=False)
    assert r.exit_code == 0 and json.loads(r.output)["slipped"] == 1
    r = CliRunner().invoke(cli, [*base, "Devon", "--format", "md"], catch_exceptions=False)
    assert r.exit_code == 0 and "| Date | Event |" in r.output and "slipped" in r.output
    r = CliRunner().invoke(cli, [*base, "Devon", "--topic", "bus lanes"])
    assert r.exit_code == 1 and 'no documents of "Devon County Council" on "bus lanes"' in r.output


def test_unknown_authority(store):
    with pytest.raises(ReportError, match='no authority matches "Cumbira"; did you mean "Cumbria County Council"'):
        timeline(store, "Cumbira")


def test_same_event_stated_twice_is_one_event(tmp_path):
    with open_store(tmp_path / "kb") as s:
        for src, when, page in (("a.txt", "2021-03-16", 1), ("b.txt", "2021-06-20", 4)):
            put(s, src, DEVON, "Cabinet", when, "minutes", "FSM", [("paragraph", "The model launched on 11 "
                                                                     "February 2021.", page, None)],
                {"dates": [{"date": "2021-02-11", "event": "Family Safeguarding Model launched",
                            "text": "The model launched on 11 February 2021.", "page": page}]})
        events = build_events(s, s.documents())
    (e,) = events
    assert e["source"] == "a.txt" and [x["source"] for x in e["also_stated_in"]] == ["b.txt"]


def test_seed_lancashire_plan_and_launch(tmp_path):
    """Real seed text (Lancashire, 2020 report and 2021 minutes) with the dates records extraction would give:
    the October 2020 roll-out is matched with the 11 February 2021 launch and flagged as slipped."""
    from pathlib import Path

    from ingest.pipeline import ingest

    seeds = Path(__file__).resolve().parents[1] / "corpus" / "text"
    with open_store(tmp_path / "kb") as s:
        ingest(s, [str(seeds)], workers=1, with_extraction=False)
        recs = {
            "003_c6f32f02b0ec8fe1.txt": [{"date": "2020-10", "event": "roll out the new way of working",
                                          "text": "The Council's plan is to roll out the new way of working in "
                                                  "October 2020 but the lead up to this will be the time of greatest "
                                                  "change.", "page": None}],
            "000_69004c91e2aa51c0.txt": [
                {"date": "2021-02-11", "event": "Family Safeguarding Model launched",
                 "text": "Lancashire County Council launched the new Family Safeguarding Model on the 11th February "
                         "2021.", "page": None},
                {"date": "2021-03-01", "event": "official launch", "text": "The official launch took place on the "
                                                                            "1st March.", "page": None}],
        }
        for d in s.documents():
            name = Path(d["source"]).name
            if name in recs:
                s.put_document(d, s.blocks(d["id"]), {"dates": recs[name]})
        data = timeline(s, "Lancashire", topic="family safeguarding", as_of="2026-11-23", meetings=False)
    launch = [e for e in data["events"] if e["planned"]]
    assert [(e["planned"], e["actual"], e["status"]) for e in launch] == [("2020-10", "2021-02-11", "slipped")]
    assert launch[0]["plan"]["source"].endswith("003_c6f32f02b0ec8fe1.txt") and launch[0]["match"].startswith("weak")
