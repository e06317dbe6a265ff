"""Hybrid search over the chunks: BM25 (SQLite FTS5) and dense vectors (MiniLM), fused by
reciprocal rank (or a weighted score), then diversified so that one document does not fill
the page. Filters (authority, committee, kind, since, until) are applied inside both indexes,
before either list is cut."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np

MODES = ("hybrid", "bm25", "dense")
FUSIONS = ("rrf", "weighted")
RRF_K = 60
CANDIDATES = 50  # per index, before fusion
PER_DOC = 3  # at most this many hits of one document before hits of other documents
DENSE_WEIGHT = 0.5  # the weighted fusion's share for the dense score

STOPWORDS = frozenset("""a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
yours many much""".split())
WORD_RE = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)


class SearchError(Exception):
    pass


def query_terms(query: str) -> list[str]:
    """The words of `query` that the keyword index is asked for (stopwords dropped)."""
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(query)]
    words = [w.split("'")[0] if w.endswith(("'s", "'")) else w for w in words]
    terms = [w for w in dict.fromkeys(words) if w not in STOPWORDS and w.strip("_")]
    return terms or [w for w in dict.fromkeys(words) if w.strip("_")]


def resolve_authorities(db: sqlite3.Connection, names: list[str]) -> list[str]:
    """Stored authority names for what the user typed: the exact name, the gazetteer's answer
    ("Blackpool" -> "Blackpool Council") where ingest.gazetteer exists, else a unique prefix match."""
    stored = [r[0] for r in db.execute("SELECT DISTINCT authority FROM documents WHERE authority IS NOT NULL")]
    lower = {s.lower(): s for s in stored}
    out = []
    for name in names:
        if name in stored:
            out.append(name)
            continue
        if name.lower() in lower:
            out.append(lower[name.lower()])
            continue
        try:
            from ingest.gazetteer import resolve_authority  # written by the metadata work; optional
        except ImportError:
            resolve_authority = None
        if resolve_authority is not None:
            try:
                got = resolve_authority(name)
            except Exception:  # noqa: BLE001 - an optional helper; fall back to our own matching
                got = None
            got = getattr(got, "name", got)
            if isinstance(got, str) and got in stored:
                out.append(got)
                continue
        cands = [s for s in stored if s.lower().startswith(name.lower())] or \
                [s for s in stored if name.lower() in s.lower()]
        if len(cands) == 1:
            out.append(cands[0])
            continue
        hint = f'; did you mean "{cands[0]}"?' if cands else ""
        raise SearchError(f'no authority matches "{name}"{hint}')
    return out


def _filter_sql(authority, committee, kind, since, until) -> tuple[str, list]:
    """A WHERE fragment over documents `d`, with the same meaning as SQLiteStore.documents."""
    sql, args = "", []
    if authority:
        sql += f" AND d.authority IN ({','.join('?' * len(authority))})"
        args += list(authority)
    if committee:
        sql += " AND d.committee LIKE ?"
        args.append(f"%{committee}%")
    if kind:
        sql += " AND d.kind = ?"
        args.append(kind)
    if since:
        sql += " AND d.meeting_date >= ?"
        args.append(since)
    if until:
        sql += " AND substr(d.meeting_date, 1, ?) <= ?"
        args += [len(until), until]
    return sql, args


def fts_query(terms: list[str], op: str = "OR") -> str:
    return f" {op} ".join('"' + t.replace('"', '""') + '"' for t in terms)


def bm25(db: sqlite3.Connection, query: str, where: str = "", args: list | None = None,
         k: int = CANDIDATES) -> list[tuple[int, float]]:
    """[(chunk id, score)] best first; score = -bm25 (higher is better). Each query term is a
    plain token (no prefixes); stopwords are dropped. Several terms: all of them first (AND, cheap
    and precise), then any of them (OR) to fill up the list."""
    terms = query_terms(query)
    if not terms:
        return []
    args = args or []
    base = ("SELECT f.rowid, -bm25(chunks_fts, 1.0, 0.6) AS s FROM chunks_fts f"
            + (" JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc_id" if where else "")
            + " WHERE chunks_fts MATCH ?" + where + " ORDER BY rank LIMIT ?")
    out: dict[int, float] = {}
    if len(terms) > 1:
        for cid, s in db.execute(base, [fts_query(terms, "AND"), *args, k]):
            out[cid] = s
    if len(out) < k:
        bonus = max(out.values(), default=0.0)
        for cid, s in db.execute(base, [fts_query(terms, "OR"), *args, k]):
            if cid not in out:
                out[cid] = s - bonus if False else s
    return sorted(out.items(), key=lambda x: -x[1])[:k]


_vector_caches: dict = {}


def dense(store, query: str, where: str = "", args: list | None = None, k: int = CANDIDATES,
          backend: str = "auto") -> list[tuple[int, float]]:
    """[(chunk id, cosine)] best first, from the numpy copy of the vectors (or chromadb itself
    when there is no copy, or `backend="chroma"`), restricted to the filtered chunks."""
    from kb.search.embed import get_embedder
    from kb.search.index import VectorCache

    home = Path(store.home)
    emb = get_embedder(home)
    q = emb.embed([query])[0]
    cache = None
    if backend in ("auto", "numpy"):
        key = str(home)
        stamp = _stamp(home)
        if key not in _vector_caches or _vector_caches[key][0] != stamp:
            _vector_caches[key] = (stamp, VectorCache.open(home))
        cache = _vector_caches[key][1]
    if cache is not None:
        ids = None
        if where:
            ids = np.fromiter((r[0] for r in store.db.execute(
                "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE 1=1" + where + " ORDER BY c.id",
                args or [])), dtype=np.int64)
        hits = cache.search(q, k * 2, ids)
    else:
        if not (home / "chroma").exists():
            return []
        from kb.search.index import chroma_collection

        _, col = chroma_collection(home)
        flt = None
        if where:
            doc_ids = [r[0] for r in store.db.execute("SELECT d.id FROM documents d WHERE 1=1" + where, args or [])]
            if not doc_ids:
                return []
            flt = {"doc_id": {"$in": doc_ids}}
        n = col.count()
        if n == 0:
            return []
        res = col.query(query_embeddings=[q], n_results=min(k * 2, n), where=flt, include=["distances"])
        hits = [(int(v.split(":", 1)[0]), 1.0 - float(d)) for v, d in zip(res["ids"][0], res["distances"][0])]
    # drop vectors of chunks that are gone (the copy may be behind SQLite until the next sync)
    if hits:
        live = {r[0] for r in store.db.execute(
            f"SELECT id FROM chunks WHERE id IN ({','.join('?' * len(hits))})", [h[0] for h in hits])}
        hits = [h for h in hits if h[0] in live]
    return hits[:k]


def _stamp(home: Path):
    try:
        return (home / "vectors-ids.npy").stat().st_mtime_ns
    except OSError:
        return None


def fuse(lists: list[list[tuple[int, float]]], method: str = "rrf",
         weights: list[float] | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion (sum of 1/(60 + rank)) or a weighted sum of max-normalised scores."""
    weights = weights or [1.0] * len(lists)
    total: dict[int, float] = {}
    for lst, w in zip(lists, weights):
        if not lst:
            continue
        if method == "rrf":
            for rank, (cid, _) in enumerate(lst, 1):
                total[cid] = total.get(cid, 0.0) + w / (RRF_K + rank)
        else:
            top = max(s for _, s in lst)
            low = min(s for _, s in lst)
            span = (top - low) or 1.0
            for cid, s in lst:
                total[cid] = total.get(cid, 0.0) + w * (s - low) / span
    return sorted(total.items(), key=lambda x: -x[1])


