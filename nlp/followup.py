"""Follow-ups in running text: whether a sentence records an action, of which type, and who owns it.

The types are ANNOTATION.md's (the first that fits, in this order):

- ``resolution``: a follow-up the meeting resolved or agreed, "Action: WM to circulate ..." lines,
  tasks minuted as "Councillor Healey to order ...";
- ``request``: a member, the chair or the committee asked for something ("Members requested ...");
- ``undertaking``: someone at the meeting said they (or their service) would do something specific
  ("Ms Gleave offered to raise ...", "the Clerk will investigate this", "was being looked into");
- ``commitment``: a plan, target or scheduled step with a time that places it ("A project team will
  be established in January"); undated plans and ongoing work are not actions;
- ``awaiting``: a reply, decision or deliverable from someone else that is outstanding.

`classify` returns a `FollowUp` or None; the caller records it with its due date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp import actions as A
from nlp import minuted_tasks as T
from nlp.dates import NEXT_MEETING_RE, STATED_NEXT_RE, find_dates, parse_ref, resolve_due
from nlp.vocab import alternation, words

TYPES = ("resolution", "request", "undertaking", "commitment", "awaiting")

REPORTED_SPEECH_RE = re.compile(
    r"(?i)^\W*(?:[a-z]\.|\(?\d+\))?\s*(?:(?:mr|mrs|ms|dr|cllr|councillor)\.?\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+"
    r"(?:said|noted|referred|commented|stated|explained|added|remarked|highlighted|mentioned|argued|felt|believed|"
    r"expressed|welcomed|questioned)\b(?!.*\b(?:would|will)\s+(?:provide|circulate|share|report|look|send|write|arrange|"
    r"follow|check|find|update|bring|confirm)\b)")
# a forecast, not a plan: "it was expected that fewer beds would be needed" (but "The strategy was expected to be
# published later in the summer" is a plan with its time)
EXPECTATION_RE = re.compile(r"(?i)\b(?:it\s+(?:is|was)\s+(?:expected|anticipated|hoped|likely)|(?:is|are|was|were)\s+expected\s+that|"
                            r"(?:were|was)\s+expected\s+to\s+(?!be\s+(?:published|launched|completed|delivered|presented|"
                            r"agreed|adopted|implemented|finalised|brought|submitted|considered)\b))")
AUTHORITY_SUFFIX_RE = re.compile(r"(?i)\s+(?:metropolitan\s+)?(?:borough\s+|county\s+|city\s+|district\s+)?council$|"
                                 r"^(?:the\s+)?(?:london\s+borough\s+of|royal\s+borough\s+of|city\s+of)\s+")
# "no reply received as yet", "still awaited", "awaiting a response from the developer"
AWAITING_RE = re.compile(
    r"(?i)\b(?:awaiting|still\s+awaited|(?:was|is|were|are)\s+(?:still\s+)?waiting\s+(?:to\s+(?:receive|hear)|for\s+(?:a\s+|the\s+|"
    r"any\s+)?(?:further\s+)?(?:information|details|costs?|estimates?|dates?|feedback|reply|response|confirmation|"
    r"quotes?|quotation))|(?:is|are|was|were|remains?)\s+(?:still\s+)?awaited|no\s+(?:reply|response|answer|"
    r"update|news|decision)\s+(?:had\s+been\s+|has\s+been\s+|was\s+)?(?:received|forthcoming)?\s*(?:as\s+yet|yet|to\s+date)|"
    r"(?:yet|still)\s+to\s+(?:reply|respond|hear|receive)|(?:is|are)\s+due\s+soon|waiting\s+(?:for|on)\s+(?:a\s+|the\s+)?"
    r"(?:reply|response|decision|confirmation|quote|report|answer|information))\b"
    # a deliverable of someone else's, expected: "Final report expected June 2022", "the OS response is due soon"
    r"|\b(?:report|response|reply|decision|results?|outcome|findings|quotes?)\s+(?:is\s+|are\s+|was\s+)?(?:now\s+)?"
    r"(?:expected|due)\b(?!\s+to\b)")


@dataclass
class FollowUp:
    type: str
    owner: str | None
    cue: str  # which form of the genre it was read from (shown as the record's reason)


def place(authority: str | None) -> str | None:
    if not authority:
        return None
    return AUTHORITY_SUFFIX_RE.sub("", authority.strip()).strip() or authority


def has_time(text: str, md: str | None) -> bool:
    """The sentence states a time that places the follow-up (ANNOTATION.md: a commitment needs one): a date,
    month or year, a resolvable phrase or a named meeting; not "in due course", "soon", "at a later date"."""
    due, phrase = resolve_due(text, md)
    return due is not None or bool(phrase and NEXT_MEETING_RE.search(phrase)) or future_date(text, md)


def future_date(text: str, md: str | None) -> bool:
    ref = parse_ref(md)
    for dm in find_dates(text, md, future=True):
        if dm.year is None:
            continue
        if ref is None:
            return True
        if not re.search(r"\b(?:19|20)\d\d\b|\b\d\d/\d\d\b", text[dm.start:dm.end]) and not re.search(
                r"(?i)\b(?:will|shall|to\s+be|plans?|planned|due|by|expected|scheduled|from|until|next|upcoming)\b", text):
            continue  # "was held on 6 January": a date without a year in a past-tense sentence is not ahead
        if dm.day and len(ref) > 2 and ref[2] and dm.month and re.search(r"\b(?:19|20)\d\d\b", text[dm.start:dm.end]):
            if (dm.year, dm.month, dm.day) >= (ref[0], ref[1], ref[2]):
                return True
            continue  # a full date before the meeting is past
        if (dm.year, dm.month or 12) >= (ref[0], ref[1] or 1):
            return True
    return False


def own_plan(text: str) -> bool:
    """A dated plan of the council's own (go live, launch, recruit by DATE), not one of the Government's, another
    body's or a forecast ("it was expected that fewer beds would be needed"), and not a member's reported remark."""
    if EXPECTATION_RE.search(text) or REPORTED_SPEECH_RE.match(text) or A.CONDITIONAL_START_RE.match(text):
        return False
    m = A.PLAN_SENT_RE.search(text)
    pre = text[:m.start()] if m else text
    bounds = list(A.CLAUSE_BOUND_RE.finditer(pre))
    subj = pre[bounds[-1].end():] if bounds else pre
    if A.EXTERNAL_SUBJ_RE.search(subj) and not re.search(r"(?i)\b(?:we|our|council|officers?|team|service)\b", subj):
        return False
    first = " ".join(re.sub(r"^\W*(?:[a-z][.)]|\(?\d+[.)])?\s*", "", text).split()[:3])
    if A.EXTERNAL_SUBJ_RE.search(first) and not re.search(r"(?i)\b(?:we|our|council)\b", first):
        return False  # "The school ... had plans to reach stage two in January"
    national = re.search(r"(?i)\b(?:government|minister|ministers|secretary\s+of\s+state|MPs)\b", text)
    return not national or bool(re.search(r"(?i)\b(?:we|our|the\s+council|officers?)\b", text))


def _modal_subject(text: str) -> str:
    m = A.MODAL_RE.search(text)
    pre = text[:m.start()] if m else ""
    bounds = list(A.CLAUSE_BOUND_RE.finditer(pre))
    # "The Corporate Director Adult Social Care and Health will ...": an "and" inside a title is no clause bound
    while bounds and bounds[-1].group(0).lower() in ("and", "&") and re.search(r"\b[A-Z][\w'’-]*\s*$", pre[:bounds[-1].start()]) \
            and re.match(r"\s*[A-Z]", pre[bounds[-1].end():]):
        bounds.pop()
    subj = (pre[bounds[-1].end():] if bounds else pre).strip(" ,;:–-\"“”'")
    return re.sub(r"(?i)^(?:although|then|also|further\s+to\s+this)\s+", "", subj)


# a subject that opens with a preposition or a conjunction of time is an adverbial ("After the elections there
# would be ...", "Once funding is agreed the ..."): whoever acts is not named there
ADVERBIAL_LEAD_RE = re.compile(r"(?i)^(?:after|before|by|in|on|at|from|following|once|when|until|during|within|over|"
                               r"since|if|unless|subject\s+to)\b")


def owner_from(text: str, authority: str | None, kind: str | None = None) -> str | None:
    """Who is to act: the subject of "X will ...", the authority for "we"/"the Council" and for a report's passives."""
    m = A.MODAL_RE.search(text)
    if not m:
        if re.search(r"(?i)\b(?:we|our)\b", text):
            return authority
        return None
    if m.group("be") and kind in ("report", "presentation"):
        return authority
    subj = _modal_subject(text)
    if ADVERBIAL_LEAD_RE.match(subj):  # "In January the Clerk will ..." -> "the Clerk"; "After the elections there
        named = re.search(r"\bthe\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}$", subj)  # would be ..." -> no one
        subj = named.group(0) if named else ""
    if re.match(r"(?i)the\s+(?:[A-Z][\w'’-]*\s+){0,3}(?:director|head|officer|manager|chair(?:man|person)?|lead|member|clerk|"
                r"treasurer|secretary)\b", subj) \
            and len(subj.split()) <= 12:
        return re.sub(r"(?i)^the\s+", "", subj)  # "The Corporate Director Adult Social Care and Health" -> the title
    if re.fullmatch(r"(?i)we|our\s+\w+|the\s+council|(?:the\s+)?[A-Z][a-z]+(?:\s+County)?\s+Council|the\s+authority", subj) \
            or (authority and place(authority) and subj.strip() == place(authority)):
        return authority
    if re.match(r"(?i)^the\s+council['’]s\b", subj):
        return authority
    if subj and subj[:1].isupper() and len(subj.split()) <= 6 and not re.match(
            r"(?i)^(?:a|an|the|this|that|these|those|it|there|they|some|all|many|most|each|both|others?|any|none)\b", subj):
        return subj
    m = re.search(r"(?i)\b(?:officers?|the\s+director\b[^,.;]*|the\s+(?:head|chair|cabinet\s+member)\b[^,.;]*)", text)
    if m and not re.search(r"(?i)members\s+requested|chair\s+asked", text):
        return m.group(0).strip()
    return None


