"""Tasks as parish and committee minutes write them without the words of a report (issue #13).

Forms of the genre, each a follow-up someone must still carry out (ANNOTATION.md):

- a person agreeing at the meeting to do something: "The Clerk agreed to enquire about ...", "Cllr Colin Sampson agreed
  to discuss with Dave Robson" (an undertaking; the owner is the one who agreed);
- a resolution naming who is to act: "It was agreed that Cllr Anderson should go back to Highways ...", "All were in
  agreement that an application should be progressed by Cllr Anderson and the Clerk";
- a task minuted without a verb of its own: "To be placed on the June agenda.", "Email policy to be placed on
  website", "More information to be sought." (a passive whose verb names something to be done, with no finite verb
  before it: "needs to be placed" states a need, no task);
- a matter put to a later meeting: "To place on April agenda.", "To report back to the next meeting.", "To be decided
  at the next meeting." (not an agenda's own items, "To approve the minutes of the last meeting");
- an undertaking reported in the past tense: "The Clerk would report the drains to Highways.", "Cllr Crisp advised
  that she will seek further information.".
"""
from __future__ import annotations

import re

from nlp import actions as A
from nlp.vocab import alternation, words

_ROLE = alternation("officer_roles")
_NAMED = r"(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr)\.?\s+(?:Mrs\s+|Mr\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
# a doer of the meeting's: a named member or officer, a post ("the Clerk"), initials ("CC", "LH"), the council itself
_DOER = rf"(?:{_NAMED}|(?:[Tt]he\s+)?(?i:{_ROLE})|(?:[Tt]he\s+)?(?:PC|Parish\s+Council|Council)|[A-Z]{{2,3}})"
_DOERS = rf"{_DOER}(?:\s*(?:,|and|&)\s*{_DOER})*"
_DECISION_ONLY = alternation("decision_only_verbs")
ONGOING = frozenset(words("ongoing_verbs"))
DECISION_ONLY_VBN = frozenset(words("decision_only_participles"))
CONTACT_VBN = frozenset(words("contact_participles"))
PEOPLE_RE = re.compile(rf"(?i)\b{alternation('people_classes')}\b")

PERSON_AGREED_RE = re.compile(rf"(?:^|[,;:–—]\s*|\band\s+|\s-\s)(?P<who>{_DOERS})\s+(?:also\s+|then\s+|kindly\s+)?"
                              r"(?:agreed|offered|volunteered|undertook|promised)\s+to\s+(?P<verb>[a-z]{2,})\b")
AGREED_DOER_RE = re.compile(
    rf"(?i:\b(?:agreed|resolved|decided|in\s+agreement|all\s+agreed))\s+(?:that\s+)?(?P<who>{_DOERS})\s+"
    r"(?:should|would|will|shall|must|is\s+to|are\s+to|to)\s+(?:also\s+|then\s+|now\s+)?(?P<verb>[a-z]{2,})\b")
AGREED_BY_RE = re.compile(
    r"(?i:\b(?:agreed|resolved|decided|in\s+agreement|all\s+agreed))\s+that\s+[^.;]{2,80}?\b(?:should|would|will|shall|"
    rf"is\s+to|are\s+to)\s+be\s+(?P<vbn>[a-z]+)\b[^.;]{{0,60}}?\bby\s+(?P<who>{_DOERS})")
# a task a meeting agreed in the passive, no doer named: "it was agreed that enquiries should be made into ...", "It was
# decided a more detailed specification of work would be drawn up", "That a projector be purchased up to £300.00"
AGREED_TASK_RE = re.compile(
    r"(?i)(?:\b(?:agreed|resolved|decided)(?:\s+by\s+all(?:\s+present)?)?\s+(?:that\s+)?|^\W*that\s+)"
    r"(?P<subj>(?:[\w'’()&,£.-]+\s+){1,10}?)(?:(?:should|will|would|shall|must|is\s+to|are\s+to)\s+)?"
    r"(?:also\s+|then\s+|now\s+|again\s+)?be\s+(?P<vbn>[a-z]+)\b")
# a resolution asking a named member or post to act: "To request that the Leader of the Council writes to the Chancellor"
REQUESTED_DOER_RE = re.compile(r"^\W*(?:\(?\w{1,3}[.)]\s*)?(?:(?:[Tt]o|TO)\s+)?(?i:request|ask)s?\s+that\s+(?:the\s+)?"
                               r"(?P<who>[A-Z][\w'’&-]*(?:\s+(?:of|for|and|the|[A-Z][\w'’&-]*)){0,8}?)\s+(?P<verb>[a-z]{3,}s)\b")
# "To place on April agenda.", "To report back to the next meeting.", "To be decided at the next meeting."
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|" \
         r"Jul|Aug|Sept?|Oct|Nov|Dec)"
AGENDA_TASK_RE = re.compile(
    r"^\W*(?:[Tt]o|TO)\s+(?:be\s+)?(?P<verb>[a-z]+)\b[^.;]{0,60}?\b(?:on|at|to|for|until|till|in)\s+(?:the\s+|an?\s+)?"
    rf"(?:(?i:next|following|future|later|{_MONTH})\s+(?:\d{{4}}\s+)?)?(?:(?i:parish\s+council|pc|council|full\s+council)\s+)?"
    r"(?i:agenda|meeting)\b")
