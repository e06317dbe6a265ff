"""UK principal councils: resolve a name a user or a document gives to the official one.

The data lives in ``ingest/data/councils.csv`` (name, short, aliases, type, nation).
``type`` may carry ``(abolished YYYY-MM-DD)`` for councils replaced in a
reorganisation that are still found in archives (Somerset County Council ->
Somerset Council in 2023); where a predecessor and its successor share a short
form ("Somerset"), a date picks between them.

Matching works on normalised word tokens: lower case, ``&`` read as ``and``,
apostrophes and full stops dropped, hyphens read as spaces. Every authority is
known by:

* tier 0: its official name;
* tier 1: the aliases in the CSV (acronyms such as ``KCC`` among them);
* tier 2: its short form ("Lancashire", "Blackpool");
* tier 3: forms derived from the short form ("Lancashire Council",
  "Lancashire CC", "Council of Lancashire", "Blackpool Borough Council").

A key that names several authorities in its best tier (``LCC``: Lancashire,
Leicestershire, Lincolnshire, Leeds, Liverpool ...; ``SCC``) is *ambiguous*: it
resolves only where a date picks between a predecessor and its successor, or
where other evidence in the text (another mention of one of the candidates)
supports one of them. No ambiguity has to be marked by hand: it is computed
when the CSV is loaded, so adding a row can never make an old alias wrong
silently.
"""
from __future__ import annotations

import csv
import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Authority",
    "authorities",
    "authority",
    "domain_authority",
    "find_authorities",
    "find_mentions",
    "resolve_authority",
    "suggest",
]

DATA = Path(__file__).with_name("data") / "councils.csv"

TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|&")
ABOLISHED_RE = re.compile(r"abolished\s+(\d{4}-\d{2}-\d{2})")

# Bare short forms that are ordinary English words count only in a locative context
# ("in Reading", "across Bury") or before a council-ish word ("Reading Borough Council",
# "Reading's"): never "reading the report" nor "Reading the report".
COMMON_WORDS = {"reading", "hart", "rugby", "bury", "eden", "highland", "craven", "slough", "harrow", "arun",
                "swale", "rother", "wyre", "moray", "angus", "brent", "dover", "poole", "test valley", "new forest",
                "three rivers", "high peak", "cotswold", "fife", "wealden", "ashford", "sutton", "boston", "halton",
                "durham", "derby", "christchurch", "broadland", "chiltern", "selby", "corby", "melton", "copeland"}
# Short forms that are also people's names or other places ("Kent" the surname, "York" in
# "New York", "Newport" in Shropshire): not when a capitalised word follows ("Boston Consulting",
# "Dudley Road") unless in a locative context.
NAMEY = {"york", "hull", "kent", "devon", "dudley", "preston", "bolton", "merton", "hastings", "lincoln",
         "newport", "warwick", "stafford", "mansfield", "bedford", "cumberland", "stirling", "crawley",
         "wakefield", "barnet", "enfield", "lewes", "richmond", "greenwich", "westminster", "kingston",
         "cambridge", "oxford", "carlisle", "lancaster", "chester", "gloucester", "worcester", "leicester",
         "derby", "harrogate", "scarborough", "rochdale", "wigan", "salford", "oldham", "essex", "surrey",
         "norfolk", "suffolk", "somerset", "dorset", "cornwall", "cheshire", "orkney", "shetland"}
WEAK_SHORTS = COMMON_WORDS | NAMEY
CONTEXT_BEFORE = {"in", "across", "of", "for", "within", "throughout", "around", "to", "from", "at", "into",
                  "serving", "covering"}
COUNCILISH_AFTER = {"council", "councils", "borough", "district", "city", "county", "cc", "mbc", "bc", "dc",
                    "s", "residents", "children", "schools", "families", "area", "areas", "wide", "'s"}
SMALL = {"and", "of", "with", "upon", "the", "on", "in", "under", "for", "to", "a", "an", "at", "by"}