# a paper of members' questions and the answers given: its "we will ..." are undertakings
ANSWERS_RE = re.compile(r"(?i)\bquestions?\s+(?:put\s+)?and\s+answers?\b|\banswers?\s+given\b|\bmembers['’]?\s+questions\b")


@dataclass
class Context:
    """What a sentence's reading depends on besides its words."""
    meeting_date: str | None
    doc_kind: str | None
    authority: str | None
    initials: dict
    region: str | None = None
    nlp: object = None
    answers: bool = False  # the paper is answers to members' questions ("Questions put and answers given")


def _minutes(c: Context) -> bool:
    """Whether what is said is said at a meeting or in answer to members' questions (undertakings need no time)."""
    return c.doc_kind in ("minutes", None) or c.region == "qa" or c.answers


def _post(who: str, c: Context) -> str:
    """An owner as a reader expects it: "the clerk" -> "Clerk", initials spelt out ("WM" -> "Will Minnett")."""
    who = re.sub(r"(?i)^(?:the|our|my)\s+", "", who.strip())
    if who.islower():
        who = who.title()
    return A.spell_out(who, c.initials)


def _line_or_task(t: str, span, c: Context) -> FollowUp | None:
    line = A.ACTION_LINE_RE.match(t)
    if line:
        owner = (line.group("by") or "").strip() or A.task_owner(line.group("body"), c.initials)
        return FollowUp("resolution", owner, "action line")
    task = A.named_task(t, span)
    if task:
        return FollowUp("resolution", _post(task, c), "task")
    given = A.INSTRUCTED_RE.search(t)
    if given and given.group("verb").lower() not in A.AUXILIARIES:
        return FollowUp("resolution", _post(given.group("who"), c), "instructed")
    if DEFERRED_RE.search(t):
        return FollowUp("resolution", c.authority, "deferred")
    return None


