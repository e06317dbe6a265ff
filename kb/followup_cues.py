"""What a later sentence says happened to an action, and the words it is read from.

    says(sentence, anchors) -> (what, cue)   what: done | updated | dropped | mention

- **done**: a completion, in a clause that names what the action names ("The bin has been ordered",
  "the letter had been sent to Highways", "the update report was presented", "is now in place");
- **updated**: the matter goes on ("still awaited", "no reply had been received", "chased", "deferred to",
  "ongoing", "would be", "yet to") or is done in part ("only two quotes have been received", "one estimate
  has been received", "one of the draft notices"): never a completion, whatever else the sentence says;
- **dropped**: it will not be done ("no longer required", "decided not to proceed", "withdrawn");
- **mention**: the sentence is about it and says neither.

A continuation that waits on something ("still awaited", "no reply", "chased", "deferred", "not yet")
anywhere in the sentence means the sentence closes nothing; a weaker one ("would", "will", "to be")
only where it stands in the same clause as the completion or the action's words.

Given the action's own words (`says(sentence, anchors, action)`), what counts as done follows what the
action asked for, as minutes report back:

- an action to get in touch (write to, contact, ask, chase, report to, raise with, request ...) is done when
  the contact is reported made ("the Clerk had written to Highways", "a timetable has been requested") or
  answered ("a reply had been received", "Highways had confirmed that ..."), whatever is still awaited from
  the other side: what the owner was to do is done;
- an action to find something out (investigate, check, find out, look into) is done when the answer is
  reported ("the Borough Council had advised that ...", "the Clerk had checked ...");
- any action is done when a later sentence reports its own verb done ("to purchase padlocks": "a padlock
  purchased"; "to attend": "the evening that he attended"; "to draft a letter": "the letter drafted"), in a
  clause that does not say it goes on.

Where no clause of a sentence holds the action's words (it is linked through its item or label: "Tree
Works – Three were received from CGM, ..."), every clause is read.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache

from nlp.vocab import alternation
from nlp.vocab import words as vocab

DONE_VERBS = (
    r"completed|done|actioned|circulated|sent|forwarded|e-?mailed|posted|delivered|distributed|published|presented|"
    r"provided|submitted|received|installed|fitted|repaired|mended|fixed|replaced|renewed|cut(?:\s+back)?|trimmed|"
    r"cleared|cleaned|removed|emptied|painted|erected|put\s+(?:up|in(?:\s+place)?)|placed|ordered|purchased|bought|"
    r"paid|signed|returned|arranged|booked|organi[sz]ed|written|contacted|informed|notified|reported|registered|"
    r"sorted|addressed|implemented|obtained|collected|carried\s+out|undertaken|finished|set\s+up|added|included|"
    r"checked|inspected|investigated|resolved|dealt\s+with|shared|supplied|issued|made|given|uploaded|"
    r"approved|held|tidied|filled|resurfaced|signposted|amended|updated|chased\s+and\s+\w+")
# ("it was agreed", "it was confirmed that" say what the meeting decided or heard, not that a task was done)
COMPLETION_RE = re.compile(
    rf"(?i)\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+|finally\s+|duly\s+)?been\s+(?:{DONE_VERBS})\b"
    rf"|\b(?:was|were)\s+(?:now\s+|duly\s+|finally\s+|subsequently\s+)?(?:{DONE_VERBS})\b(?!\s+(?:to|that\s+\w+\s+would)\b)"
    r"|\b(?:is|are|was|were)\s+now\s+(?:complete|completed|in\s+place|installed|fixed|done|up|working|open|finished|"
    r"available|live|resolved|sorted|repaired|in\s+(?:a\s+)?(?:good|better|safe|usable)\s+(?:state|condition|order|repair))\b"
    # "SAM2 on order", "has had a shield fitted"
    r"|(?<!\bnot\s)\b(?:is|are|now|been|was|were)?\s*on\s+order\b|\b(?:has|have|had)\s+had\s+(?:an?\s+|the\s+|its\s+|their\s+)?"
    rf"(?:\w+\s+){{0,2}}(?:{DONE_VERBS})\b"
    r"|\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+)?(?:written|contacted|sent|e-?mailed|spoken|ordered|arranged|"
    r"circulated|completed|received|obtained|installed|repaired|delivered|replaced|cleared|cut|paid|returned|submitted|"
    r"checked|confirmed|met|visited|purchased|bought|provided|published|presented|forwarded|registered|booked|"
    r"organi[sz]ed|fixed|removed|attended|shared|drafted|amended|updated|completed|spoken|raised|reported)\b"
    r"|(?<!\bto\s)(?<!\bwill\s)(?<!\bwould\s)(?<!\bbe\s)(?<!\bshould\s)\b(?:wrote|e-?mailed|contacted|circulated|"
    r"installed|completed|submitted|delivered|replaced|repaired|purchased|bought|forwarded|visited)\s+(?:to\s+)?"
    r"(?:the|a|an|all|with|it|them|this|these|those|[A-Z])"
    r"|\b(?:action|item|work|task|repair|job)s?\s+(?:is\s+|was\s+|are\s+|were\s+|now\s+)*(?:complete[d]?|closed|done)\b"
    # "the work had now taken place"; "BR8 to FP5 had been confirmed as being cut"
    r"|\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+)?taken\s+place\b"
    rf"|\bconfirmed\s+as\s+(?:being\s+|having\s+been\s+)?(?:{DONE_VERBS})\b"
    r"|\breceived\s+(?:an?|the)\s+(?:update|report|presentation|briefing|response|reply|quote|quotation)\b"
    r"|\bconsidered\s+(?:an?|the)\s+(?:update|follow[- ]up|progress)\s+report\b"
    r"|\bas\s+requested\s+(?:by|at)\b|\breport(?:ed)?\s+back\b(?!\s+(?:to|at)\s+(?:the|a)\s+(?:next|future))"
    # a deliverable named as come in: "a quotation received from Ben Taylor", "the reply received"
    r"|\b(?:quot(?:e|es|ation|ations)|estimates?|reply|replies|response|letter|copy|report|invoice|email|confirmation)"
    r"\s+(?:was\s+|were\s+|had\s+been\s+|has\s+been\s+)?(?:now\s+)?received\b"
    # a label's line ending on what was done: "Blocked drain - on High Street outside The Cottage reported."
    r"|(?<!\bbe\s)(?<!\bto\s)\b(?:reported|ordered|done|completed|installed|repaired|fixed|sent|paid|actioned|cleared|"
    r"removed|replaced|circulated|received|cut|resolved|delivered|erected|emptied|sorted)\W*$")
# "deferred" as a verb ("Decision deferred to April"), not the adjective naming what had been deferred and is now
# dealt with ("agreed to now pay the deferred payment")
DEFERRED = r"(?<!\bthe\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\bthese\s)(?<!\bthose\s)(?<!\bits\s)(?<!\btheir\s)\bdeferred\b"
# an action that is done when its matter comes back: "bring back to the June meeting", "place on the next agenda",
# "circulate ... before the next meeting for review" (the chains count the item discussed as done)
TO_MEETING_RE = re.compile(
    r"(?i)\b(?:bring|brought|come|report(?:ed)?|present(?:ed)?)\s+back\b|\bdefer(?:red|s)?\b|\b(?:on|to|for|at|before|until)\s+(?:the\s+)?(?:next|following|"
    r"future|january|february|march|april|may|june|july|august|september|october|november|december)\s+"
    r"(?:meeting|agenda)\b|\bagenda\b|\bfor\s+(?:review|approval|discussion|consideration)\s+at\b|\b(?:be\s+)?"
    r"(?:presented|considered|discussed|reviewed)\s+at\b")
# the later minutes taking the matter up: "The fees were looked at", "The Parish Council discussed", "It was agreed"
TAKEN_UP_RE = re.compile(
    r"(?i)\b(?:was|were|had\s+been|has\s+been)\s+(?:looked\s+at|discussed|reviewed|considered|presented|tabled|"
    r"read\s+out)\b|\b(?:discussed|reviewed|considered|presented)\s+(?:the|a|an|this|these|it)\b"
    # the matter decided on at that meeting, or its item there: "The Parish Council agreed that they would register
    # ...", "208/18 To Approve: Letter to Borough Council ..."
    r"|\b(?:council|councillors|members|committee|it)\s+(?:was\s+)?(?:unanimously\s+)?(?:agreed|resolved|decided|approved)\b"
    r"|^\W*(?:\d{1,4}(?:/\d{2,4})?\.?\s*)?to\s+(?:approve|consider|agree|review|discuss)\s*:")
# waiting on something: a sentence with one of these closes nothing
HOLD_RE = re.compile(
    r"(?i)\bstill\s+(?:awaited|awaiting|outstanding|to\s+be|not|waiting|being|needed|required|on-?going|in\s+progress)\b"
    r"|\bstill\s+(?:had|has|have|needs?|needed)\s+to\b"
    r"|\bawait(?:ing|ed|s)?\b|\bno\s+(?:reply|response|answer|news|update|further\s+(?:news|update|progress)|progress|"
    r"date|decision|confirmation|feedback|word)\b|\bnot\s+(?:yet|as\s+yet)\b|\b(?:as\s+)?yet\s+to\b|\bnot\s+been\b"
    r"|\b(?:has|have|had)\s+(?:still\s+)?not\b|\b(?:hasn|haven|hadn)['’]?t\b|\bre-?chas|\bchas(?:ed|ing|e)\b"
    r"|" + DEFERRED + r"|\bcarried\s+(?:forward|over)\b|\bpending\b|\boutstanding\b|\bdelay(?:ed|s)?\b|\bwaiting\b"
    r"|\bunable\s+to\b|\bcould\s+not\b|\bcouldn['’]t\b|\bto\s+follow\b|\bin\s+(?:the\s+)?(?:process|hand)\b"
    r"|\bon-?going\b|\bin\s+progress\b|\bremains?\s+(?:open|unresolved|an\s+issue|a\s+problem|outstanding)\b"
    # a part done is not the whole: "only two quotes have been received", "one estimate has been received", "one of
    # the draft notices", "partly cleared"
    r"|\bonly\s+(?:one|two|three|\d+|some|a\s+few|part)\b|\bone\s+(?:of\s+(?:the|these|those|his|her|its|their)\s+)?"
    r"(?:\w+\s+)?(?:estimates?|quotes?|quotations?|repl(?:y|ies)|responses?|tenders?)\s+(?:has|had|have|was)\b"
    r"|\b(?:circulated|received|completed|done|installed|repaired|sent|replaced|cut|cleared)\s+(?:just\s+)?one\s+of\b"
    r"|\bpart(?:ly|ially)\b|\bsome\s+of\s+(?:the|these|those)\b")
# the matter goes on, in the clause that names it
GOES_ON_RE = re.compile(
    r"(?i)\b(?:will|would|shall)\s+(?:now\s+|also\s+|then\s+)?(?:be\s+)?\w+|\bto\s+be\s+\w+ed\b|\bwas\s+going\s+to\b"
    r"|\bcontinu(?:e|es|ed|ing)\b|\bbeing\s+(?:looked|progressed|dealt|pursued|investigated|arranged|organi[sz]ed|"
    r"considered|reviewed|followed|discussed|obtained|sought)\b|\bhoped\b|\bexpected\b|\bplanned\b|\bagreed\s+to\b"
    r"|\basked\s+(?:to|that|for|if|whether)\b|\brequested\b(?!\s+by\b)|\bwould\s+like\b|\bneeds?\s+to\b|\bshould\b"
    r"|(?<!\d\s)\bmay\b(?!\s+(?:\d|meeting|agenda|parish|council))"  # the modal, not the month ("on 3 May")
    r"|\bnext\s+(?:meeting|month|agenda)\b|\bfurther\s+(?:quotes?|information|details|discussion)\b")
DROPPED_RE = re.compile(
    r"(?i)\bno\s+longer\s+(?:required|needed|necessary|an\s+issue|a\s+problem|going\s+ahead|proceeding|relevant|"
    r"being\s+pursued)\b|\b(?:decided|agreed|resolved)\s+(?:not\s+to|against)\b|\bnot\s+(?:to\s+)?(?:proceed|pursue|"
    r"go\s+ahead)\b|\bwithdrawn\b|\babandoned\b|\bcancell?ed\b|\bremoved\s+from\s+(?:the\s+)?(?:agenda|list|"
    r"action\s+(?:list|log|tracker))\b|\bno\s+further\s+action\s+(?:was\s+|is\s+)?(?:required|needed|to\s+be\s+taken)\b"
    r"|\bnot\s+be\s+(?:pursued|progressed|going\s+ahead)\b|\bshelved\b|\bnot\s+(?:be\s+)?(?:necessary|required|needed)\b")
# what the action asks its owner to do: the verbs after "to", "will", "would" ("Clerk to write to Highways",
# "Cllr Human will attend", "agreed to draft a letter", "would be contacting")
# "would be contacting"; and a resolution's "that an update report be presented", "the matter be referred"
ACTION_VERB_RE = re.compile(r"(?i)(?:\b(?:to|will|would|shall|should|must|'ll)\s+(?:also\s+|now\s+|then\s+|again\s+|"
                            r"urgently\s+|further\s+)?(?:be\s+)?|(?<![a-z])(?<!\bto\s)(?<!\bnot\s)be\s+(?=[a-z]+(?:ed|en)\b))"
                            r"([a-z]+(?:-[a-z]+)?)(?:\s+(up|out|into|back|on))?(?:\s+(?:and|or|&)\s+([a-z]+))?")
# getting in touch, finding out (nlp/data/contact_verbs.txt, inquiry_verbs.txt)
CONTACT_VERBS = frozenset(vocab("contact_verbs"))
INQUIRY_VERBS = frozenset(vocab("inquiry_verbs"))
CONTACT_MADE_RE = re.compile(
    r"(?i)\b(?:has|have|had)\s+(?:now\s+|already\s+|since\s+|also\s+|duly\s+|subsequently\s+|again\s+)?(?:written|wrote|"
    r"contacted|e-?mailed|spoken|asked|requested|chased|reported|sent|forwarded|informed|notified|approached|"
    r"invited|replied|responded|enquired|queried|telephoned|phoned|been\s+in\s+(?:touch|contact))\b"
    # a matter raised with someone, not a cheque or an invoice raised ("he had raised a cheque for £42.20")
    r"|\b(?:has|have|had)\s+(?:now\s+|already\s+|also\s+)?raised\s+(?:[\w'’-]+\s+){0,4}?(?:with|to)\b"
    r"|\b(?:has|have|had)\s+(?:now\s+|already\s+|also\s+)?been\s+(?:requested|reported|raised|sent|e-?mailed|chased|"
    r"contacted|written\s+to|informed|notified|forwarded|approached|invited)\b"
    r"|\b(?:was|were)\s+(?:duly\s+|subsequently\s+)?(?:contacted|reported|written\s+to|e-?mailed|informed|notified|"
    r"sent|forwarded|approached|invited|requested)\b(?!\s+to\s+\w+\s)"
    # "Blocked drain – reported to Highways", "passed on to the Borough Council" (not "reported to the meeting")
    r"|(?<!\bto\s)(?<!\bbe\s)(?<!\bwill\s)(?<!\bwould\s)\b(?:reported|referred|passed|sent|forwarded)\s+(?:on\s+)?to\s+"
    r"(?!(?:the\s+)?(?:meeting|council\b|members|councillors|parish\s+council))"
    r"|(?<!\bto\s)(?<!\bwill\s)(?<!\bwould\s)(?<!\bshould\s)\b(?:wrote|e-?mailed|contacted|spoke|telephoned|phoned|"
    r"replied|responded)\s+(?:back\s+)?(?:to\s+|with\s+)?(?:the|a|an|all|him|her|them|it|[A-Z])")
ANSWER_RE = re.compile(
    r"(?i)(?<!\bno\s)(?<!\bnot\s)\b(?:reply|replies|response|responses|answer|letter|e-?mail|message|acknowledge?ment|confirmation|advice)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:now\s+|finally\s+)?(?:been\s+)?received\b"
    r"|\b(?:had|has|have)\s+(?:now\s+|finally\s+)?received\s+(?:an?|the|their|his|her|its)\s+(?:\w+\s+){0,2}?"
    r"(?:reply|response|answer|letter|e-?mail|message|acknowledge?ment|confirmation|call|advice)\b"
    r"|\b(?:had|has|have)\s+(?:now\s+|since\s+|both\s+|also\s+)?(?:replied|responded|confirmed|advised|stated|answered|"
    r"indicated|explained|agreed)\b(?!\s+to\b)"
    r"|\b(?:a|the)\s+(?:reply|response|answer)\s+(?:from|to)\b"
    # the one contacted agreeing to do what was asked: "the Factory Manager had agreed to cut back the ivy"
    r"|\b(?:had|has|have)\s+(?:now\s+|since\s+|also\s+)?agreed\s+to\b")
FOUND_OUT_RE = re.compile(
    r"(?i)\b(?:has|have|had)\s+(?:now\s+|since\s+|also\s+)?(?:checked|investigated|looked\s+into|assessed|found|"
    r"established|ascertained|inspected|explored|visited)\b")
# the past forms an action's own verb takes when a later sentence reports it done
IRREGULAR = {"write": ("written", "wrote"), "send": ("sent",), "buy": ("bought",), "make": ("made",), "get": ("got",),
             "put": ("put",), "cut": ("cut",), "pay": ("paid",), "speak": ("spoken", "spoke"), "meet": ("met",),
             "hold": ("held",), "give": ("given", "gave"), "take": ("taken", "took"), "find": ("found",),
             "seek": ("sought",), "bring": ("brought",), "set": ("set",), "lay": ("laid",), "do": ("done", "did"),
             "draw": ("drawn", "drew"), "run": ("run", "ran"), "begin": ("begun",), "build": ("built",),
             "lead": ("led",), "read": ("read",), "tell": ("told",), "sell": ("sold",), "fit": ("fitted",)}
# verbs too general to tell that this action was done ("to look at", "will consider", "to keep an eye")
ECHO_STOP = frozenset("""be have do agree note discuss consider look update keep continue monitor see let need like go come
try ask make get take seek give find put bring use help follow receive hear know think tell approve accept investigate
check attend propose second vote resolve congratulate thank welcome wish""".split()) - {"attend"}
NOT_DONE_BEFORE = frozenset("to will would shall should could may might must can not never yet be being cannot".split())


NOT_VERBS = frozenset("""the and this that these those all any both each every some one two three his her their its our
your them him own other such date day week month year meeting agenda council committee parish clerk not never
yet also just now then soon able""".split())


def action_verbs(action: str | None) -> set[str]:
    """The verbs an action asks for, in their base form ("Clerk to write to Highways and chase": write, chase;
    "find out": find)."""
    out = set()
    for n, m in enumerate(ACTION_VERB_RE.finditer(action or "")):
        # the first verb asked for, and those joined to it ("to ask ... and to chase"); not a purpose further on
        # ("to discuss further at the August meeting to allow Councillors more time")
        if n and not re.search(r"(?i)\b(?:and|or|then)\s*$", (action or "")[:m.start()]):
            continue
        if re.search(r"(?i)\b(?:written|wrote|sent|reported|forwarded|passed|given|added|returned|spoken|spoke|talked|went|"
                     r"gone|moved|referred|delivered|circulated|e-?mailed|posted|submitted|presented|copied|applied|replied|"
                     r"responded|back|up|out|due|close|next|prior|according|related|regard|regards|respect|addition|"
                     r"order)\s*$", (action or "")[:m.start()]):
            continue  # "had written to both ...", "sent to the Clerk", "in respect to": no verb asked for
        for v in (m.group(1), m.group(3)):
            if v and len(v) > 2 and v[0].islower() and v not in NOT_VERBS:
                v = v.lower()
                out.add(v[:-3] if v.endswith("ing") and len(v) > 6 else v)  # "would be contacting": contact
        if m.group(2) and m.group(1).lower() in ("find", "look"):
            out.add("investigate")
    return out


def _kind(verbs: set[str]) -> set[str]:
    stems = {stem(v) for v in verbs}
    return ({"contact"} if stems & {stem(v) for v in CONTACT_VERBS} else set()) \
        | ({"inquiry"} if stems & {stem(v) for v in INQUIRY_VERBS} else set())


def echo(verbs: set[str], clause: str) -> str | None:
    """The word of `clause` that reports one of the action's own verbs done ("a padlock purchased", "has been
    installed", "he attended"): a past form, not after "to", "will", "not", "be" (unless "has been")."""
    want = {stem(v): v for v in verbs if v not in ECHO_STOP}
    if not want:
        return None
    irregular = {f: v for v in want.values() for f in IRREGULAR.get(v, ())}
    bases = {v for v in want.values() if not v.endswith(("ed", "en"))}  # "be presented" asks for "presented"
    toks = re.findall(r"[A-Za-z][a-z'’-]*", clause)
    for i, t in enumerate(toks):
        lw = t.lower()
        if lw in irregular or (lw.endswith(("ed", "en")) and stem(lw) in want and lw not in bases):
            before = [x.lower() for x in toks[max(0, i - 2):i]]
            if before and before[-1] in NOT_DONE_BEFORE and not (before[-1] == "been" or before[-2:] == ["had", "be"]):
                continue
            if len(before) == 2 and before[-1] in ("be", "being") and before[0] in NOT_DONE_BEFORE:
                continue
            return t
    return None


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


