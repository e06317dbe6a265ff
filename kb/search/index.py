"""The dense index: chromadb (the vector store of record, `<kb>/chroma`) plus a numpy copy of
the same vectors (`<kb>/vectors.npy`) that queries read without importing chromadb (~1.2 s).

`sync(store)` runs after ingest has committed (no SQLite write lock is held while embedding):
it chunks documents that have no chunks yet, embeds chunks that have no vector, reuses the
vector of any chunk whose embedded text (hash) was seen before, and removes vectors of chunks
no longer in SQLite, from chromadb and from the numpy copy alike.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

COLLECTION = "chunks"
CACHE_VECTORS = "vectors.npy"
CACHE_IDS = "vectors-ids.npy"
CACHE_META = "vectors.json"


def vector_id(chunk_id: int, chash: str) -> str:
    return f"{chunk_id}:{chash}"


def date_number(date: str | None, high: bool = False) -> int | None:
    """"2021-03-16" -> 20210316; "2021-03" -> 20210300 (or 20210399 when `high`)."""
    if not date:
        return None
    parts = ([*date.split("-"), "", ""])[:3]
    try:
        y = int(parts[0])
        m = int(parts[1]) if parts[1] else (99 if high else 0)
        d = int(parts[2]) if parts[2] else (99 if high else 0)
    except ValueError:
        return None
    return y * 10000 + m * 100 + d


def chroma_collection(where):
    """chromadb's client and the KB's collection: `where` is a KB folder (`<kb>/chroma`, embedded) or a
    store; a server KB's (kb/pg.py) is in the Chroma server it names, one collection per database."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if getattr(where, "server", False):
        from kb.pg import chroma_client, collection_name

        client, name = chroma_client(where), collection_name(where)
    else:
        import chromadb
        from chromadb.config import Settings

        home = where if isinstance(where, (str, Path)) else where.home
        client = chromadb.PersistentClient(path=str(Path(home) / "chroma"),
                                           settings=Settings(anonymized_telemetry=False, allow_reset=False))
        name = COLLECTION
    col = client.get_or_create_collection(name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    return client, col


def has_vectors(store) -> bool:
    """Whether the KB has a vector store to read (a server KB: a Chroma server named)."""
    if store.server:
        return bool(store.vectors_url)
    return (Path(store.home) / "chroma").exists()


def forget_clients() -> None:
    """Drop chromadb's per-process cache of clients: one that failed on a damaged store stays broken,
    and a store moved aside and made anew at the same path would get it back."""
    from chromadb.api.client import SharedSystemClient

    from kb.pg import forget_chroma_clients

    SharedSystemClient.clear_system_cache()
    forget_chroma_clients()


def _open_vectors(store):
    """chromadb's client, collection and the ids it holds; StoreError saying what to do when the vector
    store cannot be read (it is derivable: `check --repair` rebuilds it)."""
    from kb.store import StoreError

    home = store.location()
    try:
        client, col = chroma_collection(store)
        existing: set[str] = set()
        total = col.count()
        for off in range(0, total, 10000):
            existing.update(col.get(include=[], limit=10000, offset=off)["ids"])
    except Exception as e:  # chromadb's own failure on a damaged store, of whatever class
        if _is_full(e):
            raise _write_error(home, e, "open") from None
        where = store.vectors_url if store.server else Path(home) / "chroma"
        raise StoreError(f"the vector store ({where}) cannot be read ({type(e).__name__}: "
                         f"{str(e)[:200]}); the documents are stored: run `scrutiny check --repair` to rebuild "
                         "it from kb.sqlite") from None
    return client, col, existing


def _batches(seq: list, n: int):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def backfill(store) -> int:
    """Cut the passages of documents stored without them, or by an older chunker; returns how many."""
    from kb.search.chunking import CHUNKER, passages
    from kb.store import write_passages

    ids = [r[0] for r in store.db.execute(
        "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id)"
        " OR EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id AND c.chunker != ?)", (CHUNKER,))]
    ids = [i for i in ids if store.db.execute("SELECT 1 FROM blocks WHERE doc_id = ? LIMIT 1", (i,)).fetchone()]
    for doc_id in ids:
        with store.transaction() as db:
            row = db.execute("SELECT id, format, authority, committee, kind, meeting_date FROM documents"
                             " WHERE id = ?", (doc_id,)).fetchone()
            if row is not None:
                write_passages(db, dict(row), passages(store.blocks(doc_id), row["format"]))
    return len(ids)


def sync(store, device: str = "cpu", progress: Callable[[str], None] | None = None,
         embedder=None, batch_size: int = 64, on_count: Callable[[int, int], None] | None = None,
         known: dict[str, np.ndarray] | None = None) -> dict:
    """Bring chromadb and the numpy copy in step with the chunks table. Returns counts. A vector store
    that cannot be read or written (a full disk) raises kb.store.StoreError saying what to do; the
    documents in SQLite are never touched by it. `on_count(done, total)` follows the embedding. `known`:
    vectors already computed, by the hash of their text (`scrutiny migrate` brings an embedded KB's)."""
    given = known or {}
    say = progress or (lambda msg: None)
    started = time.perf_counter()
    rechunked = backfill(store)
    home = store.home
    rows = store.db.execute(
        "SELECT c.id, c.hash, c.section, c.text, c.doc_id, d.authority, d.committee, d.kind, d.meeting_date"
        " FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id").fetchall()
    wanted = {vector_id(r["id"], r["hash"]): r for r in rows}
    client, col, existing = _open_vectors(store)
    missing = [vid for vid in wanted if vid not in existing]
    stale = [vid for vid in existing if vid not in wanted]
    cache = None if store.server else _load_cache(home)  # a server KB keeps no copy on this machine
    errors = (OSError, *_chroma_errors())
    try:
        known = _known_vectors(col, wanted, missing, stale, cache)
    except errors as e:
        raise _write_error(home, e, "read") from None
    for v in missing:
        h = wanted[v]["hash"]
        if h not in known and h in given:
            known[h] = given[h]
    to_embed = list(dict.fromkeys(wanted[v]["hash"] for v in missing if wanted[v]["hash"] not in known))
    if to_embed:
        from kb.search.embed import get_embedder

        emb = embedder or get_embedder(home, device)
        say(f"embedding {len(to_embed)} passages ({emb.backend}, {device})")
        from kb.search.chunking import model_text

        text_of = {}
        for v in missing:
            text_of.setdefault(wanted[v]["hash"], model_text(wanted[v]))
        done = 0
        on_count and on_count(done, len(to_embed))
        for part in _batches(to_embed, batch_size):  # a batch at a time: the count moves as it goes
            known.update(zip(part, emb.embed([text_of[h] for h in part], batch_size=batch_size)))
            done += len(part)
            on_count and on_count(done, len(to_embed))
    try:
        _write_vectors(client, col, wanted, missing, stale, known)
        if not store.server:
            _write_copy(home, col, wanted, missing, stale, known, cache)
    except errors as e:  # chromadb's or the file system's: a full disk above all
        raise _write_error(home, e) from None
    return {"chunks": len(rows), "rechunked_documents": rechunked, "added": len(missing), "embedded": len(to_embed),
            "removed": len(stale), "seconds": round(time.perf_counter() - started, 2)}


def _chroma_errors() -> tuple[type[BaseException], ...]:
    from chromadb.errors import ChromaError

    return (ChromaError,)


def _is_full(e: BaseException) -> bool:
    """A failure for want of space: ENOSPC, a file-size limit or quota, or SQLite's (chromadb's) "disk is full"."""
    import errno

    return (getattr(e, "errno", None) in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
            or "disk is full" in str(e).lower() or "no space left" in str(e).lower())


def _write_error(home: Path, e: BaseException, doing: str = "write"):
    """StoreError (StoreFull for want of space) for a failure to write (or read) the vector store or its copy."""
    from kb.store import StoreError, StoreFull

    full = _is_full(e)
    what = f"no space left to {doing}" if full else f"could not {doing}"
    return (StoreFull if full else StoreError)(
        f"{what} the search index of \"{home}\" ({type(e).__name__}: {str(e)[:200]}); the documents are stored "
        "whole: " + ("free some space, then " if full else "") + "run `scrutiny check --repair` to rebuild it")


def _known_vectors(col, wanted: dict, missing: list[str], stale: list[str], cache) -> dict[str, np.ndarray]:
    """Vectors of the missing chunks already known by their text's hash: from the numpy copy, else
    from chromadb's stale rows (a chunk re-cut with the same text keeps its vector)."""
    known: dict[str, np.ndarray] = {}
    if not missing:
        return known
    need = {wanted[v]["hash"] for v in missing}
    if cache is not None:
        _, mat, hashes = cache
        for i, h in enumerate(hashes):
            if h in need:
                known[h] = mat[i]
    rest = [v for v in stale if v.split(":", 1)[1] in need and v.split(":", 1)[1] not in known]
    for part in _batches(rest, 1000):
        got = col.get(ids=part, include=["embeddings"])
        for vid, vec in zip(got["ids"], got["embeddings"]):
            known[vid.split(":", 1)[1]] = np.asarray(vec, dtype=np.float32)
    return known


def _write_vectors(client, col, wanted: dict, missing: list[str], stale: list[str], known: dict) -> None:
    from kb.search.embed import MODEL_NAME

    maxb = max(1, min(client.get_max_batch_size(), 5000))
    for part in _batches(missing, maxb):
        metas = []
        for v in part:
            r = wanted[v]
            m = {"chunk_id": r["id"], "doc_id": r["doc_id"], "hash": r["hash"], "model": MODEL_NAME}
            for k in ("authority", "committee", "kind"):
                if r[k]:
                    m[k] = r[k]
            dn = date_number(r["meeting_date"])
            if dn is not None:
                m["date"] = dn
            metas.append(m)
        col.add(ids=part, embeddings=np.stack([known[wanted[v]["hash"]] for v in part]), metadatas=metas)
    for part in _batches(stale, maxb):
        col.delete(ids=part)


def _write_copy(home: Path, col, wanted: dict, missing: list[str], stale: list[str], known: dict, cache) -> None:
    """The numpy copy: every current chunk that has a vector, ordered by chunk id."""
    vecs: dict[int, np.ndarray] = {}
    if cache is not None:
        ids, mat, hashes = cache
        pos = {int(i): k for k, i in enumerate(ids)}
        for r in wanted.values():
            k = pos.get(r["id"])
            if k is not None and hashes[k] == r["hash"]:
                vecs[r["id"]] = mat[k]
    for v in missing:
        vecs[wanted[v]["id"]] = known[wanted[v]["hash"]]
    lacking = [v for v, r in wanted.items() if r["id"] not in vecs]
    for part in _batches(lacking, 1000):  # the copy was missing or behind: read them from chromadb
        got = col.get(ids=part, include=["embeddings"])
        for vid, vec in zip(got["ids"], got["embeddings"]):
            vecs[int(vid.split(":", 1)[0])] = np.asarray(vec, dtype=np.float32)
    hash_by_id = {r["id"]: r["hash"] for r in wanted.values()}
    if missing or stale or lacking or cache is None or len(cache[0]) != len(vecs):
        order = sorted(vecs)
        _save_cache(home, np.asarray(order, dtype=np.int64),
                    np.stack([vecs[i] for i in order]).astype(np.float32) if order else np.zeros((0, 384), np.float32),
                    [hash_by_id[i] for i in order])


def _load_cache(home: Path):
    home = Path(home)
    try:
        meta = json.loads((home / CACHE_META).read_text())
        from kb.search.embed import MODEL_NAME

        if meta.get("model") != MODEL_NAME:
            return None
        ids = np.load(home / CACHE_IDS)
        mat = np.load(home / CACHE_VECTORS, mmap_mode="r")
        hashes = meta["hashes"]
        if ids.ndim != 1 or mat.ndim != 2 or len(ids) != mat.shape[0] or len(hashes) != len(ids):
            return None
        return ids, mat, hashes
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


def _save_cache(home: Path, ids: np.ndarray, mat: np.ndarray, hashes: list[str]) -> None:
    from kb.search.embed import MODEL_NAME

    home = Path(home)
    meta = json.dumps({"model": MODEL_NAME, "count": len(ids), "hashes": hashes}).encode()
    for name, write in ((CACHE_VECTORS, lambda fh: np.save(fh, mat)), (CACHE_IDS, lambda fh: np.save(fh, ids)),
                        (CACHE_META, lambda fh: fh.write(meta))):
        tmp = home / f".{name}.part"
        try:
            with open(tmp, "wb") as fh:
                write(fh)
            tmp.replace(home / name)
        except OSError:
            tmp.unlink(missing_ok=True)  # a part written on a full disk would hold the space it took
            raise


class VectorCache:
    """The numpy copy, memory-mapped; `search(q, chunk_ids=None, k)` -> [(chunk_id, cosine)]."""

    def __init__(self, home: Path):
        home = Path(home)
        self.ids = np.load(home / CACHE_IDS)
        self.mat = np.load(home / CACHE_VECTORS, mmap_mode="r")

    @classmethod
    def open(cls, home: Path) -> VectorCache | None:
        """The copy, or None where it is missing or cannot be read (then `check` says so and `--repair`
        rewrites it; searches rank by keywords meanwhile)."""
        home = Path(home)
        if not (home / CACHE_IDS).exists() or not (home / CACHE_VECTORS).exists():
            return None
        try:
            c = cls(home)
            return c if c.ids.ndim == 1 and c.mat.ndim == 2 and len(c.ids) == c.mat.shape[0] else None
        except (OSError, ValueError, EOFError):
            return None

    def search(self, q: np.ndarray, k: int, chunk_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        if len(self.ids) == 0:
            return []
        if chunk_ids is None:
            scores = np.asarray(self.mat @ q)
            ids = self.ids
        else:
            pos = np.clip(np.searchsorted(self.ids, chunk_ids), 0, len(self.ids) - 1)
            pos = pos[self.ids[pos] == chunk_ids]
            if len(pos) == 0:
                return []
            scores = np.asarray(self.mat[pos] @ q)
            ids = self.ids[pos]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]