# "The item was deferred to the next meeting", "deferred until the April meeting": it comes back
DEFERRED_RE = re.compile(r"(?i)(?:\b(?:was|were|be|is|are|being)\s+(?:\w+ly\s+)?|^\W*(?:[\w’'-]+\s+){0,6}?)(?:deferred|postponed|carried\s+forward|held\s+over)"
                         r"\s+(?:to|until|till)\s+(?:the\s+)?(?:next|following|future|[A-Z][a-z]+|\w+\s+meeting)")


# a request minuted as the question put: "Could the Borough Council be asked to pay for the projector."
COULD_BE_RE = re.compile(r"(?i)^\W*(?:could|can)\s+(?:[\w'’-]+\s+){1,8}?be\s+(?P<vbn>[a-z]+)\b")


def _request(t: str, span, c: Context) -> FollowUp | None:
    if A.is_request(span, c.nlp) or A.REQUEST_LOOSE_RE.search(t):
        return FollowUp("request", None, "request")
    could = COULD_BE_RE.match(t)
    if _minutes(c) and could and could.group("vbn").lower() in A.DELIVERABLE_VBN:
        return FollowUp("request", None, "question put")
    return None


# an undertaking reported in the past tense with the thing to be done as subject: "The officer confirmed that it
# would be brought to the Committee at the next meeting"
REPORTED_PASSIVE_RE = re.compile(
    r"(?i)\b(?:confirmed|advised|said|stated|explained|agreed|assured\s+\w+|undertook|indicated|informed\s+\w+|"
    r"promised|replied|responded)\s+that\s+(?:it|this|these|they|the\s+[\w\s'’-]{1,50}?)\s+would\s+(?:then\s+|also\s+)?"
    r"be\s+(?P<vbn>[a-z]+)\b")


