"""What a later sentence says happened to an action, and the words it is read from.

    says(sentence, anchors) -> (what, cue)   what: done | updated | dropped | mention

- **done**: a completion, in a clause that names what the action names ("The bin has been ordered",
  "the letter had been sent to Highways", "the update report was presented", "is now in place");
- **updated**: the matter goes on ("still awaited", "no reply had been received", "chased", "deferred to",
  "ongoing", "would be", "yet to"): never a completion, whatever else the sentence says;
- **dropped**: it will not be done ("no longer required", "decided not to proceed", "withdrawn");
- **mention**: the sentence is about it and says neither.

A continuation that waits on something ("still awaited", "no reply", "chased", "deferred", "not yet")
anywhere in the sentence means the sentence closes nothing; a weaker one ("would", "will", "to be")
only where it stands in the same clause as the completion or the action's words.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache

DONE_VERBS = (
    r"completed|done|actioned|circulated|sent|forwarded|e-?mailed|posted|delivered|distributed|published|presented|"
    r"provided|submitted|received|installed|fitted|repaired|mended|fixed|replaced|renewed|cut(?:\s+back)?|trimmed|"
    r"cleared|cleaned|removed|emptied|painted|erected|put\s+(?:up|in(?:\s+place)?)|placed|ordered|purchased|bought|"
    r"paid|signed|returned|arranged|booked|organi[sz]ed|written|contacted|informed|notified|reported|registered|"
    r"sorted|addressed|implemented|obtained|collected|carried\s+out|undertaken|finished|set\s+up|added|included|"
    r"checked|inspected|investigated|resolved|dealt\s+with|shared|supplied|issued|made|given|uploaded|agreed|"
    r"approved|confirmed|held|tidied|filled|resurfaced|signposted|amended|updated|chased\s+and\s+\w+")
COMPLETION_RE = re.compile(
    rf"(?i)\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+|finally\s+|duly\s+)?been\s+(?:{DONE_VERBS})\b"
    rf"|\b(?:was|were)\s+(?:now\s+|duly\s+|finally\s+|subsequently\s+)?(?:{DONE_VERBS})\b(?!\s+(?:to|that\s+\w+\s+would)\b)"
    r"|\b(?:is|are|was|were)\s+now\s+(?:complete|completed|in\s+place|installed|fixed|done|up|working|open|finished|"
    r"available|live|resolved|sorted|repaired)\b"
    r"|\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+)?(?:written|contacted|sent|e-?mailed|spoken|ordered|arranged|"
    r"circulated|completed|received|obtained|installed|repaired|delivered|replaced|cleared|cut|paid|returned|submitted|"
    r"checked|confirmed|met|visited|purchased|bought|provided|published|presented|forwarded|registered|booked|"
    r"organi[sz]ed|fixed|removed|attended)\b"
    r"|(?<!\bto\s)(?<!\bwill\s)(?<!\bwould\s)(?<!\bbe\s)(?<!\bshould\s)\b(?:wrote|e-?mailed|contacted|circulated|"
    r"installed|completed|submitted|delivered|replaced|repaired|purchased|bought|forwarded|visited)\s+(?:to\s+)?"
    r"(?:the|a|an|all|with|it|them|this|these|those|[A-Z])"
    r"|\b(?:action|item|work|task|repair|job)s?\s+(?:is\s+|was\s+|are\s+|were\s+|now\s+)*(?:complete[d]?|closed|done)\b"
    r"|\breceived\s+(?:an?|the)\s+(?:update|report|presentation|briefing|response|reply|quote|quotation)\b"
    r"|\bconsidered\s+(?:an?|the)\s+(?:update|follow[- ]up|progress)\s+report\b"
    r"|\bas\s+requested\s+(?:by|at)\b|\breport(?:ed)?\s+back\b(?!\s+(?:to|at)\s+(?:the|a)\s+(?:next|future))"
    # a deliverable named as come in: "a quotation received from Ben Taylor", "the reply received"
    r"|\b(?:quot(?:e|es|ation|ations)|estimates?|reply|replies|response|letter|copy|report|invoice|email|confirmation)"
    r"\s+(?:was\s+|were\s+|had\s+been\s+|has\s+been\s+)?(?:now\s+)?received\b"
    # a label's line ending on what was done: "Blocked drain - on High Street outside The Cottage reported."
    r"|(?<!\bbe\s)(?<!\bto\s)\b(?:reported|ordered|done|completed|installed|repaired|fixed|sent|paid|actioned|cleared|"
    r"removed|replaced|circulated|received|cut|resolved|delivered|erected|emptied|sorted)\W*$")
# an action that is done when its matter comes back: "bring back to the June meeting", "place on the next agenda",
# "circulate ... before the next meeting for review" (the chains count the item discussed as done)
TO_MEETING_RE = re.compile(
    r"(?i)\b(?:bring|brought|come|report(?:ed)?|present(?:ed)?)\s+back\b|\b(?:on|to|for)\s+(?:the\s+)?(?:next|following|"
    r"future|january|february|march|april|may|june|july|august|september|october|november|december)\s+"
    r"(?:meeting|agenda)\b|\bagenda\b|\bfor\s+(?:review|approval|discussion|consideration)\s+at\b|\b(?:be\s+)?"
    r"(?:presented|considered|discussed|reviewed)\s+at\b")
# the later minutes taking the matter up: "The fees were looked at", "The Parish Council discussed", "It was agreed"
TAKEN_UP_RE = re.compile(
    r"(?i)\b(?:was|were|had\s+been|has\s+been)\s+(?:looked\s+at|discussed|reviewed|considered|presented|tabled|"
    r"read\s+out)\b|\b(?:discussed|reviewed|considered|presented)\s+(?:the|a|an|this|these|it)\b")
# waiting on something: a sentence with one of these closes nothing
HOLD_RE = re.compile(
    r"(?i)\bstill\s+(?:awaited|awaiting|outstanding|to\s+be|not|waiting|being|needed|required|on-?going|in\s+progress)\b"
    r"|\bawait(?:ing|ed|s)?\b|\bno\s+(?:reply|response|answer|news|update|further\s+(?:news|update|progress)|progress|"
    r"date|decision|confirmation|feedback|word)\b|\bnot\s+(?:yet|as\s+yet)\b|\b(?:as\s+)?yet\s+to\b|\bnot\s+been\b"
    r"|\b(?:has|have|had)\s+(?:still\s+)?not\b|\b(?:hasn|haven|hadn)['’]?t\b|\bre-?chas|\bchas(?:ed|ing|e)\b"
    r"|\bdeferred\b|\bcarried\s+(?:forward|over)\b|\bpending\b|\boutstanding\b|\bdelay(?:ed|s)?\b|\bwaiting\b"
    r"|\bunable\s+to\b|\bcould\s+not\b|\bcouldn['’]t\b|\bto\s+follow\b|\bin\s+(?:the\s+)?(?:process|hand)\b"
    r"|\bon-?going\b|\bin\s+progress\b|\bremains?\s+(?:open|unresolved|an\s+issue|a\s+problem|outstanding)\b")
# the matter goes on, in the clause that names it
GOES_ON_RE = re.compile(
    r"(?i)\b(?:will|would|shall)\s+(?:now\s+|also\s+|then\s+)?(?:be\s+)?\w+|\bto\s+be\s+\w+ed\b|\bwas\s+going\s+to\b"
    r"|\bcontinu(?:e|es|ed|ing)\b|\bbeing\s+(?:looked|progressed|dealt|pursued|investigated|arranged|organi[sz]ed|"
    r"considered|reviewed|followed|discussed|obtained|sought)\b|\bhoped\b|\bexpected\b|\bplanned\b|\bagreed\s+to\b"
    r"|\basked\s+(?:to|that|for|if|whether)\b|\brequested\b|\bwould\s+like\b|\bneeds?\s+to\b|\bshould\b|\bmay\b"
    r"|\bnext\s+(?:meeting|month|agenda)\b|\bfurther\s+(?:quotes?|information|details|discussion)\b")
DROPPED_RE = re.compile(
    r"(?i)\bno\s+longer\s+(?:required|needed|necessary|an\s+issue|a\s+problem|going\s+ahead|proceeding|relevant|"
    r"being\s+pursued)\b|\b(?:decided|agreed|resolved)\s+(?:not\s+to|against)\b|\bnot\s+(?:to\s+)?(?:proceed|pursue|"
    r"go\s+ahead)\b|\bwithdrawn\b|\babandoned\b|\bcancell?ed\b|\bremoved\s+from\s+(?:the\s+)?(?:agenda|list|"
    r"action\s+(?:list|log|tracker))\b|\bno\s+further\s+action\s+(?:was\s+|is\s+)?(?:required|needed|to\s+be\s+taken)\b"
    r"|\bnot\s+be\s+(?:pursued|progressed|going\s+ahead)\b|\bshelved\b|\bnot\s+(?:be\s+)?(?:necessary|required|needed)\b")
CLAUSE_RE = re.compile(r"(?i)\s*(?:;|:|,\s*(?:and|but|however|although|though|while|whereas|so)\b|\s(?:but|however|"
                       r"although|though|whereas)\b|,|\sand\s+(?=(?:the|he|she|they|it|we|this|that|there|a|an)\s|"
                       r"[A-Z][\w'’-]*\s+(?:[A-Z][\w'’-]*\s+)?(?:had|has|have|was|were|would|will|is|are|agreed)\b))\s*")
WORD_RE = re.compile(r"[a-z0-9]+")
_lock = threading.Lock()
_porter = None


@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """The Porter stem of `word`, as SQLite's FTS5 makes it for the search index ("ordered", "orders": "order";
    "cutting": "cut"; "circulated", "circulate": "circul")."""
    global _porter
    if _porter is None:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute("CREATE VIRTUAL TABLE q USING fts5(x, tokenize='porter ascii')")
        db.execute("CREATE VIRTUAL TABLE qv USING fts5vocab(q, instance)")
        _porter = db
    with _lock:
        _porter.execute("INSERT INTO q(rowid, x) VALUES (1, ?)", (word,))
        try:
            row = _porter.execute("SELECT term FROM qv ORDER BY offset LIMIT 1").fetchone()
        finally:
            _porter.execute("DELETE FROM q")
    return row[0] if row else word.lower()


def words(text: str | None, stop: frozenset[str] = frozenset()) -> set[str]:
    """The stemmed words of `text` (3 letters or more, not numbers) less `stop` (compared unstemmed and stemmed)."""
    stems = _stemmed(stop)
    out = set()
    for w in WORD_RE.findall((text or "").lower().replace("’", "'").replace("'s", "")):
        if len(w) < 3 or w.isdigit() or w in stop:
            continue
        s = stem(w)
        if s not in stems and len(s) > 2:
            out.add(s)
    return out


@lru_cache(maxsize=64)
def _stemmed(stop: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in stop) | stop


def _clauses(sentence: str) -> list[str]:
    parts = [p for p in CLAUSE_RE.split(sentence) if p and p.strip()]
    return parts or [sentence]


def _anchored(clause: str, anchors: set[str]) -> bool:
    return bool(anchors & words(clause))


def taken_up(action: str, sentence: str) -> str | None:
    """For an action that is to come back to a meeting, the words of a later sentence that take it up."""
    if not TO_MEETING_RE.search(action or "") or HOLD_RE.search(sentence) or DROPPED_RE.search(sentence):
        return None
    m = TAKEN_UP_RE.search(sentence)
    return m.group(0) if m else None


def says(sentence: str, anchors: set[str]) -> tuple[str, str | None]:
    """(done | updated | dropped | mention, the cue's words). `anchors`: the action's key words (as `words`
    gives them) that the sentence shares; a cue counts where its clause holds one of them (or the
    sentence is one clause)."""
    clauses = _clauses(sentence)
    single = len(clauses) == 1
    hold = HOLD_RE.search(sentence)
    for c in clauses:
        if not (single or _anchored(c, anchors)):
            continue
        m = DROPPED_RE.search(c)
        if m:
            return "dropped", m.group(0)
    if hold:
        return "updated", hold.group(0)
    goes_on = None
    for c in clauses:
        if not (single or _anchored(c, anchors)):
            continue
        on = GOES_ON_RE.search(c)
        m = COMPLETION_RE.search(c)
        if m and not on:  # "The bin has been ordered" (and "the Handyman will empty it once in place")
            return "done", m.group(0)
        goes_on = goes_on or (on.group(0) if on else None)
    if goes_on:
        return "updated", goes_on
    return "mention", None
