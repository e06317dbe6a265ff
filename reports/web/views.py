"""What the pages show, computed from what the library returns: search hits with the query's words marked,
a document's text by page and section with each extracted record marked where it stands, an authority's
key figures over time as chart geometry. Pure functions (no requests, no templates)."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

KIND_LABELS = {"metrics": "figure", "recommendations": "recommendation", "decisions": "decision",
               "actions": "action", "dates": "date", "people": "person"}
RECORD_KINDS = tuple(KIND_LABELS)


def term_pattern(terms: list[str]) -> re.Pattern | None:
    """Words starting with any of the query's terms (as the CLI highlights them)."""
    if not terms:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(t) + r"\w*" for t in sorted(terms, key=len, reverse=True)) + r")",
                      re.I)


def highlight(text: str | None, pattern: re.Pattern | None) -> Markup:
    """`text` escaped, with the pattern's matches in <mark>."""
    text = text or ""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), Markup("<mark>"), escape(m.group(0)), Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def search_hits(hits: list[dict], query: str) -> list[dict]:
    """Each hit with its snippet (the query's words marked) and where it stands."""
    from kb.search import query_terms, snippet

    terms = query_terms(query)
    pat = term_pattern(terms)
    out = []
    for h in hits:
        pages = None
        if h.get("page"):
            pages = f"page {h['page']}" if not h.get("page_end") or h["page_end"] == h["page"] else \
                f"pages {h['page']}–{h['page_end']}"
        out.append({**h, "snippet": highlight(snippet(h["text"], terms), pat), "pages": pages})
    return out