def _undertaking(t: str, span, c: Context) -> FollowUp | None:
    if A.offered_to(t, span):
        return FollowUp("undertaking", None, "offered")
    who = T.person_agreed(t, span) or (T.person_would(t, span) if _minutes(c) else None)
    if who:
        return FollowUp("undertaking", _post(who, c), "agreed to")
    rp = REPORTED_PASSIVE_RE.search(t)
    if _minutes(c) and rp and rp.group("vbn").lower() in A.DELIVERABLE_VBN:
        return FollowUp("undertaking", None, "reported undertaking")
    said = A.REPORTED_WOULD_RE.search(t)
    if _minutes(c) and said and said.group("verb").lower() not in A.STATIVE | A.AUXILIARIES \
            and said.group("verb").lower() not in ("like", "love", "prefer", "wish", "welcome", "appreciate"):
        return FollowUp("undertaking", A.spell_out(said.group("who"), c.initials), "reported undertaking")
    took = A.UNDERTAKING_RE.search(t)
    if took and not A.PRE_MEETING_RE.search(t) and not re.match(r"(?i)\W*not\s+(?:all|every|everything|much|many)\b", t) \
            and not (c.doc_kind in ("report", "presentation") and took.group(0).lower().startswith("would")):
        # a report's "would be picked up by X" describes how a model works; minutes' "would be circulated"
        # reports an officer's undertaking
        return FollowUp("undertaking", None, "undertaking")
    return None


# and "no contact as yet", "no action showing as yet"
AWAITING_CUE_RE = re.compile(rf"(?i)\b{alternation('awaiting_cues')}\b|\bno\s+(?:[\w-]+\s+){{1,3}}?as\s+yet\b")


def _awaiting(t: str, span, c: Context) -> FollowUp | None:
    if (AWAITING_RE.search(t) or AWAITING_CUE_RE.search(t)) and not re.search(r"(?i)\b(?:had\s+been|has\s+been|was|were)\s+received\b(?!\s+(?:as\s+yet|yet))", t):
        return FollowUp("awaiting", None, "awaiting")
    return None


def _outside_body(t: str, span, c: Context) -> FollowUp | None:
    """ "The EA would be visiting the site and would provide feedback": an outside body's work to come, awaited (read
    before undertakings: no one at the meeting undertook it)."""
    body = T.outside_body_will(t) if _minutes(c) else None
    return FollowUp("awaiting", body, "outside body will") if body else None


def _plan(t: str, span, c: Context) -> FollowUp | None:
    dated = future_date(t, c.meeting_date)
    if A.WORKING_TO_RE.search(t):
        return FollowUp("commitment", None, "ongoing work") if dated else None
    if A.PLAN_SENT_RE.search(t) and (dated or has_time(t, c.meeting_date)) and own_plan(t):
        return FollowUp("commitment", None, "dated plan")
    if A.modal_commitment(t, span, qa=c.region == "qa", dated=dated) and not A.PRE_MEETING_RE.search(t) \
            and not REPORTED_SPEECH_RE.match(t):
        m = A.MODAL_RE.search(t)
        active = m is not None and (not m.group("be") or m.group("verb").endswith("ing"))  # "will be submitting"
        if _minutes(c) and active and A.ACTOR_RE.match(_modal_subject(t)) and not re.search(r"(?i)\bcontinue\s+to\b", t):
            return FollowUp("undertaking", None, "will/would")  # someone at the meeting says they will do it
        if c.region == "qa" and (active or A.THERE_WILL_BE_RE.search(t)):
            return FollowUp("undertaking", None, "answer to a question")  # "there would be awareness training"
        if has_time(t, c.meeting_date):
            return FollowUp("commitment", None, "will/would")
    return None


