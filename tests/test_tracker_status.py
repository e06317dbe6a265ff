"""The tracker's status from later papers (kb.followups, stored links): what a later sentence says
happened, "still awaited" never closing an action, the evidence shown with why, links recomputed when
papers arrive, and the pack for a committee's next meeting (--for-meeting)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from reports_corpus import put

from cli.main import cli
from kb.followup_cues import says, words
from kb.followups import T_DONE
from kb.store import open_store
from reports.actions import tracker
from reports.common import ReportError

TOWN = "Ashworth Parish Council"
BODY = "Parish Council"
SHELTER = "The Clerk to obtain a quotation for repairing the bus shelter roof on Mill Lane."
ACT = f"[Bus Shelter] {SHELTER}"


def _minutes(store, source, date, paragraphs, actions=(), committee=BODY, authority=TOWN):
    """Minutes as the HTML reader gives them: each paragraph under its item's heading ("Bus Shelter: ..." is
    the item "Bus Shelter"); each action a sentence of its item's paragraph."""
    blocks, recs = [], []
    for p in paragraphs:
        item = p.split(":")[0] if ":" in p[:40] else None
        if item:
            blocks.append(("heading", item, 1, None))
        mine = [a for a in actions if a.startswith(f"[{item}]")] if item else []
        text = " ".join([p, *(a.split("] ", 1)[1] for a in mine)])
        blocks.append(("paragraph", text, 1, item))
        for a in mine:
            recs.append({"text": a.split("] ", 1)[1], "owner": "Clerk", "due_date": None, "due_text": None,
                         "status": "open", "page": 1, "type": "resolution", "cue": "task", "section": item,
                         "block": len(blocks) - 1})
    return put(store, source, authority, committee, date, "minutes", f"Minutes {date}", blocks, {"actions": recs})


def _row(data, text):
    (a,) = [a for a in data["actions"] if a["text"] == text]
    return a


@pytest.mark.parametrize("sentence", [
    "Bus shelter roof – the quotation had been requested but was still awaited.",
    "Bus shelter roof – the roof has been repaired, but the quotation for the guttering is still awaited.",
    "Bus shelter roof – the Clerk had chased the contractor for the quotation again.",
    "Bus shelter roof – no reply had been received as yet.",
    "Bus shelter roof – repair deferred to the spring.",
])
def test_a_later_still_awaited_never_closes_an_action(sentence):
    what, cue = says(sentence, words("bus shelter roof quotation repair"))
    assert what == "updated" and cue


def test_still_awaited_keeps_the_action_open_in_the_tracker_and_quotes_why(tmp_path):
    store = open_store(tmp_path / "kb")
    _minutes(store, "a/2024-01.txt", "2024-01-10", ["Bus Shelter: the roof of the Mill Lane bus shelter leaks."],
             [ACT])
    _minutes(store, "a/2024-02.txt", "2024-02-14", [
        "Matters arising: Bus shelter roof, Mill Lane – the quotation for repairing the roof had been requested "
        "from two roofers but was still awaited.",
        "The Council noted the planning applications received."])
    a = _row(tracker(store, as_of="2024-03-01"), SHELTER)
    assert a["status"] == "updated"
    ev = a["evidence"]
    assert "still awaited" in ev["text"] and ev["source"] == "a/2024-02.txt" and ev["meeting_date"] == "2024-02-14"
    assert ev["says"] == "updated" and "awaited" in ev["cue"] and {"shelter", "roof"} <= set(ev["why"]["shared"])
    # a later meeting that reports it done closes it, with that sentence as its evidence
    _minutes(store, "a/2024-03.txt", "2024-03-13", [
        "Matters arising: Bus shelter roof, Mill Lane – the roof of the bus shelter has been repaired by the roofer "
        "as quoted."])
    a = _row(tracker(store, as_of="2024-04-01"), SHELTER)
    assert a["status"] == "done" and a["evidence"]["source"] == "a/2024-03.txt" and a["evidence"]["score"] >= T_DONE
    # ...and one after that saying it is awaited again reopens it: the latest report wins
    _minutes(store, "a/2024-04.txt", "2024-04-10", [
        "Matters arising: Bus shelter roof, Mill Lane – the repair to the bus shelter roof has failed and the "
        "roofer's return visit is still awaited."])
    assert _row(tracker(store, as_of="2024-05-01"), SHELTER)["status"] == "updated"
    # judged at an earlier date, only the papers of then count
    assert _row(tracker(store, as_of="2024-02-20"), SHELTER)["status"] == "updated"
    store.close()


def test_links_are_stored_and_recomputed_when_papers_change(tmp_path):
    from kb.followups import refresh, stale

    store = open_store(tmp_path / "kb")
    _minutes(store, "a/2024-01.txt", "2024-01-10", ["Bus Shelter: the roof leaks."], [ACT])
    assert stale(store) == [TOWN]
    assert refresh(store) == [TOWN] and stale(store) == [] and refresh(store) == []
    assert store.db.execute("SELECT count(*) FROM followups").fetchone()[0] == 0
    _minutes(store, "a/2024-03.txt", "2024-03-13", [
        "Bus shelter roof, Mill Lane – the roof of the bus shelter has been repaired by the roofer as quoted."])
    assert stale(store) == [TOWN]
    tracker(store, as_of="2024-04-01")  # a report brings them up to date
    rows = store.db.execute("SELECT sentence, says, score, linker FROM followups").fetchall()
    assert stale(store) == [] and any(r["says"] == "done" and "repaired" in r["sentence"] for r in rows)
    store.close()