# "Email policy to be placed on website", ", to be placed on noticeboards", "More information to be sought."
BARE_PASSIVE_RE = re.compile(r"(?:^|(?<=[\w)’'\s,]))\bto\s+(?:also\s+)?be\s+(?P<vbn>[a-z]+)\b")
# "The Clerk would report the drains to Highways.": minutes report an undertaking in the past tense
PERSON_WOULD_RE = re.compile(rf"^\W*(?P<who>{_DOERS})\s+(?:would|will)\s+(?:also\s+|then\s+|now\s+)?(?P<verb>[a-z]{{2,}})\b")
SAID_WILL_RE = re.compile(
    rf"^\W*(?P<who>{_DOERS})\s+(?:also\s+)?(?:said|advised|confirmed|stated|explained|added|noted|agreed|indicated)\s+"
    r"(?:that\s+)?(?:she|he|they|it)\s+will\s+(?:also\s+|then\s+)?(?P<verb>[a-z]{3,})\b")


def _is_verb(span, text: str, start: int, tags=("VB",)) -> bool:
    """Whether the word at `start` of `text` is a verb of one of `tags` by spaCy's parse (True without a parse)."""
    if span is None:
        return True
    tok = next((t for t in span if t.idx - span[0].idx == start), None)
    return tok is not None and tok.tag_ in tags


def _clean(who: str) -> str:
    who = re.sub(r"^(?:[Tt]he|[Oo]ur)\s+", "", who.strip())
    return who[:1].upper() + who[1:] if who.islower() else who


def person_agreed(text: str, span=None) -> str | None:
    """Who agreed at the meeting to do something ("The Clerk agreed to enquire ..." -> "Clerk"), else None."""
    for m in PERSON_AGREED_RE.finditer(text):
        verb = m.group("verb").lower()
        if verb in A.AUXILIARIES or verb in ONGOING or verb in ("the", "this", "that", "all") \
                or re.fullmatch(_DECISION_ONLY, verb):
            continue  # "The Council agreed to note ...": a decision only
        if re.match(r"(?i)(?:the\s+)?(?:pc|parish\s+council|council)$", m.group("who")):
            continue  # the body agreeing is a resolution (nlp.decisions reads it)
        if _is_verb(span, text, m.start("verb"), ("VB", "VBP", "NN")):
            return _clean(m.group("who"))
    return None


def agreed_doer(text: str) -> str | None:
    """Who a resolution names to act: "It was agreed that Cllr Anderson should go back to ..." -> "Cllr Anderson";
    "... should be progressed by Cllr Anderson and the Clerk" -> "Cllr Anderson and the Clerk"."""
    m = AGREED_DOER_RE.search(text)
    going_back = m is not None and re.match(r"\s+back\s+to\b", text[m.end():])  # "should go back to Highways"
    if m and (going_back or m.group("verb").lower() not in A.STATIVE | A.AUXILIARIES) \
            and not re.fullmatch(_DECISION_ONLY + r"(?:s|d|ed)?", m.group("verb").lower()):
        return _clean(m.group("who"))
    m = REQUESTED_DOER_RE.match(text)
    if m and m.group("verb") not in A.AUXILIARIES and not re.fullmatch(_DECISION_ONLY + "s", m.group("verb")):
        return _clean(m.group("who"))
    m = AGREED_BY_RE.search(text)
    if m and m.group("vbn").lower() in A.DELIVERABLE_VBN | {"progressed", "actioned", "pursued"} \
            and not re.fullmatch(_DECISION_ONLY + r"(?:d|ed)?", m.group("vbn").lower()) \
            and not re.match(r"(?i)(?:the\s+)?(?:pc|parish\s+council|council)$", m.group("who")):
        return _clean(m.group("who"))
    return None


_OUTSIDE = alternation("outside_bodies")
# an outside body's promised work: "The EA would be visiting the site", "Highways will repair the sign next month",
# "the gates would shortly be removed by the manufacturer"
OUTSIDE_WILL_RE = re.compile(
    rf"(?:^|[,;:–—]\s*|\band\s+|\bthat\s+)(?i:the\s+)?(?P<who>(?i:{_OUTSIDE}))\s+(?:will|would|are\s+to|is\s+to|are\s+going\s+to|is\s+going\s+to)\s+"
    r"(?:(?:also|then|now|shortly|soon|hopefully)\s+)?(?:be\s+(?=[a-z]+ing\b))?(?P<verb>[a-z]{3,})\b(?<!ed)"
    rf"|\b(?:will|would)\s+(?:(?:also|then|now|shortly|soon|hopefully)\s+)?be\s+(?:\w+ly\s+)?(?P<vbn>[a-z]+ed)\s+by\s+(?:the\s+)?"
    rf"(?P<by>(?i:{_OUTSIDE}))\b")