# what minutes say the council will do, in the impersonal passive: "Highways will be approached", "enquiries will be
# made", "A quote is to be obtained", "The salt bin at Whittington is to be located by the Church"
WILL_BE_DONE_RE = re.compile(r"(?i)\b(?P<modal>will|shall|would|is\s+to|are\s+to)\s+(?:also\s+|then\s+|now\s+)?be\s+"
                             r"(?P<vbn>[a-z]+)\b(?:\s+up\b)?")
NEGATED_RE = re.compile(r"(?i)\b(?:not|never|no\s+longer|unlikely|cannot|can['’]t)\b")


FORECAST_RE = re.compile(rf"(?i)\b{alternation('forecast_verbs')}\b")
CONTACT_VBN = frozenset(words("contact_participles"))


def _minuted_passive(t: str, span, c: Context) -> FollowUp | None:
    """In minutes, "X will be approached" / "X is to be obtained": the council's own undertaking or resolution."""
    if not _minutes(c) or A.CONDITIONAL_START_RE.match(t) or REPORTED_SPEECH_RE.match(t) or A.PRE_MEETING_RE.search(t):
        return None  # "will be circulated prior to the meeting": done before the meeting, nothing to follow up
    m = WILL_BE_DONE_RE.search(t)
    if not m or m.group("vbn").lower() not in A.DELIVERABLE_VBN or NEGATED_RE.search(t[max(0, m.start() - 30):m.end()]):
        return None
    if m.group("modal").lower() == "would" and (m.group("vbn").lower() not in CONTACT_VBN or A.HEDGE_RE.search(t[:m.start()])
                                                or FORECAST_RE.search(t[:m.start()])
                                                or re.search(r"(?i)\b(?:agreed|resolved|decided)\b", t[:m.start()])):
        # "it was hoped the footpath would be repaired": no one undertook it; "It was agreed that X would be
        # appointed": a resolution, read as a decision (and as an action only where it asks for a task)
        return None
    subj = _modal_subject(t[:m.start()] + " will")
    if subj.lower() in ("it", "this", "there", "that") and m.group("vbn").lower() in ("agreed", "decided", "considered"):
        return None  # "it will be considered whether ...": no one is committed
    kind = "resolution" if m.group("modal").lower().startswith(("is", "are")) else "undertaking"
    return FollowUp(kind, c.authority, "minuted passive")


def _agenda_item(t: str, span, c: Context) -> FollowUp | None:
    """ "Dog fouling to be an agenda item for the next meeting", "This matter will be an agenda item again at the
    November meeting": a matter put to a later meeting (ANNOTATION.md: an item to return to a later agenda)."""
    if not _minutes(c):
        return None
    modal = T.agenda_item(t)
    if modal is None:
        return None
    return FollowUp("resolution" if modal == "to" else "undertaking", c.authority, "agenda item")


def _minuted_task(t: str, span, c: Context) -> FollowUp | None:
    """ "To place on April agenda.", "Email policy to be placed on website": tasks minuted without a doer."""
    if not _minutes(c):
        return None
    if T.agenda_task(t) or T.bare_passive_task(t, span):
        return FollowUp("resolution", c.authority, "minuted task")
    return None


CUES = (_line_or_task, _request, _outside_body, _undertaking, _awaiting, _agenda_item, _minuted_passive, _minuted_task, _plan)


def classify(text: str, span, c: Context) -> FollowUp | None:
    """The follow-up a sentence records, if any: the first cue that reads it, with its owner. The date of the
    next meeting ("The next meeting will be held on 3rd December") is no one's task."""
    if STATED_NEXT_RE.search(text):
        return None
    for cue in CUES:
        try:
            found = cue(text, span, c)
        except Exception:  # never raise on odd text
            found = None
        if found is None:
            continue
        if found.owner is None and found.type != "request":
            if found.type == "undertaking":
                found.owner = A.undertaker(text, c.initials)
            found.owner = found.owner or owner_from(text, c.authority, c.doc_kind)
        return found
    return None
