"""`scrutiny check` and `scrutiny backup`: verify the knowledge base, rebuild what is derivable,
and copy it consistently while it is in use."""
from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kb.migrations import RECORD_COLUMNS
from kb.store import DB_NAME, SQLiteStore, open_store, store_error


@dataclass
class CheckReport:
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    damaged: bool = False  # kb.sqlite itself: only a backup mends it

    @property
    def ok(self) -> bool:
        return not self.problems


def check(store: SQLiteStore, repair: bool = False) -> CheckReport:
    """Verify the store; with `repair`, rebuild what is derivable. Without it nothing is written (open
    the store with `open_store(home, inspect=True)` so that not even a migration is)."""
    report = CheckReport()
    db = store.db
    try:  # a server KB's own integrity is the server's business (constraints are enforced as rows are written)
        integrity = ["ok"] if store.server else [r[0] for r in db.execute("PRAGMA integrity_check(10)")]
        report.counts = store.counts()
    except sqlite3.DatabaseError as e:
        integrity = [str(e)]
    if integrity != ["ok"]:
        report.problems.append(str(store_error(store.home, sqlite3.DatabaseError("; ".join(integrity[:3])))))
        report.damaged = True
        return report  # nothing else can be trusted, and only a backup brings back what is not derivable
    if store.pending:
        report.problems.append(f"the store's schema is {len(store.pending)} migration(s) behind this version "
                               "(`scrutiny check --repair` or an ingest brings it up to date)")
        return report
    for table in ("blocks", *RECORD_COLUMNS):
        n = db.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0]
        if n:
            if repair:
                with store.transaction():
                    db.execute(f"DELETE FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)")
                report.repaired.append(f"removed {n} orphan rows from {table}")
            else:
                report.problems.append(f"{n} rows in {table} belong to no document")
    fk = [] if store.server else db.execute("PRAGMA foreign_key_check").fetchall()
    if fk and not report.problems:
        report.problems.append(f"{len(fk)} foreign-key violations")
    empty = [r[0] for r in db.execute(
        "SELECT source FROM documents WHERE id NOT IN (SELECT DISTINCT doc_id FROM blocks)")]
    for source in empty:
        report.problems.append(f"document has no text blocks: {source}")
    problems, repaired = check_search_indexes(store, repair)
    report.problems += problems
    report.repaired += repaired
    return report


def check_search_indexes(store: SQLiteStore, repair: bool) -> tuple[list[str], list[str]]:
    """The passages (chunks), their FTS5 index and the vectors agree with the documents."""
    problems: list[str] = []
    db = store.db
    unchunked = db.execute(
        "SELECT count(*) FROM documents d WHERE EXISTS (SELECT 1 FROM blocks b WHERE b.doc_id = d.id)"
        " AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id)").fetchone()[0]
    if unchunked:
        problems.append(f"{unchunked} documents have no search passages")
    from kb.search.chunking import CHUNKER

    stale = db.execute("SELECT count(DISTINCT doc_id) FROM chunks WHERE chunker != ?", (CHUNKER,)).fetchone()[0]
    if stale:
        problems.append(f"{stale} documents have search passages cut by an older version of the chunker")
    fts_ok = store.server or _fts_agrees(db)  # PostgreSQL's tsvector is a generated column: it cannot disagree
    if not fts_ok:
        problems.append("keyword index disagrees with the passages")
    vector_problems, broken = _vector_problems(store, copy=not repair)
    problems += vector_problems
    if not repair or not problems:
        return problems, []
    repaired = []
    if not fts_ok:
        with store.transaction():
            db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")
        repaired.append("rebuilt the keyword index")
    if broken and not store.server:  # a Chroma server's data is the server's to mend
        from kb.search.index import forget_clients

        forget_clients()
        repaired.append(f"moved the unreadable vector store aside to {_move_aside(store.home / 'chroma').name}/")
    from kb.search import sync

    done = sync(store)
    repaired.append(f"search passages and vectors brought in step ({done['rechunked_documents']} documents "
                    f"re-chunked, {done['added']} vectors added ({done['embedded']} embedded), "
                    f"{done['removed']} removed)")
    return check_search_indexes(store, repair=False)[0], repaired


