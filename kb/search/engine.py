"""Hybrid search over the chunks: BM25 (SQLite FTS5) and dense vectors (MiniLM), fused by a
weighted sum of min-max normalised scores (each keyword score scaled by the share of the query's
terms its passage holds; reciprocal rank fusion and z-scores are options), then diversified so that one document does not fill
the page. Filters (authority, committee, kind, since, until) are applied inside both indexes,
before either list is cut."""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import numpy as np

MODES = ("hybrid", "bm25", "dense")
FUSIONS = ("rrf", "weighted", "zscore")
RRF_K = 60
CANDIDATES = 50  # per index, before fusion
PER_DOC = 3  # at most this many hits of one document on the first page of results...
PAGE = 10  # ...of this many hits
DENSE_WEIGHT = 0.5  # the weighted fusion's share for the dense score
COORD_POWER = 0.5  # in fusion, a passage's keyword score is scaled by (share of the query's terms it holds) ** this
BM25_TEXT_WEIGHT, BM25_HEADING_WEIGHT = 1.0, 0.6  # BM25 column weights (also the FTS5 `rank`: migration m003)

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
    """Stored authority names for what the user typed ("Blackpool" -> "Blackpool Council")."""
    from ingest.gazetteer import UnknownAuthority, resolve_names

    stored = [r[0] for r in db.execute("SELECT DISTINCT authority FROM documents WHERE authority IS NOT NULL")]
    try:
        return resolve_names(names, stored)
    except UnknownAuthority as e:
        raise SearchError(str(e)) from None


def has_copies(db: sqlite3.Connection) -> bool:
    """Whether any paper is stored twice (kb/same_paper.py): only then do searches leave copies out."""
    return db.execute("SELECT 1 FROM documents WHERE same_as IS NOT NULL LIMIT 1").fetchone() is not None


def _filter_sql(authority, committee, kind, since, until, table: str = "chunks",
                copies: bool = False) -> tuple[str, list]:
    """A WHERE fragment with the same meaning as SQLiteStore.documents, over chunks `c` (whose
    authority, committee, doc_kind and meeting_date are copies of their document's: migration m003)
    or, with table="documents", over documents `d`."""
    c, kind_col = ("c", "doc_kind") if table == "chunks" else ("d", "kind")
    # a paper stored twice (kb/same_paper.py) is found once: its copies' passages are left out
    sql = "" if not copies else " AND d.same_as IS NULL" if table == "documents" else \
        " AND c.doc_id NOT IN (SELECT id FROM documents WHERE same_as IS NOT NULL)"
    args: list = []
    if authority:
        sql += f" AND {c}.authority IN ({','.join('?' * len(authority))})"
        args += list(authority)
    if committee:
        sql += f" AND {c}.committee LIKE ?"
        args.append(f"%{committee}%")
    if kind:
        sql += f" AND {c}.{kind_col} = ?"
        args.append(kind)
    if since:
        sql += f" AND {c}.meeting_date >= ?"
        args.append(since)
    if until:
        sql += f" AND substr({c}.meeting_date, 1, ?) <= ?"
        args += [len(until), until]
    return sql, args


def fts_query(terms: list[str], op: str = "OR") -> str:
    return f" {op} ".join('"' + t.replace('"', '""') + '"' for t in terms)


PRUNE_MIN_CHUNKS = 5000  # below this many chunks every OR query is cheap: nothing is pruned
OR_BUDGET = 0.15  # in larger KBs, the OR query's terms (rarest first) may together match at most this share of chunks
KEEP_TERMS = 2  # ...but the rarest terms are kept, at least this many


_stemmer_db: sqlite3.Connection | None = None


def stems(term: str) -> list[str]:
    """The index terms (porter stems) that FTS5 makes of `term`, through a scratch in-memory table
    with the same tokenizer (so that the KB's own connection sees no writes)."""
    global _stemmer_db
    if _stemmer_db is None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        db.execute("CREATE VIRTUAL TABLE q USING fts5(x, tokenize='porter unicode61')")
        db.execute("CREATE VIRTUAL TABLE qv USING fts5vocab(q, instance)")
        _stemmer_db = db
    db = _stemmer_db
    db.execute("INSERT INTO q(rowid, x) VALUES (1, ?)", (term,))
    try:
        return [r[0] for r in db.execute("SELECT term FROM qv ORDER BY offset")]
    finally:
        db.execute("DELETE FROM q")