def cue_clause(sentence: str, cue: str | None) -> str:
    """The clause of `sentence` that holds the cue's words (`says`'s second value); the sentence where none does."""
    core = (cue or "").split(": ", 1)[-1].strip().lower()
    if core:
        for c in _clauses(sentence):
            if core in c.lower():
                return c
    return sentence


def asks(action: str | None) -> bool:
    """Whether an action asks for something to be done ("Clerk to write", "will attend"), rather than reporting
    how a matter stands ("estimates are awaited", "the Clerk had made further amendments")."""
    return bool(action_verbs(action) - {"be", "have", "like", "need", "also"})


def _anchored(clause: str, anchors: set[str]) -> bool:
    return bool(anchors & words(clause))


def taken_up(action: str, sentence: str, after: str = "") -> str | None:
    """For an action that is to come back to a meeting, the words of a later sentence that take it up (unless the
    sentences `after` it in its paragraph move it on again: "Decision deferred to April meeting")."""
    if not TO_MEETING_RE.search(action or "") or HOLD_RE.search(sentence) or DROPPED_RE.search(sentence) \
            or MOVED_ON_RE.search(after):
        return None
    m = TAKEN_UP_RE.search(sentence)
    return m.group(0) if m else None


MONTH_NUMBER = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                               "dec"))}
NAMED_MEETING_RE = re.compile(
    r"(?i)\b(?:on|to|for|at|before|until|in)\s+(?:the\s+)?(next|following|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+(?:parish\s+council\s+"
    r"|council\s+)?(?:meeting|agenda)\b")