def _find(text: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` stands in `text`: exactly, else ignoring case and runs of white space."""
    if not needle:
        return None
    i = text.find(needle)
    if i >= 0:
        return i, i + len(needle)
    words = needle.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text, re.I)
    return (m.start(), m.end()) if m else None


@dataclass
class Segment:
    text: str
    records: list[dict] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)


def segments(text: str, spans: list[tuple[int, int, dict]]) -> list[Segment]:
    """`text` cut where any record's span starts or ends; each piece lists the records covering it, and the
    first piece of each record carries its anchor."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in itertools.pairwise(cuts):
        if a == b:
            continue
        covering = [r for s, e, r in spans if s <= a and b <= e]
        anchors = [r["anchor"] for s, _, r in spans if s == a]
        out.append(Segment(text[a:b], covering, anchors))
    return out


def record_label(kind: str, r: dict) -> str:
    """A record in a few words, as listed beside the text."""
    if kind == "metrics":
        from reports.render import format_value

        return " ".join(str(x) for x in (format_value(r.get("value"), r.get("unit")), r.get("unit") if
                                         r.get("unit") not in ("%", "GBP", "count") else "", "·", r.get("measure") or "")
                        if x).strip(" ·")
    if kind == "people":
        return ", ".join(x for x in (r.get("name"), r.get("role"), r.get("organisation")) if x)
    if kind == "dates":
        return f"{r.get('date')}: {r.get('event') or r.get('text') or ''}"
    if kind == "actions":
        bits = [r.get("text") or ""]
        if r.get("owner"):
            bits.append(f"owner: {r['owner']}")
        if r.get("due_date") or r.get("due_text"):
            bits.append(f"due: {r.get('due_date') or r.get('due_text')}")
        return " · ".join(bits)
    return ((r.get("number") + " ") if r.get("number") else "") + (r.get("text") or "")


def document_view(blocks: list, records: dict[str, list[dict]]) -> tuple[list[dict], list[dict]]:
    """(pages, listed): the text as pages of sections of blocks, each block cut into segments with the records
    that stand in it marked; and every record as listed beside the text (kind, label, confidence, corrected)."""
    listed, by_block = [], {}
    for kind in RECORD_KINDS:
        for r in records.get(kind, []):
            hand = r.get("set_by_hand") or {}
            item = {"kind": kind, "label": KIND_LABELS[kind], "id": r["id"], "anchor": "rec-" + r["id"].replace(":", "-"),
                    "text": record_label(kind, r), "page": r.get("page"), "confidence": r.get("confidence"),
                    "rejected": hand.get("rejected"), "corrected": {k: v for k, v in hand.items() if k != "rejected"},
                    "placed": False, "quote": r.get("text") or r.get("name") or "", "ocr": bool(r.get("ocr"))}
            item["block"] = _block_of(r, blocks)
            listed.append(item)
            by_block.setdefault(item["block"], []).append(item)
    # listed in the order they stand in the text (those not found in it last, by page)
    listed.sort(key=lambda x: (x["block"] is None, x["block"] or 0, x["page"] or 0))
    pages: list[dict] = []
    for i, b in enumerate(blocks):
        spans = []
        for item in by_block.get(i, []):
            where = _find(b.text, item["quote"])
            if where is None and item["kind"] == "people":
                where = _find(b.text, item["quote"].split(",")[0])
            where = where or (0, len(b.text))
            spans.append((where[0], where[1], item))
            item["placed"] = True
        if not pages or pages[-1]["page"] != b.page:
            pages.append({"page": b.page, "sections": []})
        secs = pages[-1]["sections"]
        if not secs or secs[-1]["section"] != b.section:
            secs.append({"section": b.section, "blocks": []})
        secs[-1]["blocks"].append({"kind": b.kind, "level": b.level, "segments": segments(b.text, spans),
                                   "cells": b.cells, "seq": i})
    return pages, listed


def _block_of(r: dict, blocks: list) -> int | None:
    """The block a record stands in: its stored block index when that block holds its words, else the first
    block on its page that does."""
    quote = r.get("text") or r.get("name") or ""
    i = r.get("block")
    if isinstance(i, int) and 0 <= i < len(blocks) and (not quote or _find(blocks[i].text, quote)):
        return i
    for j, b in enumerate(blocks):
        if (r.get("page") is None or b.page == r.get("page")) and quote and _find(b.text, quote):
            return j
    return i if isinstance(i, int) and 0 <= i < len(blocks) else None


def figure_series(metrics: list[tuple[dict, dict]], limit: int = 6) -> list[dict]:
    """An authority's own figures (not the national or neighbour figures its papers quote) grouped by what
    they measure and their unit, each group with its values by date: the groups stated at two or more dates
    first, as charts (point geometry for an inline SVG), the rest as single figures."""
    from reports.common import normalise_measure, normalise_unit, same_measure
    from reports.compare import comparator_of

    groups: list[dict] = []
    for doc, m in metrics:
        if not isinstance(m.get("value"), (int, float)) or comparator_of(m.get("subject"), doc.get("authority")):
            continue
        toks, unit = normalise_measure(m.get("measure")), normalise_unit(m.get("unit"))
        if not toks:
            continue
        g = next((g for g in groups if g["unit_key"] == unit and same_measure(g["tokens"], toks)), None)
        if g is None:
            g = {"unit_key": unit, "tokens": toks, "measure": m.get("measure"), "unit": m.get("unit"), "points": []}
            groups.append(g)
        when = str(m.get("period") or doc.get("meeting_date") or "")
        g["points"].append({"when": when, "value": m["value"], "source": doc["source"], "page": m.get("page"),
                            "meeting_date": doc.get("meeting_date")})
    for g in groups:
        g["points"].sort(key=lambda p: (p["meeting_date"] or "", p["when"]))
        g["dates"] = len({p["meeting_date"] or p["when"] for p in g["points"]})
        g["chart"] = line_chart(g) if g["dates"] >= 2 else None
    groups.sort(key=lambda g: (-g["dates"], -len(g["points"]), g["measure"] or ""))
    return groups[:limit]


def line_chart(g: dict, width: int = 520, height: int = 200) -> dict:
    """Points on a line, left to right in date order, on a scale from zero to the largest value."""
    from reports.render import format_value

    left, right, top, bottom = 60, 20, 16, 46
    pts = g["points"]
    top_v = max(max(p["value"] for p in pts), 0) or 1
    step = (width - left - right) / max(1, len(pts) - 1)
    out = []
    for i, p in enumerate(pts):
        x = left + i * step if len(pts) > 1 else (width - left - right) / 2 + left
        y = top + (height - top - bottom) * (1 - max(p["value"], 0) / top_v)
        out.append({**p, "x": round(x, 1), "y": round(y, 1), "label": format_value(p["value"], g["unit"], short=True),
                    "tick": p["when"][:16]})
    return {"width": width, "height": height, "points": out, "base_y": height - bottom, "left": left,
            "line": " ".join(f"{p['x']},{p['y']}" for p in out), "top_label": format_value(top_v, g["unit"], short=True),
            "top_y": top}