_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    found = stems(word)
    return found[0] if found else word


def coordination(terms: list[str], texts: dict[int, str]) -> dict[int, float]:
    """{chunk id: share of `terms` its text holds}, a term counting when one of its index terms
    (porter stems, as FTS5 makes them) is among the text's: Lucene's classic coordination factor.
    Only words that begin like a query stem are stemmed (and remembered across calls)."""
    if not terms:
        return {c: 0.0 for c in texts}
    want = {t: set(stems(t)) for t in terms}
    heads = {st[:3] for ss in want.values() for st in ss}
    out = {}
    for cid, text in texts.items():
        got = {_stem(w) for w in set(_WORD_RE.findall(text.lower()))
               if w[:3] in heads or w[:2] in heads or w[:1] in heads}
        out[cid] = sum(1 for ss in want.values() if ss & got) / len(terms)
    return out


class _Vocab:
    """Document frequencies of index terms, looked up term by term through fts5vocab and
    remembered until the database changes (PRAGMA data_version or this connection's writes)."""

    def __init__(self, db: sqlite3.Connection):
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.kb_vocab USING fts5vocab(main, chunks_fts, row)")
        self.db = db
        self.stamp = None
        self.df: dict[str, int] = {}
        self.n = 0

    def _check(self, db) -> None:
        stamp = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
        if stamp != self.stamp:
            self.stamp, self.df = stamp, {}
            self.n = db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def doc_freq(self, db, term: str) -> int:
        """Chunks holding `term` (the most of its stems' counts, for a term that tokenises to several)."""
        self._check(db)
        if term not in self.df:
            n = 0
            for stem in stems(term):
                row = db.execute("SELECT doc FROM temp.kb_vocab WHERE term = ?", (stem,)).fetchone()
                n = max(n, row[0] if row else 0)
            self.df[term] = n
        return self.df[term]


_vocabs: dict[int, _Vocab] = {}


def or_terms(db: sqlite3.Connection, terms: list[str], prune: bool = True) -> list[str]:
    """The terms the OR query is run over: all of them in a small KB. In a large one the OR query's
    cost is the rows it must score, about the sum of its terms' document frequencies; terms are
    taken rarest first while that sum stays within OR_BUDGET of all chunks (at least the
    KEEP_TERMS rarest are taken). What is left out is the commonest terms, whose idf adds least to
    BM25; the AND query, run first, still has every term."""
    if not prune or len(terms) <= KEEP_TERMS:
        return terms
    voc = _vocabs.get(id(db))
    if voc is None or voc.db is not db:
        voc = _vocabs[id(db)] = _Vocab(db)
    voc._check(db)
    if voc.n < PRUNE_MIN_CHUNKS:
        return terms
    df = {t: voc.doc_freq(db, t) for t in terms}
    keep, total = set(), 0
    for i, t in enumerate(sorted(terms, key=lambda t: df[t])):
        if i < KEEP_TERMS or total + df[t] <= OR_BUDGET * voc.n:
            keep.add(t)
            total += df[t]
        else:
            break
    return [t for t in terms if t in keep]


def bm25(db: sqlite3.Connection, query: str, where: str = "", args: list | None = None,
         k: int = CANDIDATES, prune: bool = True) -> list[tuple[int, float]]:
    """[(chunk id, score)] best first; score = -bm25 (higher is better; text weighs 1.0, the heading
    path 0.6). Each query term is a plain token (no prefixes); stopwords are dropped. Several terms:
    all of them first (AND, cheap and precise), then any of them (OR, see `or_terms`) to fill up
    the list. Filters are columns of `chunks` itself (no join to documents)."""
    terms = query_terms(query)
    if not terms:
        return []
    args = args or []
    if getattr(db, "dialect", "sqlite") == "postgresql":  # a server KB: PostgreSQL's full-text search
        from kb.search.server import keyword

        return keyword(db, terms, where, args, k)
    # bm25() called with its weights, not the table's configured `rank` (same weights, same order):
    # FTS5 evaluates the configured rank about 1.5 times slower per matching row.
    score = f"bm25(chunks_fts, {BM25_TEXT_WEIGHT}, {BM25_HEADING_WEIGHT})"
    if where:
        base = (f"SELECT f.rowid, {score} AS s FROM chunks_fts f JOIN chunks c ON c.id = f.rowid"
                " WHERE chunks_fts MATCH ?" + where + " ORDER BY s, f.rowid LIMIT ?")
    else:  # ties (the same passage in two documents) by rowid: the same list whatever the LIMIT
        base = f"SELECT rowid, {score} AS s FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY s, rowid LIMIT ?"
    out: dict[int, float] = {}
    if len(terms) > 1:
        for cid, s in db.execute(base, [fts_query(terms, "AND"), *args, k]):
            out[cid] = -s
    if len(out) < k:
        for cid, s in db.execute(base, [fts_query(or_terms(db, terms, prune), "OR"), *args, k]):
            if cid not in out:
                out[cid] = -s
    return sorted(out.items(), key=lambda x: (-x[1], x[0]))[:k]