def outside_body_will(text: str) -> str | None:
    """The outside body a sentence says will do something (OUTSIDE_WILL_RE), where the verb is one of doing (not
    "would be", "would need", "would like"); None where the sentence is negated or the council will act itself."""
    m = OUTSIDE_WILL_RE.search(text)
    if not m or re.search(r"(?i)\b(?:not|never|no\s+longer|unlikely|if|unless)\b", text[max(0, m.start() - 30):m.end()]):
        return None
    verb = (m.group("verb") or m.group("vbn") or "").lower()
    if verb in A.STATIVE | A.AUXILIARIES or verb in ("like", "prefer", "wish", "able", "happy", "willing", "responsible"):
        return None
    who = (m.group("who") or m.group("by")).strip()
    return who[:1].upper() + who[1:]


def agreed_task(text: str) -> bool:
    """A resolution that something be done, in the passive with no doer (AGREED_TASK_RE): the participle one of a
    deliverable (nlp/data/deliverable_verbs.txt), not one that only notes, approves or pays; not the date of a meeting
    ("it was agreed that the next meeting would be held on ...": a decision on dates) and not negated."""
    for m in AGREED_TASK_RE.finditer(text):
        vbn, subj = m.group("vbn").lower(), m.group("subj")
        if vbn not in A.DELIVERABLE_VBN or re.fullmatch(_DECISION_ONLY + r"(?:d|ed)?", vbn) or vbn in DECISION_ONLY_VBN:
            continue
        if re.search(r"(?i)\b(?:meetings?|not|no|never)\b|\b(?:may|might|could|can)\s*$", subj) or re.search(r"[.;:]\s", subj):
            continue  # "it was agreed that the following payments may be made": a lead-in to payments, no task
        if PEOPLE_RE.search(subj) and vbn not in CONTACT_VBN:
            continue  # "agreed that children should be placed close to home": a policy; "residents should be informed" a task
        return True
    return False


# "to be an agenda item for the next meeting", "will be an agenda item again at the November meeting"
AGENDA_ITEM_RE = re.compile(r"(?i)\b(?P<modal>will|shall|would|(?:is|are)\s+to|to)\s+(?:again\s+|also\s+|now\s+)?be\s+"
                            r"(?:an?\s+|the\s+)?(?:(?:further|separate|specific)\s+)?agenda\s+items?\b")


def agenda_item(text: str) -> str | None:
    """The modal of a matter minuted as a later agenda item ("to" for "to be an agenda item", else "will"); None where
    the sentence puts nothing on a later agenda or says it will not."""
    m = AGENDA_ITEM_RE.search(text)
    if not m or re.search(r"(?i)\b(?:not|no\s+longer|never)\b", text[max(0, m.start() - 20):m.end()]) \
            or re.search(r"(?i)\b(?:last|previous)\s+meeting\b", text):
        return None
    return "to" if m.group("modal").lower().endswith("to") else "will"


def agenda_task(text: str) -> bool:
    """A matter put to a later meeting or agenda, minuted as an infinitive: "To place on April agenda."."""
    m = AGENDA_TASK_RE.match(text)
    return bool(m) and not re.fullmatch(_DECISION_ONLY + r"(?:d|ed)?", m.group("verb").lower()) \
        and not re.search(r"(?i)\b(?:last|previous)\s+meeting\b", text)


def bare_passive_task(text: str, span=None) -> bool:
    """ "Email policy to be placed on website": a task minuted as a passive infinitive, the verb one of a deliverable,
    with no finite verb before it ("needs to be placed", "was to be placed", "is hoped to be" are no tasks)."""
    m = BARE_PASSIVE_RE.search(text)
    if not m or m.group("vbn").lower() not in A.DELIVERABLE_VBN | {"actioned", "progressed", "reclaimed", "organised"}:
        return False
    if A.NOTE_ONLY_RE.search(text[m.start():]) or A.CONDITIONAL_START_RE.match(text) \
            or re.search(r"(?i)\bmeetings?\b", text[:m.start()]):
        return False  # "June and September 2019 meetings to be held at Christchurch": a decision on dates
    if span is None:
        return not re.search(r"(?i)\b(?:is|are|was|were|has|have|had|need|needs|needed|will|would|should|going|due|"
                             r"expected|likely|want|wants|appears?|seems?|hoped|asked|agreed|resolved|decided)\b",
                             text[:m.start()])
    before = [t for t in span if t.idx - span[0].idx < m.start()]
    return not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD", "VBN", "VB") for t in before)


def person_would(text: str, span=None) -> str | None:
    """ "The Clerk would report the drains to Highways." / "Cllr Crisp advised that she will seek further information.":
    who undertook it, where the verb is one of doing (not "would like", "will be")."""
    for rx in (PERSON_WOULD_RE, SAID_WILL_RE):
        m = rx.match(text)
        if not m:
            continue
        verb = m.group("verb").lower()
        if verb in A.STATIVE - {"look", "provide", "take", "put", "remove", "hold"} or verb in A.AUXILIARIES or verb in ONGOING \
                or verb in ("like", "love", "prefer", "wish", "welcome", "appreciate", "not"):
            continue
        if _is_verb(span, text, m.start("verb")):
            return _clean(m.group("who"))
    return None
