"""Search on a server KB (kb/pg.py): the keyword ranking and the vectors read from the Chroma server.

The keyword ranking: PostgreSQL full-text search over the chunks' generated
`tsvector` (GIN index; english stemming), scored as BM25 scores: each query term's idf (from its document
frequency, counted through the index and remembered until the database changes) times its saturating
frequency in the passage (`ts_rank` with the text weighing 1.0 and the heading path 0.6, normalised by the
passage's length). All the terms first (AND), then any (OR; the rarest, as engine.or_terms chooses them) to
fill up the list, as engine.bm25 does; in a large KB a query ranks at most RANK_ROWS of its matches.

Measured on bench/search_quality.py against ts_rank_cd alone (no idf): BM25 alone Recall@5 0.37 -> see the
README's "Server mode" for the figures kept."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from kb.search import engine
from kb.search.engine import BM25_HEADING_WEIGHT, BM25_TEXT_WEIGHT

# A query ranks at most this many matching passages (the first PostgreSQL finds, in the table's order) where its
# terms' document frequencies say it could match more: ts_rank reads each match's tsvector (~20-50 us a passage
# on the 2-core bench machine), so a query of common words ranked every match in 0.4-2 s at 100,000 passages
# (bench/scale.py --search). Below it (every query in a KB of a few thousand passages) all matches are ranked.
# Only in a KB of RANK_MIN_CHUNKS passages or more: below it ranking every match is cheap enough and exact (the
# quality bench's KBs are far smaller).
RANK_ROWS, RANK_MIN_CHUNKS = 2000, 20_000
WEIGHTS = f"'{{0, 0, {BM25_HEADING_WEIGHT}, {BM25_TEXT_WEIGHT}}}'"  # ts_rank's {D, C, B, A}: heading B, text A
NORMALISE = 1  # ts_rank divides by 1 + log(the passage's length)


STALE_SHARE = 0.01  # document frequencies are kept until this share of the passages has been added or removed


def _moved(db) -> int | None:
    """Passages inserted and deleted in all (PostgreSQL's statistics of the chunks table; None without them)."""
    row = db.execute("SELECT n_tup_ins + n_tup_del FROM pg_stat_user_tables WHERE relid = 'chunks'::regclass"
                     ).fetchone()
    return row[0] if row else None


class _Stats:
    """Lexemes of terms and their document frequencies, remembered while the database is unchanged."""

    def __init__(self):
        self.stamp = None
        self.moved: int | None = None
        self.n = 0
        self.df: dict[str, int] = {}
        self.lexemes: dict[str, str] = {}

    def check(self, db) -> None:
        """Count again after a change to the database; in a large KB only once the passages added or removed since
        the last count are STALE_SHARE of them: any write moves the WAL (an ingest elsewhere, a page pruned on
        reading), and counting the terms of a query of common words again took 1-2 s at 100,000 passages."""
        from kb.search.engine import PRUNE_MIN_CHUNKS

        stamp = db.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0]
        if stamp == self.stamp:
            return
        moved = _moved(db)
        if (self.n >= PRUNE_MIN_CHUNKS and moved is not None and self.moved is not None
                and abs(moved - self.moved) < STALE_SHARE * self.n):
            self.stamp = stamp
            return
        self.stamp, self.df, self.moved = stamp, {}, moved
        self.n = db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def lexeme(self, db, term: str) -> str:
        """The tsquery PostgreSQL makes of one term ('' for a word its english configuration drops)."""
        if term not in self.lexemes:
            self.lexemes[term] = db.execute("SELECT plainto_tsquery('english', ?)::text", (term,)).fetchone()[0]
        return self.lexemes[term]

    def idf(self, db, q: str) -> float:
        if q not in self.df:
            self.df[q] = db.execute("SELECT count(*) FROM chunks WHERE tsv @@ ?::tsquery", (q,)).fetchone()[0]
        df = self.df[q]
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


_stats: dict[int, _Stats] = {}


def or_terms(qs: list[str], st: _Stats) -> list[str]:
    """The terms the OR query matches on, as engine.or_terms chooses them for FTS5: all of them in a small KB; in
    a large one, rarest first while their document frequencies add up to at most OR_BUDGET of the passages (the
    KEEP_TERMS rarest always). The OR query's cost is ranking every passage it matches (ts_rank reads each one's
    tsvector); a common term left out of the match still counts in the score of the passages that hold it."""
    from kb.search.engine import KEEP_TERMS, OR_BUDGET, PRUNE_MIN_CHUNKS

    if len(qs) <= KEEP_TERMS or st.n < PRUNE_MIN_CHUNKS:
        return qs
    keep, total = set(), 0
    for i, q in enumerate(sorted(qs, key=lambda q: st.df[q])):
        if i < KEEP_TERMS or total + st.df[q] <= OR_BUDGET * st.n:
            keep.add(q)
            total += st.df[q]
        else:
            break
    return [q for q in qs if q in keep]


