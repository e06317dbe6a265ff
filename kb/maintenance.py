"""`scrutiny check` and `scrutiny backup`: verify the knowledge base, rebuild what is derivable,
and copy it consistently while it is in use."""
from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kb.migrations import RECORD_COLUMNS
from kb.store import DB_NAME, SQLiteStore, open_store


@dataclass
class CheckReport:
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(store: SQLiteStore, repair: bool = False) -> CheckReport:
    report = CheckReport(counts=store.counts())
    db = store.db
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        report.problems.append(f"SQLite integrity check: {integrity}")
    for table in ("blocks", *RECORD_COLUMNS):
        n = db.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0]
        if n:
            if repair:
                with store.transaction():
                    db.execute(f"DELETE FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)")
                report.repaired.append(f"removed {n} orphan rows from {table}")
            else:
                report.problems.append(f"{n} rows in {table} belong to no document")
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
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
    from kb.search.hook import CHUNKER

    stale = db.execute("SELECT count(DISTINCT doc_id) FROM chunks WHERE chunker != ?", (CHUNKER,)).fetchone()[0]
    if stale:
        problems.append(f"{stale} documents have search passages cut by an older version of the chunker")
    try:
        db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')")
        fts_ok = True
    except sqlite3.DatabaseError as e:
        fts_ok = False
        problems.append(f"keyword index disagrees with the passages ({e})")
    vector_problems = _vector_problems(store)
    problems += vector_problems
    if not repair or not problems:
        return problems, []
    repaired = []
    if not fts_ok:
        with store.transaction():
            db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")
        repaired.append("rebuilt the keyword index")
    from kb.search import sync

    done = sync(store)
    repaired.append(f"search passages and vectors brought in step ({done['rechunked_documents']} documents "
                    f"re-chunked, {done['added']} vectors added, {done['removed']} removed)")
    return check_search_indexes(store, repair=False)[0], repaired


def _vector_problems(store: SQLiteStore) -> list[str]:
    chunks = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    if not chunks and not (store.home / "chroma").exists():
        return []
    from kb.search.index import chroma_collection, vector_id

    wanted = {vector_id(r[0], r[1]) for r in store.db.execute("SELECT id, hash FROM chunks")}
    _, col = chroma_collection(store.home)
    have: set[str] = set()
    total = col.count()
    for off in range(0, total, 10000):
        have.update(col.get(include=[], limit=10000, offset=off)["ids"])
    out = []
    if wanted - have:
        out.append(f"{len(wanted - have)} passages have no vector")
    if have - wanted:
        out.append(f"{len(have - wanted)} vectors belong to no passage")
    return out


def backup(store: SQLiteStore, dest: Path) -> dict:
    """A consistent copy of the SQLite store (its online backup API: safe during an ingest) plus
    the vector store's files. Vectors are derivable: `scrutiny check --repair` on the copy re-embeds
    any chunk whose vector was caught mid-write."""
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
    copy = open_store(dest)
    counts = copy.counts()
    copy.close()
    return {"dest": str(dest), "copied": copied, "counts": counts}