def _bm25_list(db: sqlite3.Connection, query: str, where: str, args: list, k: int) -> list[tuple[int, float]]:
    """BM25's `k` best, whose first CANDIDATES are those that `bm25(..., k=CANDIDATES)` gives (the
    AND query fills a short list without the OR query, a longer one may need it): fusion normalises
    over those, so the first hits are the same whatever the --limit."""
    head = bm25(db, query, where, args, CANDIDATES)
    if k <= CANDIDATES:
        return head[:k]
    seen = {c for c, _ in head}
    return head + [h for h in bm25(db, query, where, args, k) if h[0] not in seen][:k - len(head)]


class DenseIndex:
    """The numpy copy of the vectors held in memory (contiguous float32), with the document of each
    row as a small integer, so that a filter is a boolean mask over rows: the filter's documents
    come from the `documents` table (a few thousand rows at most), never a list of chunk ids.
    Rows whose chunk is gone from SQLite (the copy is behind until the next sync) are masked out.
    Rebuilt when the copy on disk or the database changes."""

    def __init__(self, home: Path, db: sqlite3.Connection, stamp):
        from kb.search.index import VectorCache

        self.stamp = stamp
        cache = VectorCache.open(home)
        if cache is None:
            self.ids = np.zeros(0, np.int64)
            self.mat = np.zeros((0, 384), np.float32)
        else:
            self.ids = np.asarray(cache.ids, dtype=np.int64)
            self.mat = np.ascontiguousarray(cache.mat, dtype=np.float32)
        self.doc_code: dict[str, int] = {}
        codes = np.full(len(self.ids), -1, dtype=np.int32)
        if len(self.ids):
            cids, docs = [], []
            for cid, doc in db.execute("SELECT id, doc_id FROM chunks ORDER BY id"):
                cids.append(cid)
                docs.append(self.doc_code.setdefault(doc, len(self.doc_code)))
            cids = np.asarray(cids, dtype=np.int64)
            pos = np.searchsorted(cids, self.ids)
            ok = pos < len(cids)
            ok[ok] = cids[pos[ok]] == self.ids[ok]
            codes[ok] = np.asarray(docs, dtype=np.int32)[pos[ok]]
        self.codes = codes

    @property
    def size(self) -> int:
        return len(self.ids)

    def mask(self, doc_ids: list[str] | None) -> np.ndarray:
        if doc_ids is None:
            return self.codes >= 0
        allowed = np.zeros(len(self.doc_code) + 1, dtype=bool)
        allowed[[self.doc_code[d] for d in doc_ids if d in self.doc_code]] = True
        return allowed[self.codes]  # code -1 reads the last slot, always False

    def scores_of(self, q: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """Cosine of `q` with the given chunks (those that have a vector)."""
        if not len(self.ids) or not chunk_ids:
            return {}
        ids = np.asarray(chunk_ids, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        ok = (self.ids[pos] == ids) & (self.codes[pos] >= 0)
        sc = self.mat[pos[ok]] @ q
        return dict(zip(ids[ok].tolist(), sc.tolist()))

    def search(self, q: np.ndarray, k: int, mask: np.ndarray) -> list[tuple[int, float]]:
        if not len(self.ids):
            return []
        with _one_blas_thread():  # memory-bound; a second BLAS thread only fights onnxruntime and SQLite
            scores = self.mat @ q
        scores[~mask] = -np.inf
        k = min(k, int(mask.sum()))
        if k <= 0:
            return []
        kth = scores[np.argpartition(-scores, k - 1)[k - 1]]
        top = np.flatnonzero(scores >= kth)  # the k best and any that tie with the k-th
        top = top[np.lexsort((self.ids[top], -scores[top]))][:k]  # ties by chunk id: the same k every time
        return [(int(self.ids[i]), float(scores[i])) for i in top]


_blas = None


def _one_blas_thread():
    """A context in which BLAS uses one thread (threadpoolctl where installed, else no change)."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController

            _blas = ThreadpoolController()
        except ImportError:
            _blas = False
    if _blas is False:
        import contextlib

        return contextlib.nullcontext()
    return _blas.limit(limits=1, user_api="blas")


_dense_indexes: dict[str, DenseIndex] = {}


def dense_index(store) -> DenseIndex | None:
    """The in-memory dense index of `store`'s KB, current with its vectors file and database."""
    if store.server:  # a server KB's vectors are read from the Chroma server, never copied here
        return None
    home = Path(store.home)
    vstamp = _stamp(home)
    if vstamp is None:
        return None
    stamp = (vstamp, *store.change_stamp())
    idx = _dense_indexes.get(str(home))
    if idx is None or idx.stamp != stamp:
        idx = _dense_indexes[str(home)] = DenseIndex(home, store.db, stamp)
    return idx


def filter_docs(db: sqlite3.Connection, filters: dict | None) -> list[str] | None:
    """Ids of the documents that pass `filters` (search()'s authority, committee, kind, since,
    until), None for no filter."""
    where, args = _filter_sql(**(filters or {k: None for k in ("authority", "committee", "kind", "since", "until")}),
                              table="documents", copies=has_copies(db))
    if not where:
        return None  # no filter and no copies: every passage
    return [r[0] for r in db.execute("SELECT d.id FROM documents d WHERE 1=1" + where, args)]


def dense(store, query: str, filters: dict | None = None, k: int = CANDIDATES,
          backend: str = "auto", qvec: np.ndarray | None = None) -> list[tuple[int, float]]:
    """[(chunk id, cosine)] best first, from the in-memory copy of the vectors (or chromadb itself
    when there is no copy, or `backend="chroma"`), restricted to the filtered chunks."""
    from kb.search.embed import get_embedder

    home = Path(store.home)
    idx = dense_index(store) if backend in ("auto", "numpy") else None
    if idx is not None:
        mask = idx.mask(filter_docs(store.db, filters))
        q = qvec if qvec is not None else get_embedder(home).embed([query])[0]
        return idx.search(q, k, mask)
    from kb.search.index import has_vectors

    if not has_vectors(store):
        return []
    from kb.search.server import chroma_query

    q = qvec if qvec is not None else get_embedder(home).embed([query])[0]
    return _live(store.db, chroma_query(store, q, filter_docs(store.db, filters), k), k)


def _live(db, hits: list[tuple[int, float]], k: int, where: str = "", args: list | None = None) -> list[tuple[int, float]]:
    """The first `k` hits whose chunk is still stored (chromadb may be behind the database until the next sync)
    and passes `where` (engine._filter_sql's, over chunks `c`)."""
    if hits:
        live = {r[0] for r in db.execute(
            f"SELECT c.id FROM chunks c WHERE c.id IN ({','.join('?' * len(hits))})" + where,
            [h[0] for h in hits] + list(args or []))}
        hits = [h for h in hits if h[0] in live]
    return hits[:k]


def _has_vectors(store) -> bool:
    from kb.search.index import has_vectors

    return has_vectors(store)


def _stamp(home: Path):
    try:
        return (home / "vectors-ids.npy").stat().st_mtime_ns
    except OSError:
        return None


def fuse(lists: list[list[tuple[int, float]]], method: str = "rrf",
         weights: list[float] | None = None, scales: list[dict[int, float] | None] | None = None,
         pool: int | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion (sum of 1/(60 + rank)), or a weighted sum of min-max normalised
    scores ("weighted") or of z-scores ("zscore"); a chunk missing from a list gets nothing from it.
    `scales` (one per list, or None) multiply a list's min-max normalised scores chunk by chunk
    (a chunk not in the scale keeps its score; ignored by "rrf" and "zscore").

    `pool`: the scores are normalised over each list's first `pool` entries only, and an entry
    below them counts as missing from that list; chunks that tie (those beyond every pool) follow
    in reciprocal-rank order. A longer list (a larger --limit) then leaves the order of the chunks
    ahead unchanged: the first hits do not depend on how many are asked for."""
    weights = weights or [1.0] * len(lists)
    scales = scales or [None] * len(lists)
    total: dict[int, float] = {}
    rrf: dict[int, float] = {}
    for lst, w, scale in zip(lists, weights, scales):
        for rank, (cid, _) in enumerate(lst, 1):
            rrf[cid] = rrf.get(cid, 0.0) + w / (RRF_K + rank)
            total.setdefault(cid, 0.0)
        head = lst[:pool] if pool else lst
        if not head or method == "rrf":
            continue
        if method == "zscore":
            xs = np.asarray([s for _, s in head], dtype=np.float64)
            mu, sd = xs.mean(), xs.std() or 1.0
            for cid, s in head:
                total[cid] += w * (s - mu) / sd
        else:
            top = max(s for _, s in head)
            low = min(s for _, s in head)
            span = (top - low) or 1.0
            for cid, s in head:
                f = scale.get(cid, 1.0) if scale else 1.0
                total[cid] += w * f * (s - low) / span
    if method == "rrf":
        return sorted(rrf.items(), key=lambda x: (-x[1], x[0]))
    return sorted(total.items(), key=lambda x: (-x[1], -rrf[x[0]], x[0]))  # equal text (a report in two packs): by id


def diversify(hits: list[tuple[int, float]], doc_of: dict[int, str], per_doc: int = PER_DOC,
              page: int = PAGE) -> list[tuple[int, float]]:
    """The first `page` hits hold at most `per_doc` hits of one document (the best of each); the
    hits left out of the page follow in their own order, mixed with the rest: a document's fourth
    best passage comes after the first page, not after every weaker passage of other documents."""
    seen: dict[str, int] = {}
    first, rest = [], []
    for h in hits:
        d = doc_of.get(h[0])
        if len(first) < page and seen.get(d, 0) < per_doc:
            seen[d] = seen.get(d, 0) + 1
            first.append(h)
        else:
            rest.append(h)
    return first + rest


_executor = None


def _pool():
    global _executor
    if _executor is None:
        from concurrent.futures import ThreadPoolExecutor

        _executor = ThreadPoolExecutor(1, thread_name_prefix="kb-embed")
    return _executor


def search(store, query: str, *, authority=None, committee: str | None = None, kind: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 10, mode: str = "hybrid",
           fusion: str = "weighted", dense_weight: float = DENSE_WEIGHT, per_doc: int | None = PER_DOC, dense_backend: str = "auto",
           fill: bool = False, coord_power: float = COORD_POWER) -> list[dict]:
    """Ranked passages for `query`. Hits: rank, score, document_id (= doc_id), source, authority,
    committee, meeting_date, title, kind, page (the passage's first), page_end (its last), section,
    chunk_id, text."""
    if mode not in MODES:
        raise SearchError(f'unknown search mode "{mode}" (one of {", ".join(MODES)})')
    if isinstance(authority, str):
        authority = [authority]
    for name, value in (("since", since), ("until", until)):
        if value:
            from kb.dates import parse_user_date

            try:
                parse_user_date(value)
            except ValueError as e:
                raise SearchError(f"{name}: {e}") from None
    db = store.db
    if authority:
        authority = resolve_authorities(db, list(authority))
    filters = dict(authority=authority, committee=committee, kind=kind, since=since, until=until)
    where, args = _filter_sql(**filters, copies=has_copies(db))
    k = max(CANDIDATES, limit * 3)
    lists = []
    idx = dense_index(store) if mode == "hybrid" and dense_backend in ("auto", "numpy") else None
    if idx is not None:
        # the dense side (onnxruntime embedding, numpy matmul: both release the GIL) runs in a second
        # thread while SQLite ranks by BM25 in this one; SQLite is only used from this thread.
        from kb.search.embed import get_embedder

        mask = idx.mask(filter_docs(db, filters))
        emb = get_embedder(Path(store.home))
        def _dense_side():
            q = emb.embed([query])[0]
            return q, idx.search(q, k, mask)

        fut = _pool().submit(_dense_side)
        b = _bm25_list(db, query, where, args, k)
        q, d = fut.result()
        if fill and fusion != "rrf":  # the exact cosine of BM25's candidates that the dense list lacks
            have = {c for c, _ in d}
            extra = idx.scores_of(q, [c for c, _ in b if c not in have])
            d = sorted(d + list(extra.items()), key=lambda x: -x[1])
        lists = [b, d]
    elif store.server and mode == "hybrid" and dense_backend in ("auto", "chroma") and _has_vectors(store):
        from kb.search.server import hybrid_lists

        lists = hybrid_lists(store, query, filters, where, args, k)
    else:
        if mode in ("hybrid", "bm25"):
            lists.append(_bm25_list(db, query, where, args, k))
        if mode in ("hybrid", "dense"):
            lists.append(dense(store, query, filters, k, backend=dense_backend))
    ids = list(dict.fromkeys(cid for lst in lists for cid, _ in lst))
    rows = {}
    for part in range(0, len(ids), 500):
        chunk_ids = ids[part:part + 500]
        for r in db.execute(
                "SELECT c.id AS chunk_id, c.doc_id, c.text, c.section, c.page, c.page_end, d.source, d.authority,"
                " d.committee,"
                " d.meeting_date, d.title, d.kind FROM chunks c JOIN documents d ON d.id = c.doc_id"
                f" WHERE c.id IN ({','.join('?' * len(chunk_ids))})", chunk_ids):
            rows[r["chunk_id"]] = dict(r)
    if len(lists) == 1:
        ranked = lists[0]
    else:
        scales = None
        if fusion == "weighted" and coord_power:
            # min-max gives the best keyword hit 1.0 even when it holds one common word of the query:
            # a passage's keyword score counts in proportion to how much of the query it holds
            cover = coordination(query_terms(query), {c: f"{rows[c]['section'] or ''} {rows[c]['text']}"
                                                       for c, _ in lists[0] if c in rows})
            scales = [{c: v ** coord_power for c, v in cover.items()}, None]
        ranked = fuse(lists, fusion, [1.0 - dense_weight, dense_weight] if fusion != "rrf" else None, scales,
                      pool=CANDIDATES)
    if not ranked:
        return []
    ranked = [h for h in ranked if h[0] in rows]
    if per_doc:
        ranked = diversify(ranked, {c: rows[c]["doc_id"] for c, _ in ranked}, per_doc)
    out = []
    for rank, (cid, score) in enumerate(ranked[:limit], 1):
        r = rows[cid]
        out.append({"rank": rank, "score": round(float(score), 6), "document_id": r["doc_id"],
                    "source": r["source"], "authority": r["authority"], "meeting_date": r["meeting_date"],
                    "page": r["page"], "text": r["text"], "committee": r["committee"], "title": r["title"],
                    "kind": r["kind"], "section": r["section"], "chunk_id": cid, "doc_id": r["doc_id"],
                    "page_end": r["page_end"]})
    return out


def snippet(text: str, terms: list[str], width: int = 600) -> str:
    """The part of a passage to show a reader: all of it when it is at most `width` characters,
    else the run of whole sentences of at most `width` characters that holds the most of the query's
    terms (any word starting with a term counts, as the highlighting does; distinct terms first), with
    "…" where text is left out. A single sentence longer than `width` is cut at a word."""
    if len(text) <= width:
        return text
    from kb.search.chunking import split_sentences

    sents = split_sentences(text) or [(0, len(text))]
    pats = [re.compile(r"(?i)\b" + re.escape(t)) for t in terms]

    def value(s: int, e: int) -> tuple[int, int]:
        found = [len(p.findall(text, s, e)) for p in pats]
        return sum(1 for f in found if f), sum(found)

    best, best_val = (sents[0][0], sents[0][1]), (-1, -1)
    for i, (s, _) in enumerate(sents):
        j = i
        while j + 1 < len(sents) and sents[j + 1][1] - s <= width:
            j += 1
        e = min(sents[j][1], s + width)
        v = value(s, e)
        if v > best_val:
            best, best_val = (s, e), v
    s, e = best
    if e - s >= width:  # one long sentence: cut at a word
        cut = text.rfind(" ", s, s + width)
        e = cut if cut > s else s + width
    return ("…" if s > 0 else "") + text[s:e].strip() + ("…" if e < len(text) else "")