# a place's name at the head of another body's: "Southampton University", "Kent Police", "Leeds United"
INSTITUTION_AFTER = {"university", "universities", "college", "hospital", "hospitals", "airport", "police",
                     "constabulary", "fire", "cathedral", "diocese", "prison", "crown", "magistrates", "chamber",
                     "united", "city's", "fc", "rovers", "wanderers", "port", "harbour", "station", "ccg", "icb",
                     "school", "academy", "museum", "library", "zoo", "festival", "echo", "gazette", "post",
                     "evening", "chronicle", "herald", "times", "mercury", "telegraph", "news"}
# ... or at its tail: "University of Southampton", "Bishop of Durham"
INSTITUTION_BEFORE = ("university of", "college of", "bishop of", "diocese of", "archbishop of", "duke of",
                      "duchess of", "earl of", "port of", "bank of")


def norm_token(t: str) -> str:
    """Lower case, "&" as "and", a possessive 's dropped ("Somerset's", "King's Lynn"), apostrophes dropped."""
    if t == "&":
        return "and"
    t = re.sub(r"['’]s$", "", t.lower())
    return t.replace("'", "").replace("’", "")


def norm_tokens(text: str) -> tuple[str, ...]:
    return tuple(norm_token(t) for t in TOKEN_RE.findall(text or ""))


def normalise(text: str) -> str:
    return " ".join(norm_tokens(text))


@dataclass(frozen=True)
class Authority:
    name: str
    short: str
    aliases: tuple[str, ...]
    type: str
    nation: str
    abolished: str | None = None  # ISO date the council ceased to exist

    @property
    def domain(self) -> str:
        return "".join(normalise(self.short).split())


