"""Action trackers councils keep (Ref / Action / Owner / Due / Status / Update tables, in DOCX, HTML or PDF):
each row an action with its stated status and due date, read by the real parsers and the real extraction;
the latest such table wins over inference, and a later table's row is the earlier row's evidence."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Block
from ingest.pipeline import process_file
from kb.store import open_store
from nlp.tracker_tables import stated_status, tracker_columns
from reports.actions import tracker

HEADER = ["Ref", "Action", "Owner", "Due date", "Status", "Update"]
MARCH = [
    ["A1", "Circulate the revised grants policy to all members", "Clerk", "31 March 2025", "Complete",
     "Sent by email on 2 March"],
    ["A2", "Obtain three quotes for replacing the play area fence", "Cllr Smith", "April 2025", "Open", ""],
    ["A3", "Write to Highways about the A134 junction sight lines", "Clerk", "", "In progress", "Letter drafted"],
    ["A4", "Investigate a second noticeboard for Church Road", "Chair", "", "Withdrawn", "No longer needed"],
]
APRIL = [
    ["A2", "Obtain three quotes for replacing the play area fence", "Cllr Smith", "April 2025", "Complete",
     "Three quotes received and circulated"],
    ["A5", "Book the village hall for the annual parish meeting", "Clerk", "May 2025", "Open", ""],
]
META = {"authority": "Ashworth Parish Council", "committee": "Parish Council", "kind": "minutes"}


def _docx(path: Path, title: str, rows: list[list[str]]) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    d.add_paragraph("The Council reviewed its action log.")
    table = d.add_table(rows=1, cols=len(HEADER))
    for cell, h in zip(table.rows[0].cells, HEADER):
        cell.text = h
    for r in rows:
        for cell, v in zip(table.add_row().cells, r):
            cell.text = v
    d.save(path)
    return path


def _html(path: Path, title: str, rows: list[list[str]]) -> Path:
    cells = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    path.write_text(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
                    f"<p>The Council reviewed its action log.</p><table><tr>{head}</tr>{cells}</table></body></html>")
    return path


def _pdf(path: Path, title: str, rows: list[list[str]]) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    table = Table([HEADER, *rows])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))  # ruled, as councils print them
    styles = getSampleStyleSheet()
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(
        [Paragraph(title, styles["Title"]), Paragraph("The Council reviewed its action log.", styles["Normal"]), table])
    return path


def _ingest(store, path: Path, meeting_date: str) -> None:
    """What `scrutiny ingest` does with one file (parse, metadata, extraction, store), in this process."""
    r = process_file(path, {**META, "meeting_date": meeting_date})
    row = {"id": r["id"], "source": path.name, "abspath": str(path), "format": r["format"], "pages": r["pages"],
           "size": r["size"], "title": r["title"], "metadata_origin": r["origin"], "warnings": r["warnings"],
           "parser": r["format"], "extractor": r["extractor"], **{k: r["meta"].get(k) for k in
                                                                   ("kind", "authority", "committee", "meeting_date")}}
    store.put_document(row, [Block.from_dict(b) for b in r["blocks"]], r["records"])


def test_a_header_is_a_trackers_when_it_names_what_is_to_be_done_and_how_it_stands():
    assert tracker_columns(HEADER) == {"ref": 0, "action": 1, "owner": 2, "due": 3, "status": 4, "update": 5}
    assert tracker_columns(["No.", "Agreed action", "Lead officer", "Target date", "RAG"]) == {
        "ref": 0, "action": 1, "owner": 2, "due": 3, "status": 4}
    assert tracker_columns(["Issue", "Comments"]) is None  # comments on issues: no tracker
    assert tracker_columns(["Payee", "Net", "VAT", "Total"]) is None
    assert tracker_columns(["Name", "Role", "Status"]) is None  # no action column


@pytest.mark.parametrize(("status", "update", "stated"), [
    ("Complete", "", "done"), ("Completed - circulated 3 May", "", "done"), ("Closed", "", "done"),
    ("Withdrawn", "", "dropped"), ("", "No longer required", "dropped"), ("Open", "", "open"),
    ("Open", "Chased twice", "updated"), ("Amber", "", "updated"), ("In progress", "", "updated"),
    ("", "Has been circulated to members", "done"), ("", "", "open"),
])
def test_the_stated_status_of_a_row(status, update, stated):
    assert stated_status(status, update) == stated


@pytest.mark.parametrize(("make", "ext"), [(_docx, "docx"), (_html, "html"), (_pdf, "pdf")])
def test_a_tracker_tables_rows_become_actions_with_their_stated_status(tmp_path, make, ext):
    store = open_store(tmp_path / "kb")
    _ingest(store, make(tmp_path / f"log-march.{ext}", "Action log March 2025", MARCH), "2025-03-05")
    data = tracker(store, as_of="2025-03-20")
    got = {a["text"]: (a["status"], a["owner"], a["due_date"]) for a in data["actions"]}
    assert got == {
        "Circulate the revised grants policy to all members": ("done", "Clerk", "2025-03-31"),
        "Obtain three quotes for replacing the play area fence": ("open", "Cllr Smith", "2025-04"),
        "Write to Highways about the A134 junction sight lines": ("updated", "Clerk", None),
        "Investigate a second noticeboard for Church Road": ("dropped", "Chair", None),
    }
    (a1,) = [a for a in data["actions"] if a["text"].startswith("Circulate")]
    assert a1["type"] == "resolution" and a1["cue"] == "tracker table: Complete"
    assert a1["evidence"]["cue"] == "tracker table: Complete" and a1["evidence"]["source"] == a1["source"]
    # past its due date and still open: overdue
    assert {a["text"]: a["status"] for a in tracker(store, as_of="2025-06-01")["actions"]}[
        "Obtain three quotes for replacing the play area fence"] == "overdue"
    store.close()


def test_the_latest_tracker_wins_and_its_row_is_the_earlier_rows_evidence(tmp_path):
    store = open_store(tmp_path / "kb")
    _ingest(store, _docx(tmp_path / "log-march.docx", "Action log March 2025", MARCH), "2025-03-05")
    _ingest(store, _docx(tmp_path / "log-april.docx", "Action log April 2025", APRIL), "2025-04-02")
    data = tracker(store, as_of="2025-04-10")
    fence = [a for a in data["actions"] if a["text"].startswith("Obtain three quotes")]
    assert len(fence) == 1  # the April row is the March action's evidence, not a second action
    (a2,) = fence
    assert a2["status"] == "done" and a2["source"] == "log-march.docx"
    assert a2["evidence"]["source"] == "log-april.docx" and a2["evidence"]["meeting_date"] == "2025-04-02"
    assert "Three quotes received" in a2["evidence"]["text"]
    assert {a["text"] for a in data["actions"]} >= {"Book the village hall for the annual parish meeting"}
    # as of before April's meeting, the March table's own word stands
    assert [a["status"] for a in tracker(store, as_of="2025-03-20")["actions"]
            if a["text"].startswith("Obtain three quotes")] == ["open"]
    store.close()