# the matter moved on again rather than taken up: "deferred", "carried forward", "to place on the July agenda"
MOVED_ON_RE = re.compile(r"(?i)" + DEFERRED + r"|\bcarried\s+(?:forward|over)\b|\bpostponed\b|\badjourned\b|\bnot\s+discussed\b"
                         r"|\b(?:to\s+(?:be\s+)?)?(?:place[ds]?|put)\s+on\s+(?:the\s+)?\w+\s+agenda\b|\bnext\s+meeting\b")


def meeting_named(action: str | None) -> str | int | None:
    """The meeting an action puts its matter to: "next" ("place on the next agenda", "report back at the following
    meeting") or a month's number ("Clerk to place on Sep agenda": 9); None for other actions."""
    m = NAMED_MEETING_RE.search(action or "")
    if not m:
        return None
    w = m.group(1).lower()
    return "next" if w in ("next", "following") else MONTH_NUMBER.get(w[:3])


# still waiting at that meeting (a part received, "one estimate has been received", is the matter taken up all the same)
WAITING_RE = re.compile(r"(?i)\bawait(?:ing|ed|s)?\b|\bwaiting\s+(?:for|on|to)\b|\bno\s+(?:reply|response|answer)\b")


def taken_up_at(action: str | None, sentence: str, nth: int, meeting_date: str | None, after: str = "") -> str | None:
    """For an action that puts its matter to a named meeting, a sentence of that very meeting about the matter
    that does not move it on again, nor do the sentences `after` it in its paragraph: the matter was taken up
    ("Clerk to place on May agenda", and the May minutes: "Roof repairs – one estimate has been received"; not
    "Only two quotes have been received. A third is awaited. Decision deferred to April meeting.")."""
    named = meeting_named(action)
    if named is None or MOVED_ON_RE.search(f"{sentence} {after}") or DROPPED_RE.search(sentence) \
            or WAITING_RE.search(sentence):
        return None  # "Extra grass cuts – waiting for response from Highways.": a later "still awaited" closes nothing
    if named == "next":
        return "at the next meeting" if nth == 1 else None
    month = int((meeting_date or "0000-00")[5:7] or 0)
    return f"at the meeting it was put to (month {named})" if month == named and nth <= 2 else None


