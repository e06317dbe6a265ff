"""The text that follow-up linking compares: what an action names, and the later sentences that may report on it.

Minutes say what they are about in three places, and a later report on an action mostly repeats one of them:

- the item: its number and title ("208/18 To Approve: Letter to Borough Council regarding Dukes Head Building",
  "CONSTABLES CHARITY a. ...", a heading "Fly Infestation");
- a label before a dash ("Cemetery Bin – The bin has been ordered ...", "b. Christchurch wall – estimates
  pending", "War Memorial - The Parish Clerk reported ...");
- the sentence's own words.

Words are stemmed (kb.followup_cues.words); the words of meeting business ("agreed", "Clerk", "meeting",
months) and people's names are left out of what an action names: they say who and when, not what.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.followup_cues import stem, words

STOP = frozenset("""
a an and or the of in on for to with by at from as is are was were be been being this that these those it its
they them their there we our us who which what when where how than then so such into over under has have had
will would should could may might can also not only more most less new all any each other some about after
before between during out up down off again further once here just very same own too both few many much
agreed agree resolved resolve noted note notes meeting meetings next month months week weeks year years item
items agenda minute minutes council councils parish borough county district town clerk clerks chair chairman
chairperson vice cllr cllrs councillor councillors member members committee panel board cabinet officer officers
report reports update updates discuss discussed discussion consider considered approve approved receive received
regarding re matter matters arising following advised said shared asked requested confirmed explained informed
time date dates due back further information details progress future action actions mr mrs ms dr held
january february march april may june july august september october november december jan feb mar apr jun jul
aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
first second third last end 1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th
contact contacted ask asked arrange arranged add added check checked send sent email emailed forward forwarded
chase chased provide provided write wrote written make made get got look looked put place placed share advise
seek sought find found review reviewed let know see speak spoke take taken give given come bring brought keep
need needed needs like help liaise inform follow raise raised respond response reply replied request
able possible currently now still already soon yet within without per
her his him she he they them their its you your our one two three four five six also any
public participation suggested suggest apologies welcome declaration declarations interest interests payment
payments bills bill accounts correspondence business urgent
""".split())
GENERIC_OWNER = STOP | frozenset("service services team director head manager lead corporate officer".split())
NAME_RE = re.compile(r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+((?:[A-Z][a-z'’-]+|[A-Z]\.?)(?:\s+[A-Z][\w'’-]+)?)"
                     r"|\b([A-Z][a-z]+\s+[A-Z][a-z'’-]+)\s+\([A-Z]{2,3}\)")  # "Pam Bullas (PB)"
SUB = r"(?:\(?(?:\d{1,2}(?:\.\d{1,2}){0,2}|[a-h]|[ivx]{1,4})[).]\s*)"  # "2)", "b.", "ii.", "6.3.1."
SENT_RE = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9£])|\s+(?=" + SUB + r"[A-Z])|\s*[•▪·]\s*")
LABEL_RE = re.compile(r"^\W*" + SUB + r"?([A-Z][\w'’/&.()-]*(?:\s+[A-Za-z(][\w'’/&.()-]*){0,7})\s+[–—-]\s+\S"
                      r"|^\W*" + SUB + r"?([A-Z][\w'’/&()-]*(?:\s+[A-Za-z(][\w'’/&()-]*){0,4}):\s+\S")  # "Bus Shelter: the roof"
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
MINUTE_NO_RE = re.compile(r"^\s*(?:minute\s+)?(\d{1,4}/\d{2,4}|\d{1,3}(?:\.\d{1,2}){0,2})\.?\s+(?!" + MONTHS + r"\b)(?=[A-Z])",
                          re.I)
# an item that starts inside a block (an HTML dump's run of "140/18 Apologies ... 141/18 Declarations ..."): a minute
# number with a slash, dots or a full stop ("141/18", "5.9", "16."), not a bare number ("10 Ryston Road")
ITEM_START_RE = re.compile(r"^\s*(?:minute\s+)?(\d{1,4}/\d{2,4}|\d{1,3}(?:\.\d{1,2}){1,2}|\d{1,3}(?=\.))\.?\s+(?!" + MONTHS
                           + r"\b)(?=[A-Z])", re.I)
# a sub-item's marker at a sentence's start or just before it: "a. Dog bin location ...", "(ii) ..."
SUB_START_RE = re.compile(r"(?:^|\s)\(?([a-h]|[ivx]{1,4})[).]\s*$")
# a later sentence's reference back to an earlier item: "Item 16a, the bin has been installed", "as per minute 127/18"
ITEM_REF_RE = re.compile(r"(?i)\b(?:item|minute|min\.)\s+(\d{1,4}(?:/\d{2,4})?)\s*\(?([a-h])?\)?(?![\w/])")
CAPS_TITLE_RE = re.compile(r"^\s*(?:\d{1,3}\.?\s+)?((?:[A-Z][A-Z0-9'’&/,()-]+\s*){1,8}?)(?=\s*[–—:-]\s|\s+[A-Z]?[a-z]|\s+"
                           r"[a-z]\.|\s*$)")
# sentences every set of minutes holds, which report on no action: the minutes signed as a true record, apologies,
# declarations of interest, the date of the next meeting; and a bare sub-item marker ("iii.")
BOILERPLATE_RE = re.compile(
    r"(?i)\b(?:signed|approved|accepted|agreed|adopted)\s+(?:\w+\s+){0,5}?as\s+(?:a\s+)?(?:true|correct|accurate)\s+record\b"
    r"|^\W*(?:apologies|declarations?\s+of\s+interests?|date\s+of\s+(?:the\s+)?next\s+meeting)\b"
    r"|^\W*(?:\d{1,2}(?:\.\d{1,2}){0,2}|[a-h]|[ivx]{1,4})[).]?\W*$")
ARISING_RE = re.compile(r"(?i)matters?\s+arising|clerk['’]?s\s+report|outstanding\s+actions?|action\s+(?:log|points?|list|"
                        r"tracker|sheet|plan\s+update)|actions?\s+(?:from|arising)|progress\s+(?:on|report)|minutes\s+of\s+"
                        r"(?:the\s+)?(?:previous|last|parish|meeting)|reports?\s+and\s+matters|carried\s+forward")


@dataclass
class Unit:
    """A later sentence (or a tracker table row) that may report on an action."""
    doc: dict
    block: int
    page: int | None
    text: str
    own: set[str]  # its words and its label's
    topic: set[str]  # its label's and its item's words
    item: str = ""  # the item's number and title: where a reference to an earlier minute shows
    arising: bool = False  # under "Matters arising", a clerk's report, an action log
    label: set[str] = field(default_factory=set)  # its label's words ("Cemetery Bin")
    stated: str | None = None  # a tracker row's stated status
    ref: str | None = None  # a tracker row's Ref cell
    cue: str | None = None  # a tracker row's Status cell
    chunk: int | None = None
    after: str = ""  # the next three sentences of its paragraph ("... A third is awaited. Decision deferred to April.")


@dataclass
class Profile:
    """What an action names."""
    rec: dict
    doc: dict
    rowid: int
    own: set[str]  # its own words, less people's names and the owner's
    topic: set[str]  # its item's and its label's words
    ref: str | None  # its minute number ("208/18")
    owner: set[str]
    tracker_ref: str | None = None  # a tracker row's Ref
    sub: str | None = None  # its sub-item's letter ("a" of "16. UPDATE ON CURRENT WORKS a. Dog bin ...")
    vec: object = None
    links: list = field(default_factory=list)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENT_RE.split(text or "") if s and len(s.strip()) > 3]


def item_of(block) -> tuple[str | None, str]:
    """(the item's minute number, its title) for a block: "208/18 To Approve: Letter to ..." -> ("208/18", its
    first words); "CONSTABLES CHARITY a. A copy ..." -> (None, "CONSTABLES CHARITY"); and the last part of its
    heading path that says something ("Family Safeguarding model", not the "Minutes:" under it)."""
    text = block.text or ""
    m = MINUTE_NO_RE.match(text)
    number = block.number or (m.group(1) if m else None)
    title = ""
    if m:
        first = sentences(text[m.end():])[:1]
        label = _label(first[0]) if first else ""
        title = label or " ".join((first[0] if first else "").split()[:10])
    caps = CAPS_TITLE_RE.match(text)
    if caps and len(caps.group(1).split()) >= 1 and len(caps.group(1)) > 4:
        title = f"{title} {caps.group(1)}"
    parts = (block.section or "").split(" > ")
    # its item's heading, above a bare "Minutes:" or "Resolved" (a ModernGov page's parts)
    section = next((x for x in reversed(parts) if words(x, STOP)), parts[-1])
    sm = MINUTE_NO_RE.match(section)
    if number is None and sm:
        number = sm.group(1)
    return number, f"{title} {section}".strip()


def walk(block) -> list[tuple[str, str | None, str, str | None]]:
    """(sentence, item number, item title, sub-item letter) for each sentence of a block: an item that starts inside
    the block ("... 141/18 Consider Declarations of Interest ...") takes over from the block's own."""
    number, title = item_of(block)
    text = block.text or ""
    sub, out, end = None, [], 0
    for k, s in enumerate(sentences(text)):
        at = text.find(s, end)
        m = ITEM_START_RE.match(s)
        if m and k:
            rest = s[m.end():]
            number, title, sub = m.group(1), _label(rest) or " ".join(rest.split()[:10]), None
        sm = SUB_START_RE.search(text[end:at] if at >= 0 else "") or SUB_START_RE.search(s[:6] + " ")
        if sm:
            sub = sm.group(1).lower()
        end = at + len(s) if at >= 0 else end
        out.append((s, number, title, sub))
    return out


