"""The knowledge base store: one small interface, SQLite behind it (embedded mode).

Everything outside kb/ talks to a `Store` obtained from `open_store(location)`: a folder gives this
SQLiteStore; a postgresql:// URL gives kb/pg.py's PostgresStore (server mode: PostgreSQL + a Chroma
server), the same methods over the same SQL, without touching ingest/, nlp/, reports/ or cli/.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from ingest.model import RECORD_PLACE_FIELDS, Block
from kb import same_paper
from kb.migrations import RECORD_COLUMNS, migrate, pending

DB_NAME = "kb.sqlite"
DOC_FIELDS = ("id", "source", "abspath", "format", "kind", "authority", "committee", "meeting_date", "title", "url",
              "pages", "size", "metadata_origin", "warnings", "parser", "extractor", "ingested_at", "sketch", "same_as")
RECORD_KINDS = tuple(RECORD_COLUMNS)
COMMON_RECORD_FIELDS = RECORD_PLACE_FIELDS


SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server(location) -> bool:
    """Whether a KB location names a server knowledge base (a PostgreSQL URL) rather than a folder."""
    return isinstance(location, str) and location.startswith(SERVER_SCHEMES)


def files_home(location: str | Path) -> Path:
    """Where files a KB keeps beside its store go (uploads, fetched papers): a folder KB's own folder; for a server
    KB, $SCRUTINY_FILES, else ~/.local/share/scrutiny/<host>_<database> (never a path made of the URL)."""
    if not is_server(location):
        return Path(location)
    if os.environ.get("SCRUTINY_FILES"):
        return Path(os.environ["SCRUTINY_FILES"]).expanduser()
    from urllib.parse import urlsplit

    u = urlsplit(str(location))
    name = re.sub(r"[^\w.-]+", "_", f"{u.hostname or 'local'}_{u.path.strip('/') or 'scrutiny'}")
    return Path("~/.local/share/scrutiny").expanduser() / name


def kb_location(value: str | Path) -> str | Path:
    """What --kb or $SCRUTINY_KB says: a PostgreSQL URL (kept as a string) or a folder (a Path)."""
    return value if is_server(value) else Path(value).expanduser()


def default_home() -> Path | str:
    """`$SCRUTINY_KB` (a folder, or a postgresql:// URL for a server KB), else the platform's data folder
    (~/.local/share/scrutiny-kb)."""
    env = os.environ.get("SCRUTINY_KB")
    if env:
        return kb_location(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "scrutiny-kb"


class StoreError(Exception):
    pass


class StoreDamaged(StoreError):
    """kb.sqlite cannot be read as a database: only a backup can bring it back."""


class StoreFull(StoreError):
    """A write failed for want of space (or a failing disk): nothing half-written stays."""


def store_error(home: Path, e: sqlite3.DatabaseError) -> StoreError:
    """SQLite's error on the knowledge base at `home`, said so that a user knows what to do (by
    SQLite's own error code where Python gives it, else by its words)."""
    msg = str(e)
    if getattr(e, "server", False):  # PostgreSQL's (kb/pg.py): the transaction was rolled back
        return StoreError(f"the knowledge base server refused a write or a read ({msg}); what was stored before "
                          "stays whole: run the command again, or ask whoever runs the server")
    name = getattr(e, "sqlite_errorname", None) or ""
    low = f"{name} {msg}".lower()
    if "sqlite_full" in low or "disk is full" in low:
        return StoreFull(f'no space left to write the knowledge base at "{home}" ({msg}); what was written '
                         "before stays whole: free some space and run the command again")
    if "ioerr" in low or "disk i/o error" in low:
        return StoreFull(f'cannot write the knowledge base at "{home}" ({msg}): the disk may be full, over a quota '
                         "or failing; what was written before stays whole: free some space and run the command again")
    if "busy" in low or "locked" in low:
        return StoreError(f'the knowledge base at "{home}" is busy ({msg}); try again in a moment')
    if "readonly" in low or "cantopen" in low or "unable to open" in low or "perm" in low:
        return StoreError(f'cannot open the knowledge base at "{home}" for writing ({msg}); check the folder\'s '
                          "permissions")
    return StoreDamaged(
        f'the knowledge base at "{home}" is damaged: {DB_NAME} cannot be read ({msg}). Restore it from a backup '
        f'(the folder `scrutiny backup` wrote: copy it over "{home}", or point --kb at it); the search index '
        "is then rebuilt by `scrutiny check --repair`")


class SQLiteStore:
    """SQLite in WAL mode: readers (search, reports) carry on while one ingest writes."""

    server = False  # an embedded KB: one folder, one writer (kb/pg.py's PostgresStore is the server one)

    def __init__(self, home: Path, readonly: bool = False, inspect: bool = False):
        """`readonly`: the store must exist already. `inspect` (for `check`): nothing is written, not
        even a pending migration (`self.pending` names them)."""
        self.home = Path(home)
        self.path = self.home / DB_NAME
        if (readonly or inspect) and not self.path.exists():
            raise StoreError(f'no knowledge base at "{self.home}" (run "scrutiny ingest PATH" first)')
        if not inspect:
            self.home.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.pending: list[str] = []
        try:
            if not inspect:
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=30000")
            if inspect:
                self.pending = pending(self.db)
            else:
                migrate(self.db)
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise store_error(self.home, e) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One ingest at a time per knowledge base; a second one is told so and exits.
        (Readers never need it: SQLite's WAL lets searches and reports run during an ingest.)

        The lock is the kernel's (flock), so it goes with its holder: an ingest killed with SIGKILL
        leaves nothing to clear, and the next one takes the lock over. Its descriptor is closed in
        every process forked while it is held (the parsing workers), so no child can keep it."""
        import fcntl

        path = self.home / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(busy_message(self.home, os.pread(fd, 32, 0).decode("ascii", "replace"))) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            _held_locks.add(fd)
            yield
        finally:
            _held_locks.discard(fd)
            os.close(fd)

    # --- documents -------------------------------------------------------------------------------
    def document_by(self, id: str | None = None, source: str | None = None) -> dict | None:
        """Exactly by id or by source path (both indexed)."""
        col, key = ("id", id) if id is not None else ("source", source)
        row = self.db.execute(f"SELECT * FROM documents WHERE {col} = ?", (key,)).fetchone()
        return _doc(row) if row else None

    def get_document(self, key: str) -> dict | None:
        """What a user typed: an id, an id prefix (>= 6 characters) or a source path (or its tail)."""
        row = self.db.execute("SELECT * FROM documents WHERE id = ? OR source = ?", (key, key)).fetchone()
        if row is None and len(key) >= 6:
            rows = self.db.execute("SELECT * FROM documents WHERE id LIKE ?", (key + "%",)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            rows = self.db.execute("SELECT * FROM documents WHERE source LIKE ?", ("%" + key,)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return _doc(row) if row else None

    def documents(self, authority: list[str] | None = None, committee: str | None = None, kind: str | None = None,
                  since: str | None = None, until: str | None = None, copies: bool = False) -> list[dict]:
        """The papers (a copy of a paper stored twice is left out unless `copies`), by meeting date."""
        sql, args = "SELECT * FROM documents WHERE 1=1" + ("" if copies else " AND same_as IS NULL"), []
        if authority:
            sql += f" AND authority IN ({','.join('?' * len(authority))})"
            args += authority
        if committee:
            sql += " AND committee LIKE ?"
            args.append(f"%{committee}%")
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        if since:
            sql += " AND meeting_date >= ?"
            args.append(since)
        if until:
            sql += " AND substr(meeting_date, 1, ?) <= ?"
            args += [len(until), until]
        sql += " ORDER BY meeting_date NULLS FIRST, source"  # NULLS FIRST: SQLite's order, said for PostgreSQL
        return [_doc(r) for r in self.db.execute(sql, args)]

    def put_document(self, doc: dict, blocks: list[Block], records: dict[str, list[dict]],
                     replaces: str | None = None, passages: list[dict] | None = None) -> None:
        """Store one document with its blocks, records and search passages in one transaction, replacing the
        document `replaces` (the old version of a changed file) and any row with the same id or source.
        `passages`: as kb.search.chunking.passages cut them (in an ingest worker); cut here when not given."""
        row = {f: doc.get(f) for f in DOC_FIELDS}
        row["ingested_at"] = row["ingested_at"] or _now()
        self._hand_metadata(row)
        for f in ("metadata_origin", "warnings"):
            if row[f] is not None and not isinstance(row[f], str):
                row[f] = json.dumps(row[f])
        sk = same_paper.sketch([b.text or "" for b in blocks])
        row["sketch"] = json.dumps(sk) if sk else None
        with self.transaction() as db:
            for old in {replaces, row["id"]} - {None}:
                self._delete(db, old)
            db.execute("DELETE FROM documents WHERE source = ?", (row["source"],))
            row["same_as"] = paper = same_paper.original_of(db, sk, row["id"], row.get("authority"))
            if paper is not None and same_paper.comes_first(db, row["source"], paper):
                row["same_as"] = None
            db.execute(f"INSERT INTO documents ({','.join(DOC_FIELDS)}) VALUES ({','.join('?' * len(DOC_FIELDS))})",
                       [row[f] for f in DOC_FIELDS])
            if paper is not None and row["same_as"] is None:
                same_paper.take_over(db, row["id"], paper)
            same_paper.keep_keys(db, row["id"], sk)
            db.executemany(
                "INSERT INTO blocks (doc_id, seq, kind, text, page, section, level, number, cells, header, tbl, notes,"
                " ocr) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(row["id"], i, b.kind, b.text, b.page, b.section, b.level, b.number,
                  json.dumps(b.cells) if b.cells is not None else None,
                  json.dumps(b.header) if b.header is not None else None, b.table, int(b.notes), int(b.ocr))
                 for i, b in enumerate(blocks)])
            for kind, cols in RECORD_COLUMNS.items():
                fields = COMMON_RECORD_FIELDS + cols + ("ocr",)
                items = records.get(kind) or []
                db.executemany(
                    f"INSERT INTO {kind} (doc_id, seq, {','.join(fields)}) VALUES (?,?,{','.join('?' * len(fields))})",
                    [(row["id"], i, *(_record_value(kind, f, it) for f in fields)) for i, it in enumerate(items)])
            if passages is None:
                from kb.search.chunking import passages as cut

                passages = cut(blocks, row["format"])
            write_passages(db, row, passages)

    def _hand_metadata(self, row: dict) -> None:
        """What people set on this document by hand (kb.corrections) wins over the manifest and inference."""
        from kb.corrections import doc_overrides

        hand = doc_overrides(self.db, row["source"], row["id"])
        if not hand:
            return
        origin = row["metadata_origin"]
        origin = json.loads(origin) if isinstance(origin, str) else dict(origin or {})
        for k, v in hand.items():
            row[k] = v
            origin[k] = "hand"
        row["metadata_origin"] = origin

    def rename(self, doc_id: str, source: str, abspath: str | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE documents SET source = ?, abspath = ? WHERE id = ?", (source, abspath, doc_id))

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as db:
            self._delete(db, doc_id)

    def _delete(self, db: sqlite3.Connection, doc_id: str) -> None:
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))  # the FTS rows go by trigger
        same_paper.promote_copies(db, doc_id)
        db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # blocks and records cascade

    # --- blocks and records ----------------------------------------------------------------------
    def blocks(self, doc_id: str) -> list[Block]:
        out = []
        for r in self.db.execute("SELECT * FROM blocks WHERE doc_id = ? ORDER BY seq", (doc_id,)):
            out.append(Block(kind=r["kind"], text=r["text"], page=r["page"], section=r["section"],
                             level=r["level"] or 0, number=r["number"],
                             cells=json.loads(r["cells"]) if r["cells"] else None,
                             header=json.loads(r["header"]) if r["header"] else None,
                             table=r["tbl"], notes=bool(r["notes"]), ocr=_flag(r, "ocr")))
        return out

    def records(self, kind: str, doc_id: str | None = None, corrected: bool = True,
                keep_rejected: bool = False) -> list[dict]:
        """A document's (or every document's) records of `kind`, in order. Each has its record `id`
        ("decisions:0f3a9c12-2", the same on every ingest of the same bytes) and `seq`. `corrected`: as people corrected them (kb.corrections): rejected
        records left out (kept, marked in `set_by_hand`, with `keep_rejected`), corrected fields set."""
        if kind not in RECORD_COLUMNS:
            raise StoreError(f"unknown record kind {kind!r}")
        cols = RECORD_COLUMNS[kind]
        sql = f"SELECT * FROM {kind}" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY doc_id, seq"
        out = []
        for r in self.db.execute(sql, (doc_id,) if doc_id else ()):
            item = {"id": record_id(kind, r["doc_id"], r["seq"]), "seq": r["seq"], "doc_id": r["doc_id"], "rowid": r["id"]}
            for c in cols:
                item[c] = r[c]
            if kind == "metrics":
                if item["value"] is None:
                    item["value"] = item["value_text"]
                elif float(item["value"]).is_integer():
                    item["value"] = int(item["value"])
                item.pop("value_text")
                if item.get("value_high") is None:
                    item.pop("value_high")
                elif float(item["value_high"]).is_integer():
                    item["value_high"] = int(item["value_high"])
            for c in COMMON_RECORD_FIELDS:
                item[c] = r[c]
            if _flag(r, "ocr"):
                item["ocr"] = True  # extracted from text read by OCR (present only where true)
            out.append(item)
        return self._corrected(kind, out, keep_rejected) if corrected else out

    def _corrected(self, kind: str, records: list[dict], keep_rejected: bool) -> list[dict]:
        from kb.corrections import active, apply

        rows = active(self.db, "record", kind)
        wanted = {c["doc_id"] for c in rows} | {c["source"] for c in rows}
        if not wanted:
            return records
        out, by_doc = [], {}
        for r in records:
            by_doc.setdefault(r["doc_id"], []).append(r)
        for doc_id, recs in by_doc.items():
            doc = self.db.execute("SELECT id, source FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if doc is not None and (doc["id"] in wanted or doc["source"] in wanted):
                recs = apply(self.db, kind, dict(doc), recs, keep_rejected)
            out += recs
        return out

    def location(self) -> str:
        """Where the KB is, as a user names it (a folder, or the server's URL without its password)."""
        return str(self.home)

    def change_stamp(self):
        """A value that changes whenever the database does (caches of what was read compare it)."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def source_ids(self) -> dict[str, str]:
        """{source path: document id} of every stored document."""
        return {r[0]: r[1] for r in self.db.execute("SELECT source, id FROM documents")}

    def authority_committees(self) -> list[tuple[str | None, str | None]]:
        """The distinct (authority, committee) pairs of the stored documents."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT DISTINCT authority, committee FROM documents")]

    def total_pages(self) -> int:
        """Pages of every stored document (a document of no pages counts one)."""
        return int(self.db.execute("SELECT coalesce(sum(coalesce(pages, 1)), 0) FROM documents").fetchone()[0])

    def block_texts(self) -> Iterator[str]:
        for r in self.db.execute("SELECT text FROM blocks"):
            yield r[0]

    def block_counts(self) -> dict[str, int]:
        """{document id: its blocks}."""
        return {r[0]: r[1] for r in self.db.execute("SELECT doc_id, count(*) FROM blocks GROUP BY doc_id")}

    def passage_count(self) -> int:
        """Search passages (chunks) stored."""
        return self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def passage_texts(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT text FROM chunks")]

    def counts(self) -> dict[str, int]:
        out = {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("documents", "blocks", *RECORD_KINDS)}
        return out

    def stats(self) -> dict:
        def group(col: str) -> list[tuple[str, int]]:
            return [(r[0], r[1]) for r in self.db.execute(
                f"SELECT coalesce({col}, '(unknown)'), count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1")]
        totals = self.counts()
        for kind in RECORD_KINDS:  # what people rejected is no record of the KB's
            rejected = sum(1 for r in self._corrected(kind, self.records(kind, corrected=False), True)
                           if "rejected" in (r.get("set_by_hand") or {})) if self._has_rejections(kind) else 0
            totals[kind] -= rejected
        return {"totals": totals, "authority": group("authority"), "committee": group("committee"),
                "kind": group("kind"), "year": group("substr(meeting_date, 1, 4)")}

    def _has_rejections(self, kind: str) -> bool:
        return self.db.execute("SELECT 1 FROM corrections WHERE kind = ? AND field = 'rejected' AND undone_at IS NULL"
                               " LIMIT 1", (kind,)).fetchone() is not None


LOCK_NAME = "ingest.lock"
_held_locks: set[int] = set()  # descriptors of writer locks held by this process


def _close_locks_in_child() -> None:
    """After a fork, in the child: close the writer lock's descriptor (an flock belongs to the open file,
    which a child would otherwise share, keeping the lock for as long as the child lives)."""
    for fd in list(_held_locks):
        with suppress(OSError):
            os.close(fd)
    _held_locks.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_locks_in_child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def _holders(path: Path) -> list[int]:
    """Processes with `path` open (Linux /proc), best effort."""
    out = []
    target = str(path.resolve())
    for entry in Path("/proc").glob("[0-9]*/fd/*"):
        with suppress(OSError):
            if os.readlink(entry) == target:
                out.append(int(entry.parts[2]))
    return sorted(set(out) - {os.getpid()})


def busy_message(home: Path, holder: str) -> str:
    """Why the writer lock is taken: another ingest, or processes left by one that has gone."""
    pid = int(holder) if holder.strip().isdigit() else None
    if pid is not None and not _alive(pid):
        left = [p for p in _holders(Path(home) / LOCK_NAME) if _alive(p)]
        return (f'the ingest that was writing to "{home}" (pid {pid}) has gone, but processes it started still '
                f"hold its lock{' (pids ' + ', '.join(map(str, left)) + ')' if left else ''}; stop them"
                f"{' (kill ' + ' '.join(map(str, left)) + ')' if left else ''} and run this one again")
    return (f'another ingest is writing to "{home}" (pid {pid or "unknown"}); run this one again when it has '
            "finished")


def record_id(kind: str, doc_id: str, seq: int) -> str:
    """A record's stable id: its kind, its document's id (first 8) and its place there from 1 ("decisions:0f3a9c12-2");
    the same however many times, and in whatever order, papers are ingested."""
    return f"{kind}:{doc_id[:8]}-{seq + 1}"


PASSAGE_FIELDS = ("text", "section", "page", "page_end", "kind", "pieces", "hash", "chunker")


def write_passages(db: sqlite3.Connection, row: dict, passages: list[dict]) -> None:
    """A document's search passages (the chunks table, and through its triggers the keyword index), with the
    document's metadata that search filters on."""
    db.execute("DELETE FROM chunks WHERE doc_id = ?", (row["id"],))
    meta = (row.get("authority"), row.get("committee"), row.get("kind"), row.get("meeting_date"))
    db.executemany(
        f"INSERT INTO chunks (doc_id, seq, {', '.join(PASSAGE_FIELDS)}, authority, committee, doc_kind, meeting_date)"
        f" VALUES (?, ?, {', '.join('?' * (len(PASSAGE_FIELDS) + 4))})",
        [(row["id"], i, *(p[f] for f in PASSAGE_FIELDS), *meta) for i, p in enumerate(passages)])


def open_store(home: Path | str | None = None, readonly: bool = False, inspect: bool = False) -> SQLiteStore:
    """The store at `home`: a folder (SQLite, embedded) or a postgresql:// URL (kb/pg.py, server mode:
    vectors in the Chroma server that `--vectors` / $SCRUTINY_VECTORS names)."""
    home = home or default_home()
    if is_server(home):
        from kb.pg import PostgresStore

        return PostgresStore(home, readonly=readonly, inspect=inspect)
    return SQLiteStore(Path(home), readonly=readonly, inspect=inspect)


def _flag(row: sqlite3.Row, column: str) -> bool:
    """A 0/1 column's value; False where the column is not there yet (`check` reads a store before m010)."""
    return column in row.keys() and bool(row[column])  # noqa: SIM118 (`in` on a Row tests its values)


def _record_value(kind: str, field: str, item: dict):
    if kind == "metrics" and field in ("value", "value_text"):
        v = item.get("value")
        if field == "value":
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        return None if isinstance(v, (int, float)) else (str(v) if v is not None else None)
    v = item.get(field)
    if field == "ocr":
        return 1 if v else None
    return v if v != "" else None


def _doc(row: sqlite3.Row) -> dict:
    d = dict(row)
    for f in ("metadata_origin", "warnings"):
        if d.get(f):
            d[f] = json.loads(d[f])
    return d


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
