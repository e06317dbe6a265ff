"""Numbered schema migrations, one mechanism for the whole store.

Each migration is a function taking a sqlite3 connection, run inside a
transaction and recorded in the `_migrations` table. Append new ones to
MIGRATIONS; never edit one that has shipped.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

# Extraction record kinds and their own columns (besides id, doc_id, seq, page, text, section, block, extractor).
# The record tables as m001 created them (frozen: later migrations add columns, RECORD_COLUMNS lists all)
M001_COLUMNS: dict[str, tuple[str, ...]] = {
    "metrics": ("value", "value_text", "unit", "measure", "subject", "period"),
    "recommendations": ("number",),
    "decisions": ("number",),
    "actions": ("owner", "due_date", "due_text", "status"),
    "dates": ("date", "event"),
    "people": ("name", "role", "organisation"),
}

# Every column of each record table today.
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    **M001_COLUMNS,
    "metrics": (*M001_COLUMNS["metrics"], "value_high"),  # m004
}


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction (executescript would commit it)."""
    for stmt in script.split(";"):
        if stmt.strip():
            db.execute(stmt)


def m001_create_tables(db: sqlite3.Connection) -> None:
    run_script(db,
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,            -- content hash of the file's bytes
            source TEXT NOT NULL UNIQUE,    -- path as given to ingest
            abspath TEXT,                   -- resolved path, to recognise renames
            format TEXT NOT NULL,
            kind TEXT,
            authority TEXT,
            committee TEXT,
            meeting_date TEXT,
            title TEXT,
            url TEXT,
            pages INTEGER,
            size INTEGER,
            metadata_origin TEXT,           -- JSON: field -> "manifest" | "inferred"
            warnings TEXT,                  -- JSON list
            parser TEXT,
            extractor TEXT,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX documents_authority ON documents(authority);
        CREATE TABLE blocks (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            page INTEGER,
            section TEXT,
            level INTEGER,
            number TEXT,
            cells TEXT,                     -- JSON list for table rows
            header TEXT,                    -- JSON list for table rows
            tbl INTEGER,
            notes INTEGER DEFAULT 0,
            PRIMARY KEY (doc_id, seq)
        );
        """
    )
    for kind, cols in M001_COLUMNS.items():
        extra = ", ".join(f"{c} {'REAL' if c == 'value' else 'TEXT'}" for c in cols)
        db.execute(
            f"""CREATE TABLE {kind} (
                id INTEGER PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                page INTEGER,
                text TEXT,
                section TEXT,
                block INTEGER,
                extractor TEXT,
                {extra}
            )"""
        )
        db.execute(f"CREATE INDEX {kind}_doc ON {kind}(doc_id)")


def m002_chunks_and_fts(db: sqlite3.Connection) -> None:
    """Search passages (kb/search/chunking.py) and their full-text index. The FTS table is
    content-linked to `chunks`; triggers keep it in step, cascaded deletes included."""
    run_script(db,
        """
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: vector ids and caches name it
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,                    -- the passage as shown
            section TEXT,                          -- heading path
            page INTEGER,
            page_end INTEGER,
            kind TEXT NOT NULL,                    -- text | table
            pieces INTEGER NOT NULL,               -- word pieces the model reads, prefix included
            hash TEXT NOT NULL,                    -- of the text embedded (section + passage)
            chunker TEXT NOT NULL
        );
        CREATE INDEX chunks_doc ON chunks(doc_id);
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, section, content='chunks', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE INDEX documents_meeting_date ON documents(meeting_date)
        """
    )
    # triggers hold ";" so they are run one by one, not through run_script
    db.execute("""CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text, section) VALUES (new.id, new.text, new.section); END""")
    db.execute("""CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, text, section) VALUES ('delete', old.id, old.text, old.section); END""")


def m003_chunk_filters(db: sqlite3.Connection) -> None:
    """The document fields that search filters on (authority, committee, kind, meeting_date), copied
    onto each chunk so that a filtered search reads one indexed table and joins nothing. The copy is
    written with the chunk (kb/search/hook.py) and follows any later UPDATE of the document row by
    trigger. Also sets the FTS5 `rank` to the weighted BM25 that search scores with."""
    for col in ("authority", "committee", "doc_kind", "meeting_date"):
        db.execute(f"ALTER TABLE chunks ADD COLUMN {col} TEXT")
    db.execute("""UPDATE chunks SET (authority, committee, doc_kind, meeting_date) =
        (SELECT d.authority, d.committee, d.kind, d.meeting_date FROM documents d WHERE d.id = chunks.doc_id)""")
    run_script(db,
        """
        CREATE INDEX chunks_authority ON chunks(authority, meeting_date);
        CREATE INDEX chunks_doc_kind ON chunks(doc_kind, meeting_date);
        CREATE INDEX chunks_meeting_date ON chunks(meeting_date)
        """
    )
    db.execute("""CREATE TRIGGER documents_au_chunks AFTER UPDATE OF authority, committee, kind, meeting_date
        ON documents BEGIN
        UPDATE chunks SET authority = new.authority, committee = new.committee, doc_kind = new.kind,
            meeting_date = new.meeting_date WHERE doc_id = new.id; END""")
    db.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('rank', 'bm25(1.0, 0.6)')")


def m004_metric_ranges(db: sqlite3.Connection) -> None:
    """A range's upper bound ("two to three days": value 2, value_high 3)."""
    db.execute("ALTER TABLE metrics ADD COLUMN value_high REAL")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_create_tables,
    m002_chunks_and_fts,
    m003_chunk_filters,
    m004_metric_ranges,
]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied. `db` must be in autocommit mode
    (isolation_level=None) so that transactions are ours."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        db.execute("BEGIN IMMEDIATE")  # one transaction per migration
        try:
            fn(db)
            db.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (fn.__name__,))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        applied.append(fn.__name__)
    return applied


def pending(db: sqlite3.Connection) -> list[str]:
    """Names of the migrations not applied yet, read without writing anything."""
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").fetchone()
    done = {r[0] for r in db.execute("SELECT name FROM _migrations")} if has_table else set()
    return [fn.__name__ for fn in MIGRATIONS if fn.__name__ not in done]


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM _migrations").fetchone()[0]