def _label(sentence: str) -> str:
    m = LABEL_RE.match(sentence)
    return (m.group(1) or m.group(2)) if m else ""


def units_of(store, doc: dict) -> list[Unit]:
    from nlp.tracker_tables import read_row, tracker_columns

    out, cols_of = [], {}
    for i, b in enumerate(store.blocks(doc["id"])):
        if b.kind == "heading":
            continue
        number, title = item_of(b)
        where = f"{number or ''} {title}"
        arising = bool(ARISING_RE.search(f"{where} {b.section or ''} {(b.text or '')[:40]}"))
        item_words = words(title, STOP)
        if b.kind == "table_row" and b.cells and b.header:
            key = (b.table, tuple(b.header))
            cols = cols_of.setdefault(key, tracker_columns(b.header))
            row = read_row(b.cells, cols, doc.get("meeting_date")) if cols else None
            if row is not None:
                text = row["text"] + (f" — {row['update']}" if row.get("update") else "")
                out.append(Unit(doc, i, b.page, text, words(text, STOP), item_words, where, True, set(), row["status"],
                                row.get("ref"), row["cue"]))
                continue
        block_label = ""
        walked = walk(b)
        ss = [w[0] for w in walked]
        for k, (s, num, ttl, _sub) in enumerate(walked):
            if (num, ttl) != (number, title):  # an item that starts inside the block
                number, title = num, ttl
                where = f"{number or ''} {title}"
                arising = bool(ARISING_RE.search(where))
                item_words, block_label = words(title, STOP), ""
            label = _label(s) or block_label
            block_label = block_label or _label(s)
            lw = words(label, STOP)
            own = words(s, STOP) | lw
            if own and not BOILERPLATE_RE.search(s):
                out.append(Unit(doc, i, b.page, s, own, item_words | lw, where, arising, lw, after=" ".join(ss[k + 1:k + 4])))
    return out


