"""Cut a document's blocks into passages sized for the embedding model.

A chunk follows the document's structure: the blocks under one heading path (an agenda item,
a report section), one slide of a presentation, or the rows of one table (its header row
repeated at the top of each piece). Sizes are counted in the model's word pieces, the heading
path prefix included, so that nothing the model is given is silently cut. A run of text too
long for one chunk is split between sentences (between words only when one sentence is itself
too long), and the next piece repeats the previous piece's last sentence when that is short.

Each chunk records `spans`: (block index, start, end) character ranges of the blocks' text it
holds, so tests can check that the chunks of a document cover all of its text.

`passages(blocks, fmt)` gives a document's passages as plain data: cut in the ingest worker and handed to the
store with the document (kb.store.SQLiteStore.put_document), which writes them in the same transaction.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import takewhile

from ingest.model import Block

CHUNKER = "structure-v2/224"  # v2: captions go with their table; long tables and rows cut evenly

CHUNK_PIECES = 224  # budget per chunk, [CLS]/[SEP] and the heading path prefix included (the model reads 256)
OVERLAP_PIECES = 40  # repeat the previous piece's last sentence when it is at most this long
HEADER_SHARE = 0.25  # a table's header row is repeated atop each of its chunks when at most this share of one
MIN_PIECES = 48  # a chunk smaller than this is merged with the next block of the same section
SENT_RE = re.compile(r"(?<=[.!?;:])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£·•])")


@dataclass
class Chunk:
    text: str  # the passage as shown to a reader
    section: str | None  # heading path
    page: int | None
    page_end: int | None
    kind: str  # text | table
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    pieces: int = 0

    @property
    def embed_text(self) -> str:
        """What the model reads: the heading path, then the passage."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()[:32]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of `text`, whitespace between them left out."""
    out, start = [], 0
    for m in SENT_RE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s]


def _fit(text: str, atoms: list[tuple[int, int]], budget: int, count: Callable[[list[str]], list[int]]
         ) -> list[tuple[int, int]]:
    """Group consecutive atoms (character ranges) into ranges of at most `budget` pieces each."""
    out, i = [], 0
    while i < len(atoms):
        lo, hi = i + 1, len(atoms)
        while lo < hi:  # the largest j such that atoms[i:j] fits
            mid = (lo + hi + 1) // 2
            if count([text[atoms[i][0]:atoms[mid - 1][1]]])[0] <= budget:
                lo = mid
            else:
                hi = mid - 1
        s, e = atoms[i][0], atoms[lo - 1][1]
        if lo == i + 1 and e - s > 1 and count([text[s:e]])[0] > budget:
            out += _fit(text, [(k, k + 1) for k in range(s, e)], budget, count)  # one huge "word"
        else:
            out.append((s, e))
        i = lo
    return out


def _split_words(text: str, s: int, e: int, budget: int, count: Callable[[list[str]], list[int]]
                 ) -> list[tuple[int, int]]:
    """Split text[s:e] between words into ranges of at most `budget` pieces ([CLS]/[SEP] included),
    as few as greedy packing makes, and of about equal size (no short last range)."""
    words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
    out = _fit(text, words, budget, count)
    lo, hi = budget * (len(out) - 1) // len(out), budget
    while lo < hi and len(out) > 1:  # the least budget that needs no more ranges
        mid = (lo + hi) // 2
        if len(_fit(text, words, mid, count)) <= len(out):
            hi = mid
        else:
            lo = mid + 1
    return _fit(text, words, hi, count) if hi < budget else out


def _common_section(sections: list[str | None]) -> str | None:
    parts = [s.split(" > ") if s else [] for s in sections]
    common = parts[0] if parts else []
    for p in parts[1:]:
        n = 0
        while n < min(len(common), len(p)) and common[n] == p[n]:
            n += 1
        common = common[:n]
    return " > ".join(common) or None


def _same_cells(text: str, cells: list[str] | None) -> bool:
    """Whether `text` is the row `cells` written out (empty cells aside)."""
    def filled(values):
        return [v.strip() for v in values if v.strip()]

    return bool(cells) and filled(text.split(" | ")) == filled(cells)


