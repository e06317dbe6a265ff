"""`scrutiny migrate --to postgresql://...`: an embedded KB copied into a server KB without parsing anything
again: documents with their blocks and records (as extracted: corrections are copied as corrections, so that
they apply there as here), corrections with their ids (records cite them), web users, and the vectors (by
the hash of the text each was embedded from; passages are cut again, as an ingest cuts them, and keep
their vector wherever their text is the same). Follow-up links are derived and recomputed there."""
from __future__ import annotations

from collections.abc import Callable

from kb.store import DOC_FIELDS, RECORD_KINDS, StoreError

CORRECTION_FIELDS = ("id", "change_id", "target", "kind", "source", "doc_id", "text_key", "text", "field", "value",
                     "old_value", "note", "evidence", "by", "at", "undone_by", "undone_at")
USER_FIELDS = ("name", "role", "password_hash", "created_at", "created_by")


def copy_kb(src, dst, progress: Callable[[str], None] | None = None, embed: bool = True) -> dict:
    """Copy the store `src` into `dst` (a server KB, empty or not: a document of the same id is replaced).
    Returns counts of what was copied."""
    say = progress or (lambda msg: None)
    if not dst.server:
        raise StoreError("migrate copies an embedded knowledge base into a server one (--to postgresql://...)")
    docs = src.documents(copies=True)
    say(f"copying {len(docs)} documents")
    for n, d in enumerate(docs, 1):
        records = {kind: src.records(kind, d["id"], corrected=False) for kind in RECORD_KINDS}
        dst.put_document({f: d.get(f) for f in DOC_FIELDS}, src.blocks(d["id"]), records)
        if n % 100 == 0:
            say(f"  {n}/{len(docs)} documents")
    corrections = _copy_rows(src, dst, "corrections", CORRECTION_FIELDS)
    users = _copy_rows(src, dst, "users", USER_FIELDS, key="name")
    out = {"documents": len(docs), "corrections": corrections, "users": users}
    if embed:
        from kb.search import sync

        say("vectors: reusing the embedded KB's, embedding only passages whose text is new")
        done = sync(dst, progress=say, known=_vectors_by_hash(src))
        out.update(passages=done["chunks"], vectors_added=done["added"], embedded=done["embedded"])
    return out


def _copy_rows(src, dst, table: str, fields: tuple[str, ...], key: str = "id") -> int:
    """Rows of `table` copied as they are (ids kept); a row already there (by `key`) is left alone."""
    rows = [tuple(r[f] for f in fields) for r in src.db.execute(f"SELECT * FROM {table} ORDER BY {key}")]
    cols = ", ".join(f'"{f}"' for f in fields)
    with dst.transaction() as db:
        db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({','.join('?' * len(fields))})"
                       f" ON CONFLICT ({key}) DO NOTHING", rows)
        if key == "id":  # the server's own numbering continues after the copied ids
            db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false)"
                       f" FROM {table}")
    return len(rows)


def _vectors_by_hash(src) -> dict:
    """{hash of embedded text: vector} of the embedded KB: its numpy copy, else its chromadb store."""
    import numpy as np

    from kb.search.index import _load_cache, chroma_collection, has_vectors

    cache = _load_cache(src.home)
    if cache is not None:
        _, mat, hashes = cache
        return {h: np.asarray(mat[i], dtype=np.float32) for i, h in enumerate(hashes)}
    if not has_vectors(src):
        return {}
    _, col = chroma_collection(src)
    out = {}
    got = col.get(include=["embeddings"])
    for vid, vec in zip(got["ids"], got["embeddings"]):
        out[vid.split(":", 1)[1]] = np.asarray(vec, dtype=np.float32)
    return out