@dataclass
class _Gazetteer:
    by_name: dict[str, Authority] = field(default_factory=dict)
    keys: dict[tuple[str, ...], dict[int, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    acronyms: set[tuple[str, ...]] = field(default_factory=set)  # keys that must appear in capitals
    first: dict[str, list[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(list))
    surface: dict[str, str] = field(default_factory=dict)  # normalised form -> a display form (for suggest)


DERIVED = ("council", "county council", "city council", "borough council", "district council",
           "metropolitan borough council", "county borough council", "cc", "mbc", "bc", "dc", "cbc")


@lru_cache(maxsize=1)
def _load() -> _Gazetteer:
    g = _Gazetteer()
    with open(DATA, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = ABOLISHED_RE.search(row["type"])
            aliases = tuple(a.strip().lstrip("?") for a in row["aliases"].split(";") if a.strip())
            a = Authority(row["name"].strip(), row["short"].strip(), aliases, row["type"].strip(), row["nation"].strip(),
                          m.group(1) if m else None)
            g.by_name[a.name] = a

    def add(form: str, tier: int, name: str) -> None:
        key = norm_tokens(form)
        if not key:
            return
        g.keys[key][tier].add(name)
        g.surface.setdefault(" ".join(key), form)
        compact = form.replace("&", "").replace(" ", "")
        if compact.isupper() and compact.isalpha() and len(compact) <= 6:
            g.acronyms.add(key)

    for a in g.by_name.values():
        add(a.name, 0, a.name)
        if a.name.lower().startswith("the "):
            add(a.name[4:], 0, a.name)
        for al in a.aliases:
            add(al, 1, a.name)
        add(a.short, 2, a.name)
        for suffix in DERIVED:
            add(f"{a.short} {suffix}", 3, a.name)
        add(f"council of {a.short}", 3, a.name)
        add(f"{a.short} council", 3, a.name)
    for key in g.keys:
        g.first[key[0]].append(key)
    for lst in g.first.values():
        lst.sort(key=len, reverse=True)
    return g


def authorities() -> list[Authority]:
    return list(_load().by_name.values())


def authority(name: str) -> Authority | None:
    return _load().by_name.get(name)


def _candidates(key: tuple[str, ...]) -> tuple[int, set[str]] | None:
    tiers = _load().keys.get(key)
    if not tiers:
        return None
    tier = min(tiers)
    return tier, set(tiers[tier])


def _pick(cands: set[str], when: str | None = None, evidence: set[str] | None = None) -> str | None:
    """One authority out of several candidates, or None where nothing decides."""
    if len(cands) == 1:
        return next(iter(cands))
    g = _load()
    auths = [g.by_name[c] for c in cands]
    if len({normalise(a.short) for a in auths}) == 1:
        # a predecessor and its successor(s) sharing a short form: the date decides
        if when:
            alive = [a for a in auths if not a.abolished or a.abolished > when[:10]]
            old = [a for a in alive if a.abolished]
            if len(old) == 1:
                return old[0].name
            if len(alive) == 1:
                return alive[0].name
        current = [a for a in auths if not a.abolished]
        if len(current) == 1 and not (evidence and evidence & cands and current[0].name not in evidence):
            return current[0].name
    if evidence:
        hit = cands & evidence
        if len(hit) == 1:
            return next(iter(hit))
    return None


STRIP_PREFIX = (("the",), ("council", "of", "the"), ("council", "of"))


def resolve_authority(text: str, when: str | None = None) -> str | None:
    """The official name of the council `text` names, or None where it names none or is ambiguous.

    Case-insensitive; accepts the official name, an alias (KCC), the short form
    ("Lancashire" -> "Lancashire County Council"; "Blackpool" -> "Blackpool Council"),
    "X CC", "X Council" for "X County Council" and the reverse, "Council of X".
    `when` (ISO date) picks between a predecessor and its successor ("Somerset").
    """
    key = norm_tokens(text)
    if not key:
        return None
    variants = [key]
    for pre in STRIP_PREFIX:
        if key[:len(pre)] == pre and len(key) > len(pre):
            variants.append(key[len(pre):])
    for v in variants:
        found = _candidates(v)
        if found:
            return _pick(found[1], when)
    return None


def suggest(text: str, n: int = 3) -> list[str]:
    """Official names close to `text`, best first (for "did you mean ...?" messages)."""
    g = _load()
    q = normalise(text)
    if not q:
        return []
    scores: dict[str, float] = {}
    for key, tiers in g.keys.items():
        form = " ".join(key)
        if key in g.acronyms:
            continue
        r = difflib.SequenceMatcher(None, q, form).ratio()
        # county abbreviations ("Lancs", "Herts", "Northants"): same first letters
        if len(q) >= 3 and form.startswith(q[:4]):
            r += 0.15
        if r < 0.6:
            continue
        for tier, names in tiers.items():
            for name in names:
                a = g.by_name[name]
                s = r - 0.02 * tier - (0.05 if a.abolished else 0) + (0.03 if a.type.startswith("county") else 0)
                scores[name] = max(scores.get(name, 0), s)
    return [k for k, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


@dataclass
class Mention:
    names: frozenset[str]  # candidates (one where unambiguous)
    tier: int  # 0 official name ... 3 derived form
    start: int  # character offsets in the text
    end: int
    form: str  # the text as written
    strong: bool  # a full council name (name, alias or "X Council" form), not a bare short form


def find_mentions(text: str) -> list[Mention]:
    """Every council mention in `text`, longest match first at each word, left to right."""
    g = _load()
    toks = [(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text or "")]
    norm = [norm_token(t) for t, _, _ in toks]
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        cands = g.first.get(norm[i])
        matched = False
        if cands:
            for key in cands:
                n = len(key)
                if tuple(norm[i:i + n]) != key:
                    continue
                tier, names = _candidates(key)
                words = toks[i:i + n]
                surface = text[words[0][1]:words[-1][2]]
                if key in g.acronyms:
                    if not all(w.isupper() or w == "&" for w, _, _ in words):
                        continue
                elif tier == 2:
                    if not _short_ok(key, toks, norm, i, n, text):
                        continue
                out.append(Mention(frozenset(names), tier, words[0][1], words[-1][2], surface, tier != 2))
                i += n
                matched = True
                break
        if not matched:
            i += 1
    return out


def _short_ok(key, toks, norm, i, n, text) -> bool:
    """A bare short form counts when capitalised, and for common words only in a council-ish context."""
    first = toks[i][0]
    if not first[:1].isupper():
        return False
    nxt = norm[i + n] if i + n < len(norm) else ""
    if nxt in INSTITUTION_AFTER and not text[toks[i + n - 1][2]:toks[i + n][1]].strip():
        return False  # "Southampton University": another body, not the council
    if " ".join(norm[max(0, i - 2):i]) in INSTITUTION_BEFORE:
        return False
    words = [w for w, _, _ in toks[i:i + n]]
    if all(w.isupper() for w in words) and len(" ".join(words)) > 3 and " ".join(key) in COMMON_WORDS:
        return False  # "FURTHER READING"
    form = " ".join(key)
    if form not in WEAK_SHORTS:
        return True
    before = norm[i - 1] if i > 0 else ""
    after = norm[i + n] if i + n < len(norm) else ""
    raw_after = toks[i + n][0] if i + n < len(toks) else ""
    if raw_after and text[toks[i + n - 1][2]:toks[i + n][1]].strip():
        raw_after = ""  # punctuation between: "Devon, Suffolk" is a list, not "Suffolk Police"
    if after in COUNCILISH_AFTER or toks[i + n - 1][0].endswith(("'s", "’s")):
        return True
    if form in COMMON_WORDS:
        # "in Reading", but not "Reading the report" nor "in Reading Room"
        return before in CONTEXT_BEFORE and not raw_after[:1].isupper()
    # a town's name: in a locative context, or not followed by another capitalised word
    # ("Manchester United", "Bristol Channel", "Kent Police" are something else)
    if before in CONTEXT_BEFORE:
        return not raw_after[:1].isupper() or after in COUNCILISH_AFTER
    return not raw_after[:1].isupper()


def find_authorities(text: str, when: str | None = None) -> list[tuple[str, int]]:
    """Authorities mentioned in `text`, with mention counts, most mentioned first.

    Ambiguous mentions (an acronym shared by several councils) count only for a
    candidate that is also named unambiguously elsewhere in the text.
    """
    mentions = find_mentions(text)
    counts: Counter[str] = Counter()
    g = _load()
    evidence = set()
    for m in mentions:  # every candidate of a non-acronym mention supports an ambiguous acronym
        if norm_tokens(m.form) not in g.acronyms:
            evidence |= m.names
    for m in mentions:
        name = _pick(set(m.names), when, evidence)
        if name:
            counts[name] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@lru_cache(maxsize=1)
def _domains() -> dict[str, str]:
    """e-mail/web domain label -> authority, built from short forms ("lancashire" -> Lancashire CC)."""
    by: dict[str, set[str]] = defaultdict(set)
    for a in _load().by_name.values():
        by[a.domain].add(a.name)
    return {d: _pick(names) for d, names in by.items() if _pick(names)}


DOMAIN_RE = re.compile(r"(?i)(?:@|//|www\.|\b)([a-z0-9-]+)\.gov\.uk\b")


def domain_authority(text: str, when: str | None = None) -> list[str]:
    """Authorities named by *.gov.uk domains in `text` (e-mail addresses, web links), in order."""
    out = []
    by: dict[str, set[str]] = defaultdict(set)
    for a in _load().by_name.values():
        by[a.domain].add(a.name)
    text = re.sub(r"\s+(?=\.gov\.uk\b)", "", text or "")  # "georgina.little@kent\n.gov.uk" (a wrapped line)
    for m in DOMAIN_RE.finditer(text):
        label = m.group(1).lower()
        label = re.sub(r"^(?:council|democracy|moderngov|committees?|democratic|www)[.-]?", "", label) or label
        names = by.get(label.replace("-", "")) or by.get(re.sub(r"(?:cc|council|city|gov)$", "", label))
        if names:
            name = _pick(set(names), when)
            if name:
                out.append(name)
    return out


# --- local councils (parish, town, community, village, neighbourhood): some 10,000 of them, so
# they are recognised by the form of their name, not listed
_NAME_WORD = r"(?:[A-Z][A-Za-z'’]+(?:-[A-Za-z'’]+)*|St\.?)"  # capitalised (or upper case): case matters here
_LINK_WORD = r"(?:upon|on|in|le|by|under|with|cum|next|the|and|&|-)"
LOCAL_COUNCIL_RE = re.compile(
    rf"\b({_NAME_WORD}(?:[ \t]+(?:{_LINK_WORD}[ \t]+)*{_NAME_WORD}){{0,4}})[ \t]+"
    r"((?i:parish|town|community|village|neighbourhood))[ \t]+((?i:council|meeting))\b")
_PRINCIPAL_WORDS = {"council", "county", "district", "borough", "city", "metropolitan"}
# words that open a heading rather than a place name: "Minutes of the Milburn Parish Council"
_NOT_PLACE = {"the", "of", "minutes", "minute", "agenda", "meeting", "draft", "annual", "extraordinary", "special",
              "ordinary", "notice", "summons", "report", "to", "a", "an", "for", "by", "and", "at", "from", "our",
              "your", "this", "all", "dear", "members", "clerk", "chair", "chairman", "council", "councils",
              "held", "on", "in", "with", "date", "dated", "signed", "policy", "privacy", "website", "operated"}


def _title(word: str) -> str:
    """An upper-case place name in title case, link words small: "ASHBURY-ON-THE-WOLD" -> "Ashbury-on-the-Wold"."""
    parts = word.lower().split("-")
    return "-".join(p if i and p in SMALL | {"le", "cum", "next"} else p[:1].upper() + p[1:]
                    for i, p in enumerate(parts))


def find_local_councils(text: str) -> list[tuple[str, int]]:
    """Parish, town, community, village and neighbourhood councils (and parish meetings) named in
    `text`, as ("Milburn Parish Council", character offset), in order. Upper-case names are
    title-cased; words that open a heading ("Minutes of the ...") are not part of the name."""
    out = []
    for m in LOCAL_COUNCIL_RE.finditer(text):
        words = m.group(1).split()
        cut = [i for i, w in enumerate(words) if w.lower() in _PRINCIPAL_WORDS]
        words = words[cut[-1] + 1:] if cut else words  # "Eden District Council and the Parish Council"
        while words and words[0].lower().strip(".") in _NOT_PLACE:
            words = words[1:]
        if not words or words[0].lower() in SMALL:
            continue
        if words[-1].lower() in ("annual", "extraordinary", "special"):  # "Milburn Annual Parish Meeting"
            words = words[:-1]
            if not words:
                continue
        name = " ".join(_title(w) if w.isupper() and len(w) > 3 else w for w in words)
        out.append((f"{name} {m.group(2).title()} {m.group(3).title()}", m.start(1) + m.group(1).find(words[0])))
    return out


def match_authority(name: str, known: list[str]) -> str | None:
    """The authority a user means by `name`, spelt as in `known` (the names a knowledge base
    holds) where possible: "Somerset" finds the stored "Somerset County Council" papers of 2022
    although the gazetteer's current name is "Somerset Council". Otherwise the gazetteer's name,
    or None."""
    found = resolve_authority(name)
    if found in known:
        return found
    q = name.strip().lower()
    exact = [a for a in known if a.lower() == q]
    if exact:
        return exact[0]
    for hits in ([a for a in known if a.lower().startswith(q)],
                 [a for a in known if len(q) >= 4 and any(w.startswith(q) for w in a.lower().split())]):
        if len(hits) == 1:
            return hits[0]
    return found


def suggest_among(name: str, known: list[str]) -> list[str]:
    """Close names for an error message: the gazetteer's, else the knowledge base's own."""
    import difflib

    out = suggest(name)
    if out:
        return out
    q = name.strip().lower()
    first = {a.lower().split()[0]: a for a in known if a.split()}
    out = [first[w] for w in difflib.get_close_matches(q, list(first), n=3, cutoff=0.5)]
    out += [a for a in known if q[:3] and a.lower().startswith(q[:3]) and a not in out]
    out += [a for a in difflib.get_close_matches(name, known, n=3, cutoff=0.5) if a not in out]
    return out


class UnknownAuthority(LookupError):
    """A name no authority matches; the message suggests the closest one."""


def resolve_names(names, known: list[str]) -> list[str]:
    """`match_authority` for each name, without repeats; UnknownAuthority naming the first that fails:
    'no authority matches "Lancs"; did you mean "Lancashire County Council"?'"""
    out: list[str] = []
    for name in names:
        found = match_authority(name, known)
        if found is None:  # a place several stored bodies are named after: "Milburn" -> its parish council and meeting
            q = " ".join(name.lower().split())
            hits = [a for a in known if len(q) >= 3 and a.lower().startswith(q + " ")]
            out += [a for a in hits if a not in out]
            if hits:
                continue
        if found is None:
            options = suggest_among(name, known)
            hint = f'; did you mean "{options[0]}"?' if options else ""
            raise UnknownAuthority(f'no authority matches "{name}"{hint}')
        if found not in out:
            out.append(found)
    return out
