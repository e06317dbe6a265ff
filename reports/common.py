"""Shared pieces of the reports: resolving authority names, finding the documents on a topic,
light text normalisation (key words, sentences) and dates at the precision they were stated.

The gazetteer (`ingest.gazetteer`) and search (`kb.search`) are optional here: each is used when
importable, else a simple fallback over the store runs (prefix match on stored authorities;
SQL LIKE over blocks), so the reports work on any KB.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

NOT_FOUND = "not found"


class ReportError(Exception):
    """A report cannot be made as asked (unknown authority, ...); the message names the culprit."""


# --- words ---------------------------------------------------------------------------------------
STOPWORDS = frozenset("""
a an and or the of in on for to with by at from as is are was were be been being this that these those it its
per number no total proportion percentage percent rate rates average avg figure figures level levels amount
all any each there their they them we our us who which what when where how than then so such into over under
has have had will would should could may might can also not only more most less least new current
""".split())

# Phrases that mean the same thing, mapped onto one wording before tokenising (order matters: longest first).
SYNONYMS: list[tuple[str, str]] = [
    (r"\blooked[- ]after children\b", "children in care"),
    (r"\bchildren looked[- ]after\b", "children in care"),
    (r"\blooked[- ]after\b", "in care"),
    (r"\b(?:cla|lac)\b", "children in care"),
    (r"\bchild protection plans?\b", "child protection plan"),
    (r"\bcp plans?\b", "child protection plan"),
    (r"\bcpps?\b", "child protection plan"),
    (r"\bcp\b", "child protection"),
    (r"\bcin\b", "children in need"),
    (r"\bre-?referrals?\b", "rereferral"),
    (r"\bsocial work(?:er)? case ?loads?\b", "social worker caseload"),
    (r"\bagency (?:social )?workers?\b", "agency social worker"),
    (r"\bvacancy rate\b", "vacancies"),
    (r"\bper\s+10[, ]?000\b|\bper\s+10k\b", " "),
    (r"\bper\s+1[, ]?000\b", " "),
]

IRREGULAR = {"children": "child", "people": "person", "women": "woman", "men": "man", "staff": "staff",
             "data": "data", "criteria": "criterion", "analysis": "analysis", "services": "service"}


def stem(word: str) -> str:
    """Lemmatise-lite: plural and -ing/-ed stripping, enough to match key words across documents."""
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 6 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 5 and w.endswith("ed"):
        w = w[:-2]
        if len(w) > 3 and w[-1] == w[-2]:  # planned -> plann -> plan
            w = w[:-1]
    return w


def tokens(text: str | None, extra_stop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    if not text:
        return []
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", ""))
    return [stem(w) for w in words if w not in STOPWORDS and w not in extra_stop and not w.isdigit()]


def keywords(text: str | None, extra_stop: frozenset[str] | set[str] = frozenset()) -> set[str]:
    return {t for t in tokens(text, extra_stop) if len(t) > 2}


def normalise_measure(measure: str | None) -> frozenset[str]:
    """What a metric measures, as a set of tokens: lowercase, synonyms, stopwords, plurals."""
    text = (measure or "").lower()
    for pattern, repl in SYNONYMS:
        text = re.sub(pattern, repl, text)
    return frozenset(tokens(text))


def same_measure(a: frozenset[str], b: frozenset[str]) -> bool:
    """Token-set similarity: the same words, or one wording is the other plus one word, or a large overlap."""
    if not a or not b:
        return False
    if a == b:
        return True
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    if small <= big and len(small) >= 2 and len(big - small) <= 1:
        return True
    return len(a & b) / len(a | b) >= 0.75


def normalise_unit(unit: str | None) -> str:
    u = (unit or "").strip().lower()
    u = re.sub(r"[\s,]", "", u)
    return {"£": "gbp", "pounds": "gbp", "percent": "%", "percentage": "%", "per10k": "per10000"}.get(u, u)


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(‘“])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text or "") if s.strip()]


# --- dates ---------------------------------------------------------------------------------------
def parse_partial(s: str | None) -> tuple[int, int | None, int | None] | None:
    """'2021' / '2021-09' / '2021-09-15' -> (year, month, day) with None for what was not stated."""
    if not s:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(s).strip())
    if not m:
        return None
    return int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None


def period_end(s: str | None) -> date | None:
    """The last day a partial date covers: a month-precision due date is due at the END of that month."""
    p = parse_partial(s)
    if not p:
        return None
    y, m, d = p
    if m is None:
        return date(y, 12, 31)
    if d is None:
        return date(y, m, calendar.monthrange(y, m)[1])
    return date(y, m, d)


def period_start(s: str | None) -> date | None:
    p = parse_partial(s)
    if not p:
        return None
    y, m, d = p
    return date(y, m or 1, d or 1)


def parse_as_of(s: str | None) -> date:
    """The day to judge against: today by default; a month or a year stands for its last day."""
    if not s:
        return date.today()
    from kb.dates import parse_user_date

    try:
        return period_end(parse_user_date(s))
    except ValueError as e:
        raise ReportError(f"as of: {e}") from None


# --- authorities ---------------------------------------------------------------------------------
def stored_authorities(store) -> list[str]:
    return sorted({d["authority"] for d in store.documents() if d.get("authority")})


def resolve_authorities(store, names: list[str] | tuple[str, ...]) -> list[str]:
    """Each name through the gazetteer ('Blackpool' -> 'Blackpool Council'); ReportError naming an unknown one."""
    from ingest.gazetteer import UnknownAuthority, resolve_names

    try:
        return resolve_names(names, stored_authorities(store))
    except UnknownAuthority as e:
        raise ReportError(str(e)) from None


# --- documents on a topic ------------------------------------------------------------------------
def topic_documents(store, authority: str, topic: str | None, committee: str | None = None,
                    since: str | None = None, until: str | None = None) -> list[dict]:
    """The authority's documents with hits for `topic` (all of its documents when no topic), by date."""
    filters = {"committee": committee, "since": since, "until": until}
    docs = store.documents(authority=[authority], **filters)
    if not topic:
        return docs
    from kb.search import search

    hits = search(store, topic, authority=authority, committee=committee, since=since, until=until, limit=200)
    wanted = {h.get("doc_id") or h.get("document_id") for h in hits}
    return [d for d in docs if d["id"] in wanted]


def cite(doc: dict, page, rec: dict | None = None) -> dict:
    """Where an item stands: its paper, page, meeting; `ocr` when the record was read from a scan by OCR."""
    out = {"source": doc["source"], "page": page, "meeting_date": doc.get("meeting_date"),
           "committee": doc.get("committee")}
    if rec and rec.get("ocr"):
        out["ocr"] = True
    return out