ANSWERER_STOP = frozenset("""the a an he she they it who which that this these there parish council clerk chair chairman
councillor councillors cllr mr mrs ms also had has have both and of to from in on at for with following after""".split())


def _answer(clause: str, action: str | None):
    """An answer in `clause` from someone the action names ("Clerk to contact the Borough Council ...": "the Borough
    Council had advised that ..."), or a reply received; None for what a third party said unasked."""
    m = ANSWER_RE.search(clause)
    if not m:
        return None
    if re.match(r"(?i)(?:reply|replies|response|answer|letter|e-?mail|message|acknowledge?ment|confirmation|advice|"
                r"a\s+(?:reply|response|answer)|the\s+(?:reply|response|answer)|had|has|have)\b", m.group(0)) \
            and not re.match(r"(?i)(?:had|has|have)\s+(?:now\s+|since\s+|both\s+|also\s+)?(?:replied|responded|"
                             r"confirmed|advised|stated|answered|indicated|explained|agreed)", m.group(0)):
        return m  # a reply, response or letter received
    who = words(" ".join(re.findall(r"[A-Za-z][\w'’-]*", clause[:m.start()])[-6:]), ANSWERER_STOP)
    if re.search(r"(?i)agreed\s+to$", m.group(0)):  # only the one the action reaches, not its owner agreeing again
        v = ACTION_VERB_RE.search(action or "")
        return m if v and who & words((action or "")[v.end():], ANSWERER_STOP) else None
    return m if who & words(action, ANSWERER_STOP) or re.search(r"(?i)\b(?:replied|responded|answered)\b", m.group(0)) \
        else None


