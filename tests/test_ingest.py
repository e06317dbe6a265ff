"""Ingest behaviour end to end through the CLI, on real seed files (text only: --no-extract keeps these fast)."""
import json
import shutil

from click.testing import CliRunner

from cli.main import cli
from tests.conftest import CORPUS

SEEDS = CORPUS / "text"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def export(home):
    r = run("--kb", str(home), "export")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def copy_seeds(dest):
    dest.mkdir(parents=True, exist_ok=True)
    for p in SEEDS.iterdir():
        shutil.copy(p, dest / p.name)
    return dest


def test_reingest_reports_everything_unchanged(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    home = tmp_path / "kb"
    first = run("--kb", str(home), "ingest", "--no-extract", "--no-index", "-j", "1", str(docs))
    assert first.exit_code == 0, first.output
    assert "5 ingested" in first.output
    second = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert second.exit_code == 0
    assert "0 ingested" in second.output and "5 unchanged" in second.output


def test_manifest_values_win(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    home = tmp_path / "kb"
    run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    manifest = {r.split(",")[0]: r for r in (SEEDS / "manifest.csv").read_text().splitlines()[1:]}
    for d in export(home)["documents"]:
        name = d["source"].rsplit("/", 1)[-1]
        assert d["meeting_date"] == manifest[name].split(",")[-3] or d["meeting_date"] in manifest[name]
        assert d["authority"] and d["authority"] in manifest[name]


def test_changed_file_replaces_its_records_and_renamed_file_is_recognised(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    home = tmp_path / "kb"
    run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    before = {d["source"]: d["id"] for d in export(home)["documents"]}
    target = docs / "003_c6f32f02b0ec8fe1.txt"
    target.write_text(target.read_text() + "\nA further paragraph was added after publication.\n")
    (docs / "002_ac05e4c1368b06cd.txt").rename(docs / "002-renamed.txt")
    r = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert r.exit_code == 0
    assert "1 updated" in r.output and "1 renamed" in r.output
    after = {d["source"]: d["id"] for d in export(home)["documents"]}
    assert len(after) == 5
    assert after[str(target)] != before[str(target)]
    assert after[str(docs / "002-renamed.txt")] == before[str(docs / "002_ac05e4c1368b06cd.txt")]


def test_a_failed_file_among_good_ones(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    (docs / "scan.pdf").write_bytes(b"\x00\x01 not a pdf at all \xff" * 20)
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    home = tmp_path / "kb"
    r = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert r.exit_code == 1
    assert "5 ingested" in r.output
    assert "scan.pdf" in r.output and "old.doc" in r.output
    assert len(export(home)["documents"]) == 5


def test_missing_path_is_reported_and_others_still_stored(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    r = run("--kb", str(tmp_path / "kb"), "ingest", "--no-extract", "--no-index", str(docs), str(tmp_path / "nope"))
    assert r.exit_code == 1
    assert "nope" in r.output and "no such file" in r.output


def test_usage_error_exits_2(tmp_path):
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path), "ingest"])
    assert r.exit_code == 2


def test_show_and_stats(tmp_path):
    docs = copy_seeds(tmp_path / "docs")
    home = tmp_path / "kb"
    run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    doc_id = export(home)["documents"][0]["id"]
    r = run("--kb", str(home), "show", doc_id[:8], "--json")
    data = json.loads(r.stdout)
    assert data["id"] == doc_id and data["blocks"]
    r = run("--kb", str(home), "stats", "--format", "json")
    assert json.loads(r.stdout)["totals"]["documents"] == 5
    r = run("--kb", str(home), "show", "no-such-doc")
    assert r.exit_code == 1 and "no document matches" in r.output


def test_a_second_concurrent_ingest_is_refused_with_a_clear_message(tmp_path):
    from kb.store import open_store

    docs = copy_seeds(tmp_path / "docs")
    home = tmp_path / "kb"
    holder = open_store(home, readonly=False)
    with holder.writer_lock():
        r = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert r.exit_code == 1
    assert "another ingest is writing" in r.output
    r = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert r.exit_code == 0 and "5 ingested" in r.output


def test_a_manifest_cannot_speak_for_files_outside_its_folder(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Resolved: That the report be noted.\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "inside.txt").write_text("Resolved: That the budget be agreed.\n")
    (docs / "manifest.csv").write_text(
        "file,authority,committee,meeting_date,kind,url\n"
        "../outside.txt,Devon County Council,Cabinet,2024-01-01,minutes,\n"
        f"{outside},Devon County Council,Cabinet,2024-01-01,minutes,\n"
        "inside.txt,Norfolk County Council,Cabinet,2024-02-02,minutes,\n")
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs)).exit_code == 0
    docs_out = export(home)["documents"]
    assert [d["source"].rsplit("/", 1)[-1] for d in docs_out] == ["inside.txt"]  # the manifest added no files
    assert docs_out[0]["authority"] == "Norfolk County Council"
    # ingesting the outside file itself: the other folder's manifest does not apply to it
    assert run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(outside)).exit_code == 0
    other = next(d for d in export(home)["documents"] if d["source"].endswith("outside.txt"))
    assert other["authority"] != "Devon County Council"