def keyword(db, terms: list[str], where: str, args: list, k: int) -> list[tuple[int, float]]:
    """[(chunk id, score)] best first; `where` filters columns of chunks `c` (engine._filter_sql)."""
    st = _stats.setdefault(id(db.conn), _Stats())
    st.check(db)
    qs = list(dict.fromkeys(q for q in (st.lexeme(db, t) for t in terms) if q))
    if not qs:
        return []
    idfs = [st.idf(db, q) for q in qs]
    score = " + ".join(f"{idf!r} * ts_rank({WEIGHTS}, c.tsv, ?::tsquery, {NORMALISE})" for idf in idfs)
    out: dict[int, float] = {}
    for op in (["&", "|"] if len(qs) > 1 else ["|"]):
        these = qs if op == "&" else or_terms(qs, st)
        match = f" {op} ".join(f"({q})" for q in these)
        dfs = [st.df[q] for q in these]
        most = min(dfs) if op == "&" else sum(dfs)  # the most passages the query can match
        if most <= RANK_ROWS or st.n < RANK_MIN_CHUNKS:
            sql = (f"SELECT c.id, {score} AS s FROM chunks c WHERE c.tsv @@ ?::tsquery" + where +
                   " ORDER BY s DESC, c.id LIMIT ?")
            params = [*qs, match, *args, k]
        else:  # rank the first RANK_ROWS matches found (in the table's order), not every one
            sql = (f"SELECT c.id, {score} AS s FROM (SELECT c.id, c.tsv FROM chunks c WHERE c.tsv @@ ?::tsquery"
                   + where + " LIMIT ?) c ORDER BY s DESC, c.id LIMIT ?")
            params = [*qs, match, *args, RANK_ROWS, k]
        for cid, s in db.execute(sql, params):
            out.setdefault(cid, float(s))
        if len(out) >= k:
            break
    return sorted(out.items(), key=lambda x: (-x[1], x[0]))[:k]


POSTFILTER_SHARE = 0.05  # a server search whose filter passes at least this share of the documents...
POSTFILTER_MAX = 4000  # ...asks the Chroma server for up to this many nearest vectors, unfiltered, and filters them


def chroma_query(store, q: np.ndarray, doc_ids: list[str] | None, k: int,
                  n_results: int | None = None) -> list[tuple[int, float]]:
    """[(chunk id, cosine)] of chromadb's 2k (or `n_results`) nearest vectors to `q` among `doc_ids`' (None: all).
    No use of the store's database connection: a server search runs this in a second thread while PostgreSQL
    ranks."""
    from kb.search.index import chroma_collection

    if doc_ids is not None and not doc_ids:
        return []
    _, col = chroma_collection(store)
    flt = {"doc_id": {"$in": doc_ids}} if doc_ids is not None else None
    # no col.count() first (it took ~90 ms at 910,000 vectors): a query asking for more than there are gets fewer
    res = col.query(query_embeddings=[q], n_results=n_results or k * 2, where=flt, include=["distances"])
    return [(int(v.split(":", 1)[0]), 1.0 - float(d)) for v, d in zip(res["ids"][0], res["distances"][0])]


def _postfilter_size(db, doc_ids: list[str] | None, k: int) -> int | None:
    """How many nearest vectors to ask the Chroma server for, unfiltered, so that about 2k of them pass a filter
    that lets `doc_ids` through; None where the filter is better given to Chroma (no filter, or one so narrow
    that too many vectors would be needed). Chroma's filtered search reads the filter's rows of its metadata
    for every query: 180-450 ms at 100,000 vectors for a filter passing a quarter of them (bench/scale.py
    --search), against ~10 ms for 400 nearest vectors unfiltered."""
    if doc_ids is None:
        return None
    share = len(doc_ids) / max(1, db.execute("SELECT count(*) FROM documents").fetchone()[0])
    if share < POSTFILTER_SHARE:
        return None
    return min(POSTFILTER_MAX, max(2 * k, int(4 * k / share)))


def hybrid_lists(store, query: str, filters: dict, where: str, args: list, k: int) -> list[list[tuple[int, float]]]:
    """[keyword list, dense list] of a hybrid search on a server KB: the query's embedding and the Chroma server's
    search run in a second thread while PostgreSQL ranks by keywords in this one (the database connection is used
    from this thread only)."""
    from kb.search.embed import get_embedder

    db = store.db
    doc_ids = engine.filter_docs(db, filters)
    post = _postfilter_size(db, doc_ids, k)
    emb = get_embedder(Path(store.home))

    def _dense_side():
        q = emb.embed([query])[0]
        return q, chroma_query(store, q, None if post else doc_ids, k, post)

    fut = engine._pool().submit(_dense_side)
    b = engine._bm25_list(db, query, where, args, k)
    q, hits = fut.result()
    d = engine._live(db, hits, k, where if post else "", args if post else [])
    if post and len(d) < k and len(hits) >= post:  # too few passed the filter: ask Chroma with the filter
        d = engine._live(db, chroma_query(store, q, doc_ids, k), k)
    return [b, d]


class ServerVectors:
    """A server KB's vectors as the tracker's closeness reads them (`scores_of`), fetched from the
    Chroma server by chunk id, a few at a time, and remembered for the life of this object."""

    def __init__(self, store):
        from kb.search.index import chroma_collection

        _, self.col = chroma_collection(store)
        self.size = self.col.count()
        self.vecs: dict[int, np.ndarray | None] = {}

    def scores_of(self, q: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        need = [c for c in chunk_ids if c not in self.vecs]
        if need:
            got = self.col.get(where={"chunk_id": {"$in": need}}, include=["embeddings"])
            for vid, vec in zip(got["ids"], got["embeddings"]):
                self.vecs[int(vid.split(":", 1)[0])] = np.asarray(vec, dtype=np.float32)
            for c in need:
                self.vecs.setdefault(c, None)
        return {c: float(self.vecs[c] @ q) for c in chunk_ids if self.vecs.get(c) is not None}


def vector_reader(store):
    """What reads the stored vectors chunk by chunk: the in-memory copy (embedded KB) or the Chroma
    server (server KB); None without vectors."""
    if not store.server:
        from kb.search.engine import dense_index

        return dense_index(store)
    from kb.search.index import has_vectors

    return ServerVectors(store) if has_vectors(store) else None