REPORTER_RE = re.compile(r"^\W*(?:[\w'’/&.()]+\s+){0,8}?[–—-]\s+|^")  # a dash-label before the report
PERSON_TITLES = frozenset("cllr cllrs councillor councillors mr mrs ms miss dr the a an parish council".split())


def owner_words(owner: str | None) -> set[str]:
    """The words that name an action's owner in a later sentence: its post ("Clerk", "Chair"), its names
    ("Cllr Daphne Clements": daphne, clements) and initials ("CC"); none for a whole council."""
    text = owner or ""
    if re.search(r"(?i)\bcouncil\b", text) and not re.search(rf"(?i)\b{alternation('officer_roles')}\b", text):
        return set()
    roles = {r for r in vocab("officer_roles") if re.search(rf"(?i)\b{re.escape(r)}\b", text)}
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z'’-]{2,}\b", text)} - PERSON_TITLES - {r for r in roles}
    initials = set(re.findall(r"\b[A-Z]{2,3}\b", text))
    return {r.split()[-1] for r in roles} | names | initials


def reported_by(sentence: str, owner: str | None) -> str | None:
    """The words of a later sentence that say the action's owner reported back to the meeting ("The Clerk advised
    that ...", "Grit Bins – the Clerk advised ...", "Cllr Daphne Clements shared that ...", "PK reported that ..."):
    its subject, within the first words after any dash-label, names the owner and its verb is a reporting verb."""
    who = owner_words(owner)
    if not who:
        return None
    start = REPORTER_RE.match(sentence).end()
    m = re.match(rf"((?:[\w'’.-]+\s+){{1,5}}?)(?:had\s+|has\s+|then\s+|also\s+)?({alternation('reporting_verbs')})\b",
                 sentence[start:])
    if not m:
        return None
    subject = m.group(1)
    hit = {w for w in who if (w.isupper() and re.search(rf"\b{w}\b", subject))
           or (not w.isupper() and re.search(rf"(?i)\b{re.escape(w)}\b", subject))}
    return m.group(0).strip() if hit else None