def test_papers_of_another_council_or_of_before_are_no_evidence(tmp_path):
    store = open_store(tmp_path / "kb")
    _minutes(store, "a/2024-01.txt", "2024-01-10", ["Bus Shelter: the roof leaks."], [ACT])
    done = ["Bus shelter roof, Mill Lane – the roof of the bus shelter has been repaired by the roofer as quoted."]
    _minutes(store, "b/2024-03.txt", "2024-03-13", done, authority="Brinkley Parish Council")
    _minutes(store, "a/2023-12.txt", "2023-12-06", done)
    assert _row(tracker(store, as_of="2024-04-01"), SHELTER)["status"] == "open"
    store.close()


def _pack_kb(home):
    store = open_store(home)
    _minutes(store, "p/2022-01.txt", "2022-01-10", [
        "Village Sign: the sign on Church Road was damaged in the storm.",
        "Defibrillator: members wished to be trained to use the village hall defibrillator.",
        "Highways: a pothole has opened outside the primary school."], [
        "[Village Sign] The Clerk to order a replacement village sign for Church Road.",
        "[Defibrillator] The Clerk to arrange defibrillator training at the village hall.",
        "[Highways] The Clerk to ask Highways to repair the pothole outside the primary school."])
    _minutes(store, "p/2022-03.txt", "2022-03-07", [
        "Matters Arising: Defibrillator training – the defibrillator training at the village hall has been held.",
        "Allotments: the Council discussed the allotment rents."],
        ["[Allotments] The Clerk to write to the allotment holders about the rents."])
    _minutes(store, "p/2022-04-finance.txt", "2022-04-20", [
        "Village Sign: the replacement village sign for Church Road has been ordered and installed."],
        committee="Finance Committee")
    _minutes(store, "p/2022-05.txt", "2022-05-09", ["Fete: the summer fete was planned."],
             ["[Fete] The Clerk to book the village hall for the fete."])
    _minutes(store, "q/2022-02.txt", "2022-02-01", ["Hedges: the churchyard hedge is overgrown."],
             ["[Hedges] The Clerk to prune the churchyard hedge."], committee="Finance Committee")
    return store


def test_for_meeting_lists_what_is_open_and_what_changed_since_the_committee_last_met(tmp_path):
    store = _pack_kb(tmp_path / "kb")
    data = tracker(store, committee=BODY, for_meeting="2022-05-09")
    assert data["window"] == {"committee": BODY, "last_met": "2022-03-07", "for_meeting": "2022-05-09"}
    got = {a["text"]: a["status"] for a in data["actions"]}
    assert got == {
        "The Clerk to order a replacement village sign for Church Road.": "done",  # done since (20 April)
        "The Clerk to ask Highways to repair the pothole outside the primary school.": "open",
        "The Clerk to write to the allotment holders about the rents.": "open",  # from the last meeting itself
    }  # not: training reported done at the last meeting; the fete (this meeting's); another committee's hedge
    sign = _row(data, "The Clerk to order a replacement village sign for Church Road.")
    assert sign["evidence"]["meeting_date"] == "2022-04-20"
    # the meeting before: the window is January's meeting on, and the training was then still open
    earlier = {a["text"] for a in tracker(store, committee=BODY, for_meeting="2022-03-07")["actions"]}
    assert "The Clerk to arrange defibrillator training at the village hall." in earlier
    assert "The Clerk to write to the allotment holders about the rents." not in earlier
    with pytest.raises(ReportError, match="--committee"):
        tracker(store, for_meeting="2022-05-09")
    with pytest.raises(ReportError, match="no meeting"):
        tracker(store, committee=BODY, for_meeting="2021-01-01")
    store.close()


def test_for_meeting_docx_pack(tmp_path):
    from docx import Document

    _pack_kb(tmp_path / "kb").close()
    out = tmp_path / "pack.docx"
    base = ["--kb", str(tmp_path / "kb"), "actions", "--committee", BODY, "--for-meeting", "2022-05-09"]
    r = CliRunner().invoke(cli, [*base, "--format", "docx", "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    doc = Document(out)
    assert "since 2022-03-07" in doc.paragraphs[0].text
    (table,) = doc.tables
    header = [c.text for c in table.rows[0].cells]
    assert header[:3] == ["Ref", "Origin meeting and item", "Action"]
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(cells) == 3 and any(row[5] == "done" and "installed" in row[6] for row in cells)
    r = CliRunner().invoke(cli, [*base, "--format", "docx"])
    assert r.exit_code == 2 and "-o" in r.output


def test_min_confidence_keeps_weak_readings_out_unless_asked(tmp_path):
    store = open_store(tmp_path / "kb")
    recs = [{"text": "The Clerk to order new bins.", "status": "open", "page": 1, "type": "resolution", "cue": "task"},
            {"text": "Members asked whether the footpath survey could be shared.", "status": "open", "page": 1,
             "type": "request", "cue": "request"},  # requests were real actions on the chains a third of the time
            {"text": "The Chair may look at the hedge.", "status": "open", "page": 1, "confidence": 0.2}]
    put(store, "a/2024-01.txt", TOWN, BODY, "2024-01-10", "minutes", "Minutes", [("paragraph", "x", 1, None)],
        {"actions": recs})
    shown = {a["text"] for a in tracker(store, as_of="2024-02-01")["actions"]}
    assert shown == {"The Clerk to order new bins."}
    assert len(tracker(store, as_of="2024-02-01", min_confidence=0)["actions"]) == 3
    assert len(tracker(store, as_of="2024-02-01", min_confidence=0.3)["actions"]) == 2
    store.close()
