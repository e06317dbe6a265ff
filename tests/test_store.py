import sqlite3

from ingest.model import Block
from kb.migrations import MIGRATIONS, RECORD_COLUMNS
from kb.store import open_store


def columns(db, table):
    if getattr(db, "dialect", "sqlite") == "postgresql":
        return {r[0] for r in db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                         (table,))}
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def raw_db(location):
    """A connection to the KB's database itself, outside the store (either backend)."""
    if isinstance(location, str):
        from kb.pg import PgConnection, pool_for

        return PgConnection(pool_for(location).getconn())
    location.mkdir(exist_ok=True)
    return sqlite3.connect(location / "kb.sqlite", isolation_level=None)


def test_migrating_an_empty_database_creates_every_table(kb_location):
    store = open_store(kb_location)
    db = store.db
    assert {"id", "source", "authority", "committee", "meeting_date", "kind"} <= columns(db, "documents")
    assert {"doc_id", "seq", "kind", "text", "page", "section"} <= columns(db, "blocks")
    for kind, cols in RECORD_COLUMNS.items():
        assert {"doc_id", "page", "text", *cols} <= columns(db, kind), kind
    applied = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert applied == [m.__name__ for m in MIGRATIONS]
    store.close()
    # reopening applies nothing twice
    store = open_store(kb_location)
    assert store.db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def doc_row(doc_id, source, **kw):
    return {"id": doc_id, "source": source, "format": "txt", "authority": "Devon County Council", **kw}


def test_a_document_and_its_records_survive_store_and_load(kb_location):
    store = open_store(kb_location)
    blocks = [Block("heading", "Budget", level=1), Block("paragraph", "The grant is £1.2m.", page=3, section="Budget")]
    records = {"metrics": [{"value": 1200000, "unit": "GBP", "measure": "grant", "text": "The grant is £1.2m.",
                            "page": 3}],
               "metrics_unknown_kind_is_ignored": [{}],
               "metrics_rating": [],
               "actions": [{"text": "Report back in June", "due_date": "2024-06", "status": "open", "page": 3}]}
    store.put_document(doc_row("a1", "x.txt"), blocks, records)
    assert [b.text for b in store.blocks("a1")] == [b.text for b in blocks]
    m = store.records("metrics", "a1")
    assert m[0]["value"] == 1200000 and m[0]["unit"] == "GBP" and m[0]["page"] == 3
    assert store.records("actions", "a1")[0]["due_date"] == "2024-06"


def test_replacing_a_document_removes_its_old_records(kb_location):
    store = open_store(kb_location)
    store.put_document(doc_row("old", "x.txt"), [Block("paragraph", "old")],
                       {"decisions": [{"number": "1", "text": "old decision"}]})
    store.put_document(doc_row("new", "x.txt"), [Block("paragraph", "new")],
                       {"decisions": [{"number": "1", "text": "new decision"}]}, replaces="old")
    assert store.get_document("old") is None
    assert [d["text"] for d in store.records("decisions")] == ["new decision"]
    assert store.db.execute("SELECT count(*) FROM blocks").fetchone()[0] == 1


def test_a_failing_write_leaves_the_old_version_whole(kb_location):
    store = open_store(kb_location)
    store.put_document(doc_row("old", "x.txt"), [Block("paragraph", "old")], {})
    bad_blocks = [Block("paragraph", None)]  # NOT NULL text: the insert fails part-way
    try:
        store.put_document(doc_row("new", "x.txt"), bad_blocks, {}, replaces="old")
    except sqlite3.DatabaseError:  # sqlite3.IntegrityError; PostgreSQL's, as kb.pg.ServerDatabaseError
        pass
    else:
        raise AssertionError("expected the write to fail")
    assert store.get_document("old")["source"] == "x.txt"
    assert [b.text for b in store.blocks("old")] == ["old"]


def test_rating_metrics_keep_their_text_value(kb_location):
    store = open_store(kb_location)
    store.put_document(doc_row("r", "r.txt"), [], {"metrics": [{"value": "Requires Improvement", "unit": "rating"}]})
    assert store.records("metrics")[0]["value"] == "Requires Improvement"


def test_a_store_made_by_an_older_release_is_migrated_in_place(kb_location):
    from kb.migrations import m001_create_tables, migrate, run_script

    home = kb_location
    db = raw_db(home)
    run_script(db, "CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    m001_create_tables(db)
    db.execute("INSERT INTO _migrations VALUES ('m001_create_tables', 'then')")
    db.execute("INSERT INTO documents (id, source, format, ingested_at) VALUES ('d', 'x.txt', 'txt', 'then')")
    if isinstance(home, str):
        from kb.pg import pool_for

        pool_for(home).putconn(db.conn)
    else:
        db.close()
    store = open_store(home)
    assert "value_high" in columns(store.db, "metrics")
    assert store.get_document("d")["source"] == "x.txt"
    assert migrate(store.db) == []
    store.put_document(doc_row("r", "r.txt"), [], {"metrics": [{"value": 2, "value_high": 3, "unit": "days"}]})
    assert store.records("metrics", "r")[0]["value_high"] == 3
