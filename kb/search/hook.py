"""Keeps the `chunks` table (and through its triggers the FTS index) in step with documents:
chunks are written in the same transaction as their document. Registered by kb.store.open_store,
so every ingest keeps chunks current whether or not search is ever used. Light to import."""
from __future__ import annotations

import sqlite3

from kb.store import SQLiteStore, StoreHook, register_hook

CHUNKER = "structure-v2/224"  # v2: captions go with their table; long tables and rows cut evenly


def write_chunks(store: SQLiteStore, db: sqlite3.Connection, doc_id: str) -> int:
    from kb.search.chunking import CHUNK_PIECES, chunk_blocks
    from kb.search.embed import count_pieces

    row = db.execute("SELECT format, authority, committee, kind, meeting_date FROM documents WHERE id = ?",
                     (doc_id,)).fetchone()
    if row is None:
        return 0
    db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
    chunks = chunk_blocks(store.blocks(doc_id), count_pieces, CHUNK_PIECES, slides=row[0] == "pptx")
    db.executemany(
        "INSERT INTO chunks (doc_id, seq, text, section, page, page_end, kind, pieces, hash, chunker,"
        " authority, committee, doc_kind, meeting_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(doc_id, i, c.text, c.section, c.page, c.page_end, c.kind, c.pieces, c.hash, CHUNKER, *row[1:])
         for i, c in enumerate(chunks)])
    return len(chunks)


class ChunkHook(StoreHook):
    def on_put(self, store, db, doc_id):
        write_chunks(store, db, doc_id)

    def on_delete(self, store, db, doc_id):
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))  # the FTS rows go by trigger


HOOK = ChunkHook()
register_hook(HOOK)


def backfill(store: SQLiteStore) -> int:
    """Chunk documents stored before chunking existed (or by an older chunker); returns how many."""
    ids = [r[0] for r in store.db.execute(
        "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id)"
        " OR EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id AND c.chunker != ?)", (CHUNKER,))]
    ids = [i for i in ids if store.db.execute("SELECT 1 FROM blocks WHERE doc_id = ? LIMIT 1", (i,)).fetchone()]
    for doc_id in ids:
        with store.transaction() as db:
            write_chunks(store, db, doc_id)
    return len(ids)
