"""Semantic search over the knowledge base: passages (chunks) that follow the documents'
structure, a keyword index (SQLite FTS5, BM25) and a dense index (all-MiniLM-L6-v2 vectors in
chromadb), fused.

    from kb.search import search
    hits = search(store, "children in care rate", authority=["Blackpool Council"], limit=5)

Light to import: the model runtime and chromadb load only when a query or a sync needs them.
"""
from __future__ import annotations

from kb.search.engine import MODES, SearchError, query_terms, search, snippet


def sync(store, device: str = "cpu", progress=None, on_count=None, known=None) -> dict:
    """Embed chunks that have no vector yet and drop vectors of removed chunks (see kb.search.index);
    `on_count(done, total)` follows the embedding; `known`: vectors by the hash of their text."""
    from kb.search.index import sync as _sync

    return _sync(store, device=device, progress=progress, on_count=on_count, known=known)


__all__ = ["MODES", "SearchError", "query_terms", "search", "snippet", "sync"]