def test_at_the_next_meeting_resolves_to_the_committees_next_meeting_in_the_kb(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    manifest = "file,authority,committee,meeting_date,kind,url\n"
    (docs / "later.txt").write_text("Minutes:\nThe committee received the quarterly performance report.\n")
    (docs / "first.txt").write_text("Minutes:\nResolved: That;\n1. A report on school transport costs be "
                                    "brought to the next meeting of the committee.\n")
    for name, date in (("later.txt", "2024-09-18"), ("first.txt", "2024-07-10")):
        manifest += f"{name},Devon County Council,Children's Scrutiny Committee,{date},minutes,\n"
    (docs / "manifest.csv").write_text(manifest)
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-index", str(docs / "later.txt")).exit_code == 0
    assert run("--kb", str(home), "ingest", "--no-index", str(docs)).exit_code == 0
    first = next(d for d in export(home)["documents"] if d["source"].endswith("first.txt"))
    action = next(a for a in first["actions"] if "next meeting" in a["text"])
    assert action["due_date"] == "2024-09-18"


def test_the_nearest_manifest_speaks_for_a_file(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "x.txt").write_text("Resolved: That the report be noted.\n")
    (docs / "y.txt").write_text("Resolved: That the budget be agreed.\n")
    head = "file,authority,committee,meeting_date,kind,url\n"
    (docs / "manifest.csv").write_text(head + "sub/x.txt,Devon County Council,,,,\ny.txt,Devon County Council,,,,\n")
    (docs / "sub" / "manifest.csv").write_text(head + "x.txt,Norfolk County Council,,,,\n")
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs)).exit_code == 0
    got = {d["source"].rsplit("/", 1)[-1]: d["authority"] for d in export(home)["documents"]}
    assert got == {"x.txt": "Norfolk County Council", "y.txt": "Devon County Council"}


def test_files_read_by_older_rules_are_read_again(tmp_path, monkeypatch):
    """An unchanged file stored by an older version of the reading or extraction rules is re-read by
    the next ingest (with extraction); then it is unchanged again. Without extraction it is left be."""
    from ingest import pipeline
    from kb.store import open_store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "minutes.txt").write_text("Minutes of the Cabinet of Kent County Council held on 4 March 2025\n\n"
                                      "RESOLVED that the Director of Finance reports back in six months.\n")
    store = open_store(tmp_path / "kb")

    def statuses(summary):
        return [o.status for o in summary.outcomes]

    assert statuses(pipeline.ingest(store, [str(docs)])) == ["ingested"]
    assert statuses(pipeline.ingest(store, [str(docs)])) == ["unchanged"]
    monkeypatch.setattr(pipeline, "READER_VERSION", "read-next")
    assert statuses(pipeline.ingest(store, [str(docs)], with_extraction=False)) == ["unchanged"]
    (again,) = pipeline.ingest(store, [str(docs)]).outcomes
    assert again.status == "updated" and "older reading or extraction rules" in again.reason
    (doc,) = store.documents()
    assert doc["extractor"].startswith("read-next/") and store.records("decisions", doc["id"])
    assert statuses(pipeline.ingest(store, [str(docs)])) == ["unchanged"]
    store.close()


def test_a_manifest_can_say_a_paper_has_no_authority(tmp_path):
    """"-" in a manifest cell means none (a national report that names councils); an empty cell means infer."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "Kent County Council\n\nReport to: Cabinet – 30 January 2025\n\nKent County Council will consult in spring.\n"
    (docs / "a.txt").write_text(text)
    (docs / "b.txt").write_text(text.replace("30 January", "27 February"))
    (docs / "manifest.csv").write_text("file,authority,committee,meeting_date,kind,url\na.txt,-,,,,\nb.txt,,,,,\n")
    home = tmp_path / "kb"
    assert run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs)).exit_code == 0
    by_name = {d["source"].rsplit("/", 1)[-1]: d for d in export(home)["documents"]}
    assert by_name["a.txt"]["authority"] is None and by_name["b.txt"]["authority"] == "Kent County Council"
    again = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
    assert "2 unchanged" in again.output  # "-" is not read as a change on every run


def test_legacy_and_empty_files_are_skipped_with_a_reason_and_never_stored(tmp_path, monkeypatch):
    """Re-running over a folder that holds legacy .doc/.ppt files exits 0 (nothing failed); an empty
    or blank file is skipped with a reason, not stored as an empty document that `check` then flags."""
    monkeypatch.setenv("SCRUTINY_SOFFICE", "none")  # without LibreOffice (tests/test_legacy.py: with it)
    docs = copy_seeds(tmp_path / "docs")
    (docs / "old minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (docs / "slides.ppt").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (docs / "notes.odt").write_bytes(_odt())
    (docs / "empty.txt").write_bytes(b"")
    (docs / "blank.html").write_text("<html><body>  <p> </p></body></html>")
    home = tmp_path / "kb"
    for _ in range(2):
        r = run("--kb", str(home), "ingest", "--no-extract", "--no-index", str(docs))
        assert r.exit_code == 0, r.output
        assert "5 skipped, 0 failed" in r.output
        skipped = r.output.split("Skipped files:")[1]
        assert "convert to DOCX" in skipped and "convert to PPTX" in skipped
        assert "empty file" in skipped and "no text in the HTML file" in skipped
    sources = [d["source"] for d in export(home)["documents"]]
    assert len(sources) == 5 and not any(s.endswith((".doc", ".ppt", ".odt", "empty.txt", "blank.html"))
                                         for s in sources)
    check = run("--kb", str(home), "check", "--json")
    assert not [p for p in json.loads(check.stdout)["problems"] if "no text blocks" in p]
    strict = run("--kb", str(home), "ingest", "--strict", "--no-extract", "--no-index", str(docs))
    assert strict.exit_code == 1 and "Skipped files:" in strict.output


def _odt() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()