def diversify(hits: list[tuple[int, float]], doc_of: dict[int, str], per_doc: int = PER_DOC) -> list[tuple[int, float]]:
    """At most `per_doc` hits of one document come before hits of other documents; the rest follow."""
    seen: dict[str, int] = {}
    first, later = [], []
    for h in hits:
        d = doc_of.get(h[0])
        seen[d] = seen.get(d, 0) + 1
        (first if seen[d] <= per_doc else later).append(h)
    return first + later


def search(store, query: str, *, authority=None, committee: str | None = None, kind: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 10, mode: str = "hybrid",
           fusion: str = "weighted", dense_weight: float = DENSE_WEIGHT, per_doc: int | None = PER_DOC, dense_backend: str = "auto") -> list[dict]:
    """Ranked passages for `query`. Hits: rank, score, document_id (= doc_id), source, authority,
    committee, meeting_date, title, kind, page, section, chunk_id, text."""
    if mode not in MODES:
        raise SearchError(f'unknown search mode "{mode}" (one of {", ".join(MODES)})')
    if isinstance(authority, str):
        authority = [authority]
    db = store.db
    if authority:
        authority = resolve_authorities(db, list(authority))
    where, args = _filter_sql(authority, committee, kind, since, until)
    k = max(CANDIDATES, limit * 3)
    lists = []
    if mode in ("hybrid", "bm25"):
        lists.append(bm25(db, query, where, args, k))
    if mode in ("hybrid", "dense"):
        lists.append(dense(store, query, where, args, k, backend=dense_backend))
    ranked = lists[0] if len(lists) == 1 else fuse(lists, fusion, [1.0 - dense_weight, dense_weight]
                                                    if fusion == "weighted" else None)
    if not ranked:
        return []
    ids = [cid for cid, _ in ranked]
    rows = {}
    for part in range(0, len(ids), 500):
        chunk_ids = ids[part:part + 500]
        for r in db.execute(
                "SELECT c.id AS chunk_id, c.doc_id, c.text, c.section, c.page, d.source, d.authority, d.committee,"
                " d.meeting_date, d.title, d.kind FROM chunks c JOIN documents d ON d.id = c.doc_id"
                f" WHERE c.id IN ({','.join('?' * len(chunk_ids))})", chunk_ids):
            rows[r["chunk_id"]] = dict(r)
    ranked = [h for h in ranked if h[0] in rows]
    if per_doc:
        ranked = diversify(ranked, {c: rows[c]["doc_id"] for c, _ in ranked}, per_doc)
    out = []
    for rank, (cid, score) in enumerate(ranked[:limit], 1):
        r = rows[cid]
        out.append({"rank": rank, "score": round(float(score), 6), "document_id": r["doc_id"],
                    "source": r["source"], "authority": r["authority"], "meeting_date": r["meeting_date"],
                    "page": r["page"], "text": r["text"], "committee": r["committee"], "title": r["title"],
                    "kind": r["kind"], "section": r["section"], "chunk_id": cid, "doc_id": r["doc_id"]})
    return out
