"""The same paper twice: minutes published as DOCX and as PDF, a report filed in two agenda packs' folders,
last meeting's minutes attached again as "Minutes of Previous Meeting". Their bytes differ, their text is the same.

Each document's text gets a bottom-k sketch: the k smallest hashes of its 5-word shingles (normalised words). Two
sketches estimate how much of their shingles the two texts share (Jaccard); at SAME or more they are one paper.
Of a group, the paper is the one whose source path sorts first, whatever order they were stored in (so a re-run
or a parallel ingest comes out the same); the others are stored as its copies (`documents.same_as`), kept and
exported, but counted once: reports, the tracker and search read papers, not copies.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3

K = 128  # sketch size
SHINGLE = 5
SAME = 0.8  # estimated Jaccard of two texts that are one paper (a PDF and its DOCX: page footers, hyphenation aside)
MIN_WORDS = 60  # too short to tell a paper from a form
KEYS = 16  # of a sketch's smallest hashes, kept as keys to find candidates


def sketch(texts: list[str]) -> list[int] | None:
    """The bottom-k sketch of the texts' 5-word shingles, or None for a text too short to tell."""
    words = re.findall(r"[a-z0-9]+", " ".join(texts).lower())
    if len(words) < MIN_WORDS:
        return None
    hashes = {int.from_bytes(hashlib.blake2b(" ".join(words[i:i + SHINGLE]).encode(), digest_size=8).digest(), "big")
              for i in range(len(words) - SHINGLE + 1)}
    return sorted(hashes)[:K]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard of the two texts: of the k smallest hashes of the union, the share in both."""
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:K]
    return sum(1 for h in union if h in sa and h in sb) / len(union) if union else 0.0


def original_of(db: sqlite3.Connection, sk: list[int] | None, doc_id: str, authority: str | None = None) -> str | None:
    """The id of a stored paper (not itself a copy) of the same authority that this sketch is the same paper as, else
    None: two parishes' privacy policies from one template are two papers."""
    if not sk:
        return None
    best, best_sim = None, SAME
    keys = [_signed(h) for h in sk[:KEYS]]
    rows = db.execute("SELECT d.id, d.sketch FROM documents d WHERE d.same_as IS NULL AND d.id != ? AND "
                      "(d.authority = ? OR d.authority IS NULL OR ? IS NULL) AND d.id IN "
                      f"(SELECT doc_id FROM paper_keys WHERE h IN ({','.join('?' * len(keys))}))",
                      (doc_id, authority, authority, *keys))
    for other_id, other in rows:
        sim = similarity(sk, json.loads(other))
        if sim >= best_sim:
            best, best_sim = other_id, sim
    return best


def comes_first(db: sqlite3.Connection, source: str, paper_id: str) -> bool:
    """Whether a new document at `source` takes over as the paper from the stored paper `paper_id`."""
    row = db.execute("SELECT source FROM documents WHERE id = ?", (paper_id,)).fetchone()
    return row is not None and source < row[0]


def take_over(db: sqlite3.Connection, doc_id: str, paper_id: str) -> None:
    """`doc_id` becomes the paper: the old paper and its copies become its copies."""
    db.execute("UPDATE documents SET same_as = ? WHERE id = ? OR same_as = ?", (doc_id, paper_id, paper_id))


def keep_keys(db: sqlite3.Connection, doc_id: str, sk: list[int] | None) -> None:
    """Index the sketch's smallest hashes: two texts one paper share some of them, almost surely."""
    if sk:
        db.executemany("INSERT INTO paper_keys (doc_id, h) VALUES (?, ?)", [(doc_id, _signed(h)) for h in sk[:KEYS]])


def _signed(h: int) -> int:
    return h - (1 << 64) if h >= 1 << 63 else h  # SQLite integers are signed 64-bit


def promote_copies(db: sqlite3.Connection, doc_id: str) -> None:
    """The paper `doc_id` is going: the first of its copies (by source) becomes the paper, the others its copies."""
    copies = [r[0] for r in db.execute("SELECT id FROM documents WHERE same_as = ? ORDER BY source, id", (doc_id,))]
    if copies:
        db.execute("UPDATE documents SET same_as = NULL WHERE id = ?", (copies[0],))
        db.execute("UPDATE documents SET same_as = ? WHERE same_as = ?", (copies[0], doc_id))