def names_in(blocks_of: dict[str, list]) -> frozenset[str]:
    """The words of people's names in these papers ("Cllr Jim McNeill", "Pam Bullas (PB)"): who, not what.
    A word the papers also write in lower case is no name ("Mr Sparkle Grass cutting")."""
    cand, lower = set(), set()
    for blocks in blocks_of.values():
        for b in blocks:
            text = b.text or ""
            for m in NAME_RE.finditer(text):
                cand.update(w for w in re.findall(r"[A-Za-z'’-]+", m.group(1) or m.group(2)) if len(w) > 2)
            lower.update(re.findall(r"(?<![A-Za-z])[a-z][a-z'’-]+", text))
    return frozenset(stem(w.lower()) for w in cand if w.lower() not in lower)


def _block_of(rec: dict, blocks: list):
    """The block a record was read from (its index; else the block holding its text)."""
    if rec.get("block") is not None and rec["block"] < len(blocks):
        return blocks[rec["block"]]
    probe = " ".join((rec.get("text") or "").lower().split())[:40]
    return next((b for b in blocks if probe and probe in " ".join((b.text or "").lower().split())), None)


def profile(rec: dict, doc: dict, blocks: list, names: frozenset[str] = frozenset()) -> Profile:
    b = _block_of(rec, blocks)
    number, title = item_of(b) if b is not None else (None, (rec.get("section") or "").split(" > ")[-1])
    sub = None
    if b is not None:  # the item (and sub-item) the action's own sentence stands under
        probe = " ".join((rec.get("text") or "").split())[:30]
        number, title, sub = next(((n, t, x) for s, n, t, x in walk(b) if probe and probe in " ".join(s.split())),
                                  (number, title, None))
    stop = STOP | place_words(doc) | names
    own = words(rec.get("text"), stop)
    owner = words(rec.get("owner"), GENERIC_OWNER | place_words(doc))
    label, antecedent = "", ""
    if b is not None:  # the label of the action's own sentence, else of the paragraph it stands in
        text = b.text or ""
        at = text.find((rec.get("text") or "")[:40])
        before = sentences(text[:at]) if at > 0 else []
        label = _label(rec.get("text") or "") or next((_label(s) for s in reversed(before) if _label(s)), "") \
            or _label(text)
        if len(own - owner) < 2 and before:
            # "Clerk to progress.", "To place on October agenda.": a task with no words of its own is about what the
            # sentence before it in its paragraph names
            antecedent = before[-1]
    tref = None
    if str(rec.get("cue") or "").startswith("tracker table") and b is not None and b.cells:
        from nlp.tracker_tables import read_row, tracker_columns

        cols = tracker_columns(b.header)
        row = read_row(b.cells, cols, doc.get("meeting_date")) if cols else None
        tref = (row or {}).get("ref")
    return Profile(rec, doc, rec["rowid"], own - owner, words(f"{title} {label} {antecedent}", stop),
                   number, owner, tref, sub=sub)


def place_words(doc: dict) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", (doc.get("authority") or "").lower()))
