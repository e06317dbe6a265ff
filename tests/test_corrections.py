"""Corrections: `actions set`, `records reject`, `docs set`, the history and undo. Kept apart from what is
derived and keyed by source and text, so that they survive a changed file, new extraction rules and
`check --repair`; every output marks a corrected value as set by hand; a rejected record is gone from every
report, export, listing and count."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reports_corpus import DEVON, DEVON_CTTE, build, put

from cli.main import cli
from kb.corrections import CorrectionError, history, reject, set_action, set_document, undo
from kb.store import open_store
from reports.actions import tracker

AS_OF = "2026-11-23"
UPDATE = "An update report be presented to the committee in six months"


def _update(data):
    (a,) = [a for a in data["actions"] if a["text"] == UPDATE]
    return a


def test_actions_set_is_shown_as_set_by_hand_and_can_be_undone(tmp_path, kb_location):
    with build(kb_location) as store:
        ref = _update(tracker(store, as_of=AS_OF))["ref"]
        assert _update(tracker(store, as_of=AS_OF))["status"] == "overdue"
        change = set_action(store, ref, status="done", note="presented in October", by="jb",
                            evidence="devon/2021-05-highways.txt:1", owner="Head of Service")
        a = _update(tracker(store, as_of=AS_OF))
        assert a["status"] == "done" and a["owner"] == "Head of Service"
        hand = a["set_by_hand"]["status"]
        assert (hand["value"], hand["by"], hand["note"], hand["was"]) == ("done", "jb", "presented in October", "open")
        assert a["evidence"]["source"] == "devon/2021-05-highways.txt" and a["evidence"]["page"] == 1
        undo(store, change, by="kh")
        a = _update(tracker(store, as_of=AS_OF))
        assert a["status"] == "overdue" and a["set_by_hand"] is None and a["owner"] == "Director of Children's Services"
        rows = history(store)
        assert {r["field"] for r in rows} == {"status", "owner", "evidence"}
        assert all(r["by"] == "jb" and r["undone_by"] == "kh" and r["change_id"] == change for r in rows)
        with pytest.raises(CorrectionError, match="no correction"):
            undo(store, change)


def test_a_correction_survives_a_changed_file_and_new_extraction_rules(tmp_path, kb_location):
    store = open_store(kb_location)
    block = ("paragraph", "Resolved: That an update report be presented to the committee in six months.", 2, "Update")
    act = {"text": UPDATE, "owner": "Director", "due_date": "2021-09", "status": "open", "page": 2}
    put(store, "devon/2021-03-minutes.txt", DEVON, DEVON_CTTE, "2021-03-16", "minutes", "Minutes", [block],
        {"actions": [act]})
    (a,) = tracker(store, as_of=AS_OF)["actions"]
    set_action(store, a["ref"], status="dropped", note="superseded by the new plan", by="jb")
    # the file changes (new bytes, so a new id) and the new rules read the action a little differently and
    # put another action before it: the correction still finds it, by source and text, not by row or id
    other = {"text": "Officers to circulate the dashboard", "status": "open", "page": 1}
    store.put_document({"id": "f" * 16, "source": "devon/2021-03-minutes.txt", "format": "txt", "authority": DEVON,
                        "committee": DEVON_CTTE, "meeting_date": "2021-03-16", "kind": "minutes",
                        "extractor": "read-9/nlp-next"}, [], {"actions": [other, {**act, "text": UPDATE + "."}]},
                       replaces=store.documents()[0]["id"])
    got = {x["text"]: x for x in tracker(store, as_of=AS_OF)["actions"]}
    assert got[UPDATE + "."]["status"] == "dropped" and got[UPDATE + "."]["set_by_hand"]["status"]["by"] == "jb"
    assert got["Officers to circulate the dashboard"]["set_by_hand"] is None
    store.close()


def test_records_reject_removes_a_record_from_every_report_export_listing_and_count(tmp_path, kb_location):
    from kb.export import export_documents
    from reports.compare import compare
    from reports.timeline import timeline

    with build(kb_location, follow_up=True) as store:
        metric = next(m for m in store.records("metrics") if m["value"] == 72)
        event = next(d for d in store.records("dates") if d["date"] == "2021-02-11")
        decision = store.records("decisions")[0]
        action = _update(tracker(store, as_of=AS_OF))
        before = store.stats()["totals"]
        for rid in (metric["id"], event["id"], decision["id"], action["ref"]):
            reject(store, rid, "not what the paper says", by="jb")
        exported = json.dumps(export_documents(store))
        assert "72" not in [str(m["value"]) for d in json.loads(exported)["documents"] for m in d["metrics"]]
        assert UPDATE not in exported and decision["text"] not in exported and event["text"] not in exported
        assert UPDATE not in [a["text"] for a in tracker(store, as_of=AS_OF)["actions"]]
        cmp = json.dumps(compare(store, ["Devon"], "family safeguarding", as_of=AS_OF), default=str)
        assert UPDATE not in cmp and "11 February 2021" not in cmp and '"value": 72' not in cmp
        assert event["text"] not in json.dumps(timeline(store, "Devon", as_of=AS_OF), default=str)
        after = store.stats()["totals"]
        assert [before[k] - after[k] for k in ("metrics", "dates", "decisions", "actions")] == [1, 1, 1, 1]
        # kept, marked, for whoever asks for rejected records too; undone, back everywhere
        kept = store.records("metrics", metric["doc_id"], keep_rejected=True)
        assert any(m["id"] == metric["id"] and m["set_by_hand"]["rejected"]["note"] == "not what the paper says"
                   for m in kept)
        for r in history(store):
            undo(store, r["change_id"])
        assert store.stats()["totals"] == before
        assert UPDATE in [a["text"] for a in tracker(store, as_of=AS_OF)["actions"]]


def test_docs_set_corrects_metadata_everywhere_and_keeps_it_when_the_file_comes_again(tmp_path, kb_location):
    with build(kb_location) as store:
        d = store.get_document("devon/2021-05-highways.txt")
        change = set_document(store, d["id"][:8], {"committee": DEVON_CTTE, "meeting_date": "2021-05-11"}, by="jb")
        d2 = store.document_by(id=d["id"])
        assert (d2["committee"], d2["meeting_date"]) == (DEVON_CTTE, "2021-05-11")
        assert d2["metadata_origin"]["committee"] == "hand"
        # the search index's filter columns follow (m003 trigger), so searches by committee find it
        chunk_ctte = {r[0] for r in store.db.execute("SELECT committee FROM chunks WHERE doc_id = ?", (d["id"],))}
        assert chunk_ctte == {DEVON_CTTE}
        # stored again (a re-ingest) with what inference says: the hand-set values win
        blocks = store.blocks(d["id"])
        store.put_document({**{k: d[k] for k in ("id", "source", "format", "kind", "authority", "title")},
                            "committee": "Corporate Infrastructure Scrutiny Committee", "meeting_date": "2021-05-10"},
                           blocks, {})
        assert store.document_by(id=d["id"])["meeting_date"] == "2021-05-11"
        undo(store, change)
        d3 = store.document_by(id=d["id"])
        assert (d3["committee"], d3["meeting_date"]) == ("Corporate Infrastructure Scrutiny Committee", "2021-05-10")
        with pytest.raises(CorrectionError, match="cannot read the meeting date"):
            set_document(store, d["id"], {"meeting_date": "May 2021"})


def test_cli_corrections(tmp_path, kb_location):
    build(kb_location).close()
    kb = ["--kb", str(kb_location)]
    run = CliRunner().invoke
    data = json.loads(run(cli, [*kb, "actions", "--as-of", AS_OF, "--format", "json"]).output)
    ref = _update(data)["ref"]
    r = run(cli, [*kb, "actions", "set", ref, "--status", "done", "--note", "minuted", "--by", "jb"])
    assert r.exit_code == 0 and "correction 1" in r.output
    r = run(cli, [*kb, "actions", "--as-of", AS_OF, "--format", "csv"])
    assert "status set by hand by jb" in r.output and "done" in r.output
    r = run(cli, [*kb, "actions", "--as-of", AS_OF, "--format", "md"])
    assert "done (set by hand)" in r.output
    r = run(cli, [*kb, "actions", "--as-of", AS_OF, "--format", "html"])
    assert "set by hand" in r.output
    assert "status by jb" in run(cli, [*kb, "export", "--format", "csv"]).output
    assert '"by": "jb"' in run(cli, [*kb, "export"]).output
    leaders = next(a["ref"] for a in data["actions"] if a["text"].startswith("Details of team leaders"))
    assert run(cli, [*kb, "actions", "set", leaders, "--owner", "Head of Service (Exeter)"]).exit_code == 0
    r = run(cli, [*kb, "compare", "Devon", "--topic", "family safeguarding", "--as-of", AS_OF, "--format", "md"])
    assert "Head of Service (Exeter)" in r.output and "(set by hand)" in r.output
    doc = _update(data)["source"]
    listed = run(cli, [*kb, "records", "list", doc, "--kind", "decisions"]).output
    rid = listed.split()[0]
    assert rid.startswith("decisions:")
    r = run(cli, [*kb, "records", "reject", rid, "--reason", "a heading"])
    assert r.exit_code == 0 and rid not in run(cli, [*kb, "records", "list", doc]).output
    assert "[rejected]" in run(cli, [*kb, "records", "list", doc, "--rejected"]).output
    r = run(cli, [*kb, "docs", "set", doc, "--kind", "report"])
    assert r.exit_code == 0
    hist = json.loads(run(cli, [*kb, "corrections", "--format", "json"]).output)
    assert [(h["field"], h["by"]) for h in hist][:1] == [("status", "jb")] and len(hist) == 4
    assert run(cli, [*kb, "corrections", "--format", "csv"]).output.startswith("id,change_id")
    r = run(cli, [*kb, "corrections", "undo", "3"])
    assert r.exit_code == 0 and rid in run(cli, [*kb, "records", "list", doc]).output
    assert "undone by" in run(cli, [*kb, "corrections"]).output
    # mistakes: exit 1 naming the culprit, exit 2 for usage
    r = run(cli, [*kb, "actions", "set", "deadbeef-9", "--status", "done"])
    assert r.exit_code == 1 and "deadbeef-9" in r.output
    assert run(cli, [*kb, "actions", "set", ref, "--status", "finished"]).exit_code == 2
    r = run(cli, [*kb, "records", "reject", rid])
    assert r.exit_code == 2 and "--reason" in r.output
    r = run(cli, [*kb, "actions", "set", ref, "--evidence", "nosuchdoc.pdf:3"])
    assert r.exit_code == 1 and "nosuchdoc.pdf" in r.output