def _fts_agrees(db: sqlite3.Connection) -> bool:
    """FTS5's own integrity check, in a transaction rolled back (it writes nothing, and so nothing stays)."""
    db.execute("BEGIN")
    try:
        db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        db.execute("ROLLBACK")


def _vector_problems(store: SQLiteStore, copy: bool) -> tuple[list[str], bool]:
    """What is wrong with the vector store, and whether it cannot be read at all. With `copy`, chromadb
    reads a copy of it (opening the store itself writes to it)."""
    from kb.search.index import has_vectors, vector_id

    chunks = store.passage_count()
    if not has_vectors(store):
        return ([f"no vector store: {chunks} passages have no vector"] if chunks else []), False
    wanted = {vector_id(r[0], r[1]) for r in store.db.execute("SELECT id, hash FROM chunks")}
    try:
        have = _vector_ids(store, copy and not store.server)
    except Exception as e:  # chromadb's own failure on a damaged store, of whatever class: said, then repairable
        return [f"the vector store (chroma/) cannot be read ({type(e).__name__}: {str(e)[:200]}); "
                "`scrutiny check --repair` moves it aside and rebuilds it from kb.sqlite"], True
    out = []
    if wanted - have:
        out.append(f"{len(wanted - have)} passages have no vector")
    if have - wanted:
        out.append(f"{len(have - wanted)} vectors belong to no passage")
    if store.server:  # no copy of the vectors on this machine
        return out, False
    from kb.search.index import _load_cache

    cache = _load_cache(store.home)
    if wanted and (cache is None or {vector_id(int(i), h) for i, h in zip(cache[0], cache[2])} != wanted):
        out.append("the copy of the vectors that searches read (vectors.npy) is missing, unreadable or behind")
    return out, False


def _vector_ids(where, copy: bool) -> set[str]:
    """The vector ids in the store's vector store (`where`: a store, or a KB folder)."""
    from kb.search.index import chroma_collection

    if copy:
        import tempfile

        home = Path(where if isinstance(where, (str, Path)) else where.home)
        with tempfile.TemporaryDirectory(prefix="scrutiny-check-") as tmp:
            shutil.copytree(home / "chroma", Path(tmp) / "chroma")
            return _vector_ids(Path(tmp), copy=False)
    _, col = chroma_collection(where)
    have: set[str] = set()
    total = col.count()
    for off in range(0, total, 10000):
        have.update(col.get(include=[], limit=10000, offset=off)["ids"])
    if have:  # the vectors themselves can be read too
        col.get(ids=sorted(have)[:8], include=["embeddings"])
    return have


def _move_aside(path: Path) -> Path:
    from datetime import datetime

    dest = path.with_name(f"{path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}")
    path.rename(dest)
    return dest


def backup(store: SQLiteStore, dest: Path) -> dict:
    """A consistent copy of the SQLite store (its online backup API: safe during an ingest) plus
    the vector store's files. Vectors are derivable: `scrutiny check --repair` on the copy re-embeds
    any chunk whose vector was caught mid-write."""
    if store.server:
        from kb.store import StoreError

        raise StoreError("a server knowledge base is backed up with PostgreSQL's own tools (pg_dump) and the "
                         "Chroma server's data folder: see the README's \"Server mode\"")
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f'"{dest}" exists and is not empty')
    dest.mkdir(parents=True, exist_ok=True)
    tmp = dest / (DB_NAME + ".part")
    target = sqlite3.connect(tmp)
    with target:
        store.db.backup(target)
    target.close()
    tmp.replace(dest / DB_NAME)
    copied = [DB_NAME]
    for name in ("chroma", "models"):
        src = store.home / name
        if src.exists():
            shutil.copytree(src, dest / name)
            copied.append(name)
    from kb.search.index import CACHE_IDS, CACHE_META, CACHE_VECTORS

    for name in (CACHE_VECTORS, CACHE_IDS, CACHE_META):  # the copy of the vectors that searches read
        if (store.home / name).exists():
            shutil.copy2(store.home / name, dest / name)
            copied.append(name)
    copy = open_store(dest)
    counts = copy.counts()
    copy.close()
    return {"dest": str(dest), "copied": copied, "counts": counts}