def _even_breaks(sizes: list[int], room: int) -> list[int]:
    """Where to cut a run of rows of these sizes into as few pieces of at most `room` as greedy
    packing needs, with the rows shared evenly between the pieces (the least capacity that needs no
    more pieces): the indices of the rows that start a piece."""
    def cuts(cap: int) -> list[int]:
        out, size = [], 0
        for i, x in enumerate(sizes):
            if size and size + x > cap:
                out.append(i)
                size = 0
            size += x
        return out

    n = len(cuts(room))
    lo, hi = min(room, max(max(sizes, default=0), -(-sum(sizes) // (n + 1)))), room
    while lo < hi:
        mid = (lo + hi) // 2
        if len(cuts(mid)) <= n:
            hi = mid
        else:
            lo = mid + 1
    return cuts(lo)


def chunk_blocks(blocks: Sequence[Block], count: Callable[[list[str]], list[int]],
                 budget: int = CHUNK_PIECES, slides: bool = False) -> list[Chunk]:
    """Chunks of `blocks`. `count` gives word pieces per text ([CLS]/[SEP] included);
    `slides` makes each page (slide) a unit of its own. A heading starts a new chunk unless the
    chunk so far is small (then the small section is kept with the next one, its heading in the text)."""
    memo: dict[str, int] = {}

    def pieces(texts: list[str]) -> list[int]:
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, count(todo)))
        return [memo[t] for t in texts]

    chunks: list[Chunk] = []
    cur: list[tuple[int, int, int, str, int]] = []  # units: (block, start, end, text, pieces without specials)
    table: int | None = None  # the table the current chunk holds rows of
    header: str | None = None
    header_cells: list[str] | None = None
    page: int | None = None
    row_breaks: set[int] = set()  # the rows (block indices) that start a new piece of their table

    def prefix_cost(section: str | None) -> int:
        text = "\n".join(t for t in (section, header) if t)
        return pieces([text + "\nx"])[0] - 3 if text else 0

    def flush(carry: bool = False) -> None:
        nonlocal cur
        if not cur:
            return
        section = _common_section([blocks[u[0]].section for u in cur])
        header_row = [u for u in cur if header and _same_cells(u[3], header_cells)]  # heads the chunk anyway
        keep = [u for u in cur if u not in header_row and not (
            blocks[u[0]].kind == "heading" and section and blocks[u[0]].section == section
            and u[3].strip() in section)]  # a heading that is in the heading path
        if keep or header_row:
            def joined(units: list) -> str:
                return "".join(("" if i == 0 else " " if u[0] == units[i - 1][0] else "\n") + u[3]
                               for i, u in enumerate(units))

            # a table's first piece may start with the text just above it (its caption): that comes
            # before the header row
            lead = [u for u in keep if blocks[u[0]].kind != "table_row"] if header else []
            rows = [u for u in keep if u not in lead]
            body = "\n".join(t for t in (joined(lead), header, joined(rows)) if t)
            pages = [blocks[u[0]].page for u in cur if (u in keep or u in header_row) and blocks[u[0]].page is not None]
            ch = Chunk(text=body, section=section, page=pages[0] if pages else None,
                       page_end=pages[-1] if pages else None, kind="table" if table is not None else "text",
                       spans=[(u[0], u[1], u[2]) for u in cur])
            ch.pieces = pieces([ch.embed_text])[0]
            chunks.append(ch)
        last = cur[-1]
        cur = [last] if carry and len(cur) > 1 and last[4] <= OVERLAP_PIECES else []

    for bi, b in enumerate(blocks):
        text = b.text or ""
        if not text.strip():
            continue
        is_row = b.kind == "table_row" and b.table is not None
        size = sum(u[4] for u in cur)
        brk = (is_row and b.table != table) or (not is_row and table is not None) \
            or (slides and b.page != page) or (b.kind == "heading" and size >= MIN_PIECES)
        if brk:
            # a little text just above a table (its caption, or its header row set as a heading)
            # is not a passage of its own: it goes with the table's first rows
            caption = is_row and table is None and bool(cur) and size < MIN_PIECES
            if not caption:
                flush()
            table = b.table if is_row else None
            header_cells = b.header if is_row else None
            header = " | ".join(header_cells) if header_cells else None
            if header and pieces([header])[0] - 2 > budget * HEADER_SHARE:
                header = header_cells = None  # a "header" this long is text: it stays a row of its own
            page = b.page
            if is_row:  # share the table's rows evenly between its pieces (no small last piece)
                rows = [x.text for x in takewhile(lambda x: x.kind == "table_row" and x.table == b.table,  # noqa: B023 (used at once)
                                                  blocks[bi:])]
                room = max(budget - 2 - prefix_cost(b.section), 16)
                row_breaks = {bi + i for i in _even_breaks([c - 2 for c in pieces(rows)], room)}
        alone = max(budget - 2 - prefix_cost(b.section), 16)  # room in a chunk of this block alone
        ranges = [(0, len(text))] if is_row else split_sentences(text)
        units = []
        for (s, e), c in zip(ranges, pieces([text[s:e] for s, e in ranges])):
            if c - 2 <= alone:
                units.append((bi, s, e, text[s:e], c - 2))
            else:
                for s2, e2 in _split_words(text, s, e, alone + 2, count):
                    units.append((bi, s2, e2, text[s2:e2], pieces([text[s2:e2]])[0] - 2))
        def room_with(units_so_far: list, section: str | None = b.section) -> int:
            sections = [*(blocks[x[0]].section for x in units_so_far), section]
            return max(budget - 2 - prefix_cost(_common_section(sections)), 16)

        for u in units:
            size = sum(x[4] for x in cur)
            if cur and (size + u[4] > room_with(cur) or (u[0] in row_breaks and u[1] == 0)):
                flush(carry=not is_row)
                if cur and sum(x[4] for x in cur) + u[4] > room_with(cur):
                    cur = []
            cur.append(u)
    flush()
    return chunks


def passages(blocks: Sequence[Block], fmt: str | None) -> list[dict]:
    """A document's search passages as rows of the chunks table (text, section, page, page_end, kind, pieces,
    hash, chunker): plain, picklable data."""
    from kb.search.embed import count_pieces

    return [{"text": c.text, "section": c.section, "page": c.page, "page_end": c.page_end, "kind": c.kind,
             "pieces": c.pieces, "hash": c.hash, "chunker": CHUNKER}
            for c in chunk_blocks(blocks, count_pieces, CHUNK_PIECES, slides=fmt == "pptx")]


def model_text(passage: dict) -> str:
    """What the model reads of a passage: its heading path, then its text."""
    return f"{passage['section']}\n{passage['text']}" if passage["section"] else passage["text"]
