"""Numbered schema migrations, one mechanism for the whole store.

Each migration is a function taking a sqlite3 connection, run inside a
transaction and recorded in the `_migrations` table. Append new ones to
MIGRATIONS; never edit one that has shipped.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ingest.model import RECORD_FIELDS, RECORD_PLACE_FIELDS

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


def _record_columns() -> dict[str, tuple[str, ...]]:
    """Every column of each record table today: the record schema's fields (ingest.model.RECORD_FIELDS)
    less those every record table has, plus a rating's text (metrics.value_text)."""
    out = {}
    for kind, fields in RECORD_FIELDS.items():
        own = [f for f in fields if f not in RECORD_PLACE_FIELDS]
        if kind == "metrics":
            own.insert(own.index("value") + 1, "value_text")
        out[kind] = tuple(own)
    return out


RECORD_COLUMNS: dict[str, tuple[str, ...]] = _record_columns()


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


def m005_record_confidence_and_action_type(db: sqlite3.Connection) -> None:
    """Every record's confidence (0-1); an action's type (ANNOTATION.md); the cue an action, decision or
    recommendation was read from; a decision's result (carried, lost)."""
    for kind in M001_COLUMNS:
        db.execute(f"ALTER TABLE {kind} ADD COLUMN confidence REAL")
    db.execute("ALTER TABLE actions ADD COLUMN type TEXT")
    for kind in ("actions", "decisions", "recommendations"):
        db.execute(f"ALTER TABLE {kind} ADD COLUMN cue TEXT")
    db.execute("ALTER TABLE decisions ADD COLUMN result TEXT")


def m006_followups_and_corrections(db: sqlite3.Connection) -> None:
    """Follow-up evidence linking each action to later papers (derived: kb/followups.py recomputes it when
    an authority's papers change) and the corrections people make (kept apart from everything derived:
    keyed by the document's source and the record's normalised text, never by row ids, so that they
    survive re-ingesting a changed file, a new extractor and `check --repair`)."""
    run_script(db,
        """
        CREATE TABLE followups (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            evidence_doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            evidence_action_id INTEGER REFERENCES actions(id) ON DELETE CASCADE, -- a later tracker row that is this action
            meeting_date TEXT,
            page INTEGER,
            block INTEGER,
            sentence TEXT NOT NULL,         -- the later sentence (or tracker row) that reports on the action
            says TEXT NOT NULL,             -- done | updated | dropped | open | mention
            score REAL NOT NULL,            -- how surely the sentence is about the action (0-1)
            cue TEXT,                       -- the words that say what happened ("had been circulated", "still awaited")
            why TEXT,                       -- JSON: what matched (shared words, reference, owner, closeness)
            linker TEXT NOT NULL
        );
        CREATE INDEX followups_action ON followups(action_id);
        CREATE INDEX followups_evidence_doc ON followups(evidence_doc_id);
        CREATE TABLE followup_state (
            authority TEXT PRIMARY KEY,     -- '' for documents of no authority
            stamp TEXT NOT NULL,            -- hash of what the links were computed from
            computed_at TEXT NOT NULL
        );
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            change_id INTEGER NOT NULL,     -- the rows one command wrote share it (undone together)
            target TEXT NOT NULL,           -- record | document
            kind TEXT NOT NULL,             -- actions, decisions, ... or document
            source TEXT NOT NULL,           -- the document's source path when corrected
            doc_id TEXT,                    -- its content id then (a renamed file keeps it)
            text_key TEXT NOT NULL DEFAULT '', -- the record's normalised text ('' for a document)
            text TEXT,                      -- the record's text as it read then
            field TEXT NOT NULL,            -- status, owner, due_date, note, evidence, rejected, or authority, committee, ...
            value TEXT,
            old_value TEXT,
            note TEXT,
            evidence TEXT,                  -- DOC[:PAGE] a person cites
            by TEXT NOT NULL,
            at TEXT NOT NULL,
            undone_by TEXT,
            undone_at TEXT
        );
        CREATE INDEX corrections_source ON corrections(source);
        CREATE INDEX corrections_doc ON corrections(doc_id)
        """
    )


def m007_cue_on_every_record(db: sqlite3.Connection) -> None:
    """The cue every record was read from (a table row, a sentence, a timeline ...), which its confidence follows."""
    for kind in ("metrics", "dates", "people"):
        db.execute(f"ALTER TABLE {kind} ADD COLUMN cue TEXT")


def m008_same_paper(db: sqlite3.Connection) -> None:
    """The same paper twice (kb/same_paper.py): a document's text sketch, and the paper a copy is of."""
    db.execute("ALTER TABLE documents ADD COLUMN sketch TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN same_as TEXT")
    db.execute("CREATE INDEX documents_same_as ON documents(same_as)")
    # a sketch's smallest hashes, to find the papers a new one may be the same as without reading every sketch
    db.execute("CREATE TABLE paper_keys (doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, "
               "h INTEGER NOT NULL)")
    db.execute("CREATE INDEX paper_keys_h ON paper_keys(h)")


def m009_web_users(db: sqlite3.Connection) -> None:
    """People who may sign in to `scrutiny serve` on a shared server (kb/users.py: passwords as bcrypt hashes,
    never kept), their sessions (only a hash of each token is stored) and the web workspace's log of who did
    what and when (sign-ins, ingests; corrections keep their own `by` and `at`)."""
    run_script(db,
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,             -- viewer | editor | admin
            password_hash TEXT NOT NULL,    -- bcrypt
            created_at TEXT NOT NULL,
            created_by TEXT
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,    -- sha256 of the cookie's token
            user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE activity (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,           -- sign-in, sign-in refused, sign-out, ingest, ...
            detail TEXT
        )
        """
    )


def m010_ocr_marks(db: sqlite3.Connection) -> None:
    """Blocks read by OCR (Tesseract) from a page image, and the records extracted from them, marked."""
    db.execute("ALTER TABLE blocks ADD COLUMN ocr INTEGER")
    for kind in M001_COLUMNS:
        db.execute(f"ALTER TABLE {kind} ADD COLUMN ocr INTEGER")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_create_tables,
    m002_chunks_and_fts,
    m003_chunk_filters,
    m004_metric_ranges,
    m005_record_confidence_and_action_type,
    m006_followups_and_corrections,
    m007_cue_on_every_record,
    m008_same_paper,
    m009_web_users,
    m010_ocr_marks,
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