def says(sentence: str, anchors: set[str], action: str | None = None, owner: str | None = None) -> tuple[str, str | None]:
    """(done | updated | dropped | mention, the cue's words). `anchors`: the action's key words (as `words`
    gives them) that the sentence shares; a cue counts where its clause holds one of them (or the
    sentence is one clause, or no clause holds one). `action`: the action's text, to read what it asked for
    (a contact made, an answer found, its own verb done)."""
    clauses = _clauses(sentence)
    mine = [c for c in clauses if _anchored(c, anchors)] if len(clauses) > 1 else clauses
    mine = mine or clauses  # linked through its item or label: every clause is about it
    hold = HOLD_RE.search(sentence)
    for c in mine:
        m = DROPPED_RE.search(c)
        if m:
            return "dropped", m.group(0)
    verbs = action_verbs(action) if action else set()
    kind = _kind(verbs)
    if kind:  # the contact or answer in a clause that names the action's matter, or in the clause just before it
        # ("he had written to Barry Hawkins, who was the land agent, to seek an out of hours contact number")
        near = clauses if len(clauses) == 1 else [c for i, c in enumerate(clauses) if _anchored(c, anchors)
                                                  or (i + 1 < len(clauses) and _anchored(clauses[i + 1], anchors))]
        for c in near:
            if "contact" in kind and (m := CONTACT_MADE_RE.search(c) or _answer(c, action)):
                return "done", f"contact made: {m.group(0)}"
            if "inquiry" in kind and (m := _answer(c, action) or FOUND_OUT_RE.search(c)):
                return "done", f"answer reported: {m.group(0)}"
    if hold:
        return "updated", hold.group(0)
    if kind and (r := reported_by(sentence, owner)):  # the owner reports back what they found or heard
        return "done", f"answer reported: {r}"
    for c in mine:  # the action's own verb done, in any clause about it, before any other completion word
        e = echo(verbs, c) if verbs and not GOES_ON_RE.search(c) else None
        if e:
            return "done", f"its own verb done: {e}"
    goes_on = None
    for c in mine:
        on = GOES_ON_RE.search(c)
        m = COMPLETION_RE.search(c)
        if m and not on:  # "The bin has been ordered" (and "the Handyman will empty it once in place")
            return "done", m.group(0)
        goes_on = goes_on or (on.group(0) if on else None)
    if goes_on:
        return "updated", goes_on
    return "mention", None
