"""Decisions, recommendations and actions.

Decisions: items under "Resolved: That; 1. ... 2. ...", inline "RESOLVED that ...", "It was
agreed that ...". Recommendations: the items of a report's "Recommendation(s)" section, lists
introduced by "... recommendations ... which are:" (an inspectorate's), and "The Committee
recommended that ...". Actions: decisions and recommendations that ask for something later
("An update report be presented ... in six months"), members' and the chair's requests (a spaCy
Matcher over tokens: "Members requested", "The Chair asked that"), officers' undertakings
("this area will be looked at", "would be circulated"), items of a dated plan ("plan to deliver
the following key work between September 2023 and April 2024:"), and commitments in the future
tense with an agent that acts ("The Council will increase ...", "A project team will be
established in January").
"""
from __future__ import annotations

import json
import re

from nlp.vocab import DATA, alternation, words

NOTE_ONLY_RE = re.compile(r"(?i)\bbe\s+(?:noted|approved|endorsed|agreed|welcomed|accepted|received|supported|ratified|"
                          r"adopted|confirmed|thanked|commended)\b")
FOLLOW_UP_RE = re.compile(
    r"(?i)\bbe\s+(?:presented|brought(?:\s+back)?|submitted|circulated|provided|reported|shared|sent|arranged|invited|"
    r"scheduled|added|included|updated|reviewed|written|investigated|explored|produced|prepared|published|"
    r"developed|considered\s+at|referred|forwarded|made\s+available|taken\s+forward|established|set\s+up)\b"
    r"|\b(?:receive|have|be\s+given)\s+(?:a\s+|an\s+|further\s+|regular\s+|the\s+)*(?:updates?|reports?|briefings?|progress\s+reports?)\b"
    r"|\breport\s+back\b|\bupdate\s+reports?\b|\bfurther\s+updates?\b"
    # "Delegate authority to the Director ...", "Delegates to the Monitoring Officer the submission of the response"
    r"|\bdelegate[sd]?\s+(?:its\s+|the\s+)?(?:authority|powers?|responsibility)\b|^\W*(?:to\s+)?delegates?\s+to\s+the\b"
    r"|\b(?:authority|powers?)\s+(?:be|is|was|to\s+be)\s+delegated\b"
    r"|\b(?:officers?|the\s+director|the\s+(?:head|chair|clerk|cabinet\s+member)(?:\s+of\s+[\w\s'’]+?)?)\s+(?:to\s+|be\s+asked\s+to\s+)?"
    r"(?:bring|provide|circulate|report|present|share|arrange|write|update|review|investigate|prepare|produce|"
    r"look|explore|liaise|send|confirm)\b"
    r"|\b(?:to|at|for)\s+(?:the|a)\s+(?:next|future)\s+meeting\b"
    r"|\bto\s+(?:provide|circulate|share|arrange|write|invite|bring|present|investigate|look\s+into|report|prepare|"
    r"produce|develop|review|update|consider)\b")
UNDERTAKING_RE = re.compile(
    r"(?i)\bto\s+be\s+(?:circulated|provided|shared|reported\s+back|looked\s+(?:at|into)|followed\s+up|brought\s+back|"
    r"sent|forwarded|fed\s+back|made\s+available)\b(?!\s+(?:when|by\s+the\s+public))"
    r"|\b(?:will|would)\s+be\s+(?:looked\s+(?:at|into)|circulated|provided|shared|reported(?:\s+back)?|brought\s+back|"
    r"followed\s+up|included|sent|arranged|investigated|explored|picked\s+up|taken\s+away|fed\s+back|confirmed|"
    r"forwarded|made\s+available|added|updated|reviewed|raised|published|revisited|launched|finalised|finalized|"
    r"produced|prepared|presented|scheduled|set\s+up|drafted|organised|organized|considered\s+(?:at|by)\s+(?:a|the)\s+(?:next\s+|future\s+)?(?:meeting|committee|panel|board|cabinet))\b"
    r"|\b(?:is|was|are|were)\s+being\s+(?:looked\s+(?:at|into)|investigated|explored|reviewed|considered|followed\s+up)\b"
    r"|\b(?:will|would)\s+(?:look\s+(?:at|into)|investigate|report\s+back|circulate|follow\s+(?:this\s+)?up|"
    r"find\s+out|check|liaise|write\s+to|update\s+(?:the\s+)?(?:committee|members|board))\b"
    r"|\b(?:agreed|promised)\s+to\s+(?:provide|circulate|share|report|look|investigate|arrange|"
    r"update|write|find|check|follow|liaise|bring|send|forward|confirm|review|consider|raise|pick|contact|speak|"
    r"chase|order|obtain|ask|email|meet|organise|organize|draft|attend|visit)\b"
    r"|\b(?:undertook|volunteered)\s+to\s+(?!be\b)[a-z]+"
    r"|\b(?:his|her|their|its|the)\s+intention\s+(?:was\s+|is\s+)?to\s+(?:report|provide|bring|return|update|share|"
    r"circulate|write|present|review)\b"
    r"|(?<!essential\sto\s)(?<!important\sto\s)(?<!necessary\sto\s)(?<!need\sto\s)\b(?:took|take)\s+(?:an\s+)?action\s+to\b")
OFFERED_TO_RE = re.compile(r"(?i)(?<!\bbeing\s)(?<!\bbeen\s)(?<!\bwere\s)(?<!\bwas\s)(?<!\bare\s)(?<!\bis\s)(?<!\bbe\s)"
                           r"\boffered\s+to\s+(?P<verb>[a-z]+)\b")


def offered_to(text: str, span=None) -> bool:
    """ "Ms Coombs offered to provide ...": someone offering to do something (the word after "to" a
    verb), not a service "offered to families"."""
    for m in OFFERED_TO_RE.finditer(text):
        if span is None:
            return m.group("verb").lower() not in ("families", "children", "people", "parents", "all", "the", "a", "an")
        tok = next((t for t in span if t.idx - span[0].idx == m.start("verb")), None)
        if tok is not None and tok.tag_ == "VB":
            return True
    return False


DO_VERBS = ("send|write|provide|circulate|share|report|look|arrange|follow|check|find|update|bring|confirm|contact|"
            "raise|review|investigate|liaise|meet|speak|discuss|produce|prepare|organise|organize|invite|visit|remind|"
            "email|forward|return|come|explore|pick|chase|seek|ask|feed|present|publish|set|draft|run|hold|attend")
DO_VERB_SET = frozenset(DO_VERBS.split("|"))
# minutes report an undertaking in the past tense: "The Chair shared that she would send a message to group leaders"
REPORTED_WOULD_RE = re.compile(
    r"(?P<who>\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\s+(?:also\s+)?(?:said|shared|confirmed|explained|stated|advised|"
    r"indicated|added|assured\s+(?:the\s+)?(?:members|panel|committee|board)|informed\s+(?:the\s+)?(?:members|panel|committee|"
    r"board))\s+(?:that\s+)?(?:she|he|they|officers?|the\s+(?:council|service|team|department|directorate)|"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+would\s+(?:also\s+|then\s+|personally\s+)?(?P<verb>[a-z]{3,})\b")
_ROLE = alternation("officer_roles")
_NAMED = r"(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
# requests worded loosely: "Members noted the comments and asked that the Committee be kept advised",
# "Sarah Hammond requested the panel to share the content"
REQUEST_LOOSE_RE = re.compile(
    r"(?i)\b(?:members|councillors|the\s+(?:committee|panel|board|chair(?:man)?))\b[^.;?]{0,80}?\b(?:asked|requested)\s+"
    r"(?:that|for)\b(?!\s+(?:clarification|confirmation)\b)"
    # "A request was made for a 20mph limit", "The PCC has requested that the Parish Council contributes", "The external
    # auditors have requested clarification as to ...": a request put to the council
    r"|\ba\s+(?:further\s+)?request\s+(?:was|has\s+been|had\s+been)\s+(?:made|received)\s+(?:for|that|to|from)\b"
    # a member named by initials or title: "CC requested that the Parish Clerk clarifies ...", "LH requested that a notice be added"
    rf"|(?-i:(?:^|[.;,]\s*)(?:[A-Z]{{2,3}}|{_NAMED}))\s+(?:also\s+)?requested\s+that\b(?!\s+(?:if|when|should|in\s+the\s+event)\b)"
    r"|\b(?:has|have|had)\s+(?:also\s+)?requested\s+(?:that|a|an|the|further|more|clarification|confirmation|details|"
    r"information|permission|funding)\b"
    r"|\brequested\s+(?:that\s+)?(?:the\s+)?(?:panel|committee|board|members|officers|councillors)\s+(?:to\s+)?"
    r"(?:" + DO_VERBS + r"|keep|consider|note|support|help|promote)\b")


# "Action: WM to circulate the paper.", "ACTIONS – Clerk to write to Highways", "Action by Clerk: ..."
ACTION_LINE_RE = re.compile(r"(?is)^\W{0,3}(?:(?:agreed|outstanding|new|open|carried[\s-]+forward)\s+)?actions?(?:\s+points?)?"
                            r"(?:\s+from\s+(?:the\s+)?[^:–—]{2,40}?)?(?:\s+(?:by|for)\s+(?P<by>[^:–—]{2,40}?))?"
                            r"\s*(?:[:–—]|\s-\s)\s*(?P<body>\S.{6,})$")
# who is to do it, at the head of a minuted task: "WM to circulate", "MoJ and HO to produce", "Councillor Healey to order"
TASK_OWNER_RE = re.compile(r"^(?P<who>[A-Z][^.;:]{0,60}?)\s+(?:also\s+)?to\s+(?!be\b)[a-z]{3,}\b")
# the words an owner may be made of: names and initials (capitalised), and these
OWNER_WORDS = {"and", "of", "the", "for", "&", "/", "members", "member", "officers", "officer", "team", "panel", "chair",
               "clerk", "secretariat", "council", "councillors", "councillor"}
OWNER_TAIL_RE = re.compile(r"\((?P<who>[A-Z][\w'’.-]*(?:[ /-]+[A-Z][\w'’.-]*){0,3})\)\W*$")
# a task minuted without a verb of its own: "Councillor Healey to order Scalpings", "the Clerk to write to Highways"
# a task minuted as "NAME to VERB": "Councillor Healey to order Scalpings", "- clerk to check why the cost is so high",
# "chairperson is to contact Mr. Donoclift", "and the clerk to investigate", "The Clerk was instructed to contact"
NAMED_TASK_RE = re.compile(
    rf"(?:^|[,;:–—]\s*|\s-\s|\band\s+)(?P<who>\b{_NAMED}|\b(?:[Tt]he\s+)?(?i:{_ROLE})\b|\b[A-Z]{{2,4}}"
    r"|^[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+){1,2}(?=\s+to\s))"  # "Janet Hughes to develop ...", at the head of the sentence
    r"\s+(?:also\s+)?(?P<to>(?:is\s+|are\s+)?to\s+|(?:was|were|has\s+been|had\s+been)\s+(?:asked|instructed|requested|"
    r"authori[sz]ed|tasked)\s+to\s+|(?:asked|instructed)\s+to\s+)?"  # "Clerk asked to forward details to A Howarth"
    r"(?P<verb>[a-z]{3,})\b")
# someone given a task at the meeting: "The Council asked the Clerk to look into ...", "Cllr Jenkinson was asked to ..."
INSTRUCTED_RE = re.compile(
    rf"(?i)\b(?:asked|instructed|requested|authorised|authorized|tasked|delegated)\s+(?P<who>(?:the\s+)?(?:{_ROLE})|"
    rf"(?-i:{_NAMED})|(?:the|our|my)\s+(?:[A-Z][\w&'’-]*\s+){{0,4}}(?i:officers?|director|head|manager|team|service|lead)"
    r"(?:\s+(?:of|for)\s+(?-i:[A-Z][\w&'’-]*(?:\s+[A-Z&][\w&'’-]*){0,4}))?)\s+to\s+(?P<verb>[a-z]{3,})\b")
# a resolution to do something, not to note, approve or accept: "resolved to apply for £4,500 precept"
_DECISION_ONLY = alternation("decision_only_verbs")
_ONGOING = alternation("ongoing_verbs")
ACT_DECISION_RE = re.compile(
    r"(?i)(?:\b(?:resolved|agreed|decided)\s+(?:unanimously\s+)?|^\s*)to\s+"
    rf"(?!(?:{_DECISION_ONLY}|not|be|have|consider|request|ask|delegate|exclude|move)\b)[a-z]{{3,}}\b")
# a resolution that only notes, approves, endorses ... ("(3) Notes that acceptance onto the programme will commit
# Kent to elections in May 2026", "RESOLVED that the Panel note the Performance Score Card", "Resolved to pay both")
DECISION_ONLY_RE = re.compile(
    r"(?i)^\W*(?:\(?\w{1,3}[.)]\s*)?(?:(?:it\s+was\s+)?(?:resolved|agreed|decided)(?:\s+unanimously)?\s*(?:[:–-]\s*)?(?:that\s+)?)?"
    r"(?:(?:the\s+)?(?:[A-Z][\w'’&-]*\s+){0,5}(?:committee|board|panel|cabinet|council|councillors|members)\s+)?"
    rf"(?:to\s+)?(?:{_DECISION_ONLY})(?:s|es|d|ed)?\b"
    # "The Council agreed to seek advice ...": agreeing to do something is not a decision only
    rf"(?!\s+to\s+(?!(?:{_DECISION_ONLY}|{_ONGOING}|be|have)\b)[a-z]{{3,}}\b)")
# who a delegation names: "Delegate authority to the Director of Public Health, in consultation with ..." -> the Director
DELEGATED_TO_RE = re.compile(r"(?i)\bdelegate[sd]?\s+(?:its\s+|the\s+)?(?:(?:authority|powers?|responsibility)\s+)?to\s+(?:the\s+)?"
                             r"(?P<who>(?-i:[A-Z][\w'’&-]*)(?:\s+(?:(?:of|for|and)\b|(?-i:[A-Z][\w'’&-]*))){0,8})")


def delegated_to(text: str) -> str | None:
    m = DELEGATED_TO_RE.search(text)
    return re.sub(r"(?:\s+(?i:of|for|and))+$", "", m.group("who")) if m else None


PRE_MEETING_RE = re.compile(r"(?i)\b(?:prior\s+to|before|ahead\s+of|in\s+advance\s+of)\s+the\s+meeting\b")
MODAL_RE = re.compile(r"(?i)\b(?P<modal>will|shall|would)\b(?P<neg>\s+not|\s+n['’]t)?(?:\s+(?:also|then|now|further|"
                      r"initially|only|be\s+able\s+to|need\s+to|continue\s+to|seek\s+to|aim\s+to|look\s+to))*"
                      r"\s+(?P<be>be\s+(?:\w+ly\s+)?)?(?P<verb>[a-z][a-z-]+)")
AUXILIARIES = {"have", "has", "had", "are", "is", "was", "were", "be", "been", "do", "does", "did", "can", "could", "will",
               "would", "shall", "should", "may", "might", "must", "need", "also", "then", "now", "not"}
STATIVE = {"be", "have", "remain", "enable", "allow", "form", "contribute", "include", "mean", "help", "need", "show",
           "keep", "become", "see", "feel", "know", "like", "want", "seem", "appear", "reflect", "depend", "require",
           "affect", "impact", "benefit", "come", "lead", "work", "change", "progress", "continue", "happen", "occur",
           "result", "cost", "give", "make", "represent", "say", "think", "find", "hope", "expect", "love",
           "prefer", "get", "go", "stay", "last", "vary", "differ", "matter", "count", "apply", "fit", "suit",
           "encourage", "ensure", "reduce", "improve", "strengthen", "add", "take", "put", "able", "likely",
           "significant", "important", "necessary", "useful", "helpful", "good", "better", "worth", "needed",
           "there", "sure", "consist", "comprise", "involve", "cover", "sit", "align", "focus", "build", "look",
           "rely", "relate", "underpin", "support", "provide", "deliver", "complement", "replace", "maintain", "oversee",
           "monitor", "manage", "operate", "retain", "own", "face", "remove", "rest", "serve", "hold",
           "receive", "respond", "engage", "promote", "offer", "protect", "safeguard", "enhance", "create", "difficult", "interested", "pleased", "happy", "required", "expected", "based"}
PASSIVE_STATIVE = {"needed", "required", "expected", "based", "seen", "known", "affected", "impacted", "made", "given",
                   "able", "likely", "significant", "important", "helpful", "useful", "beneficial", "interested",
                   "pleased", "happy", "good", "better", "worth", "necessary", "difficult", "key", "critical",
                   "taking"}
SUBJECT_PRONOUNS = {"it", "this", "that", "they", "which", "these", "those", "he", "she", "i", "you", "who", "what",
                    "things", "there", "its", "them", "whom", "nothing", "everything", "everyone", "families", "parents",
                    "children", "people", "practitioners", "staff", "workers"}
HEDGE_RE = re.compile(r"(?i)\b(?:believes?|believed|hopes?|hoped|confident|optimistic|likely|unlikely|think|thinks|feel|"
                      r"feels|anticipate\s+that|expected\s+that|it\s+is\s+expected|whether|if|how|what|why|when)\b")
ABSTRACT_SUBJECT_RE = re.compile(r"(?i)\b(?:role|key|aim|aims|purpose|focus|priority|intention|ambition|outcomes?|impact|"
                                 r"results?|benefits?|challenges?|vision|expectation|hope|idea|approach|model|framework|"
                                 r"principles?|values|evidence|research|data|figures?|trend|rate|levels?|proposals?|report|paper|document|"
                                 r"changes?|arrangements?|means)\b")
THERE_WILL_BE_RE = re.compile(
    r"(?i)\bthere\s+(?P<modal>will|would|is\s+to|are\s+to)\s+be\s+(?:an?\s+|further\s+|more\s+|some\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:training|review|update|report|meeting|consultation|sessions?|campaign|event|programme|visit|workshops?|"
    r"briefings?|launch|audit|evaluation|recruitment|engagement|survey)\b")
PLAN_SENT_RE = re.compile(
    r"(?i)\b(?:plans?\s+(?:is|are|was|were)\s+to|plans?\s+to|planned\s+(?:for|to)|(?:is|are|was|were)\s+(?:expected|anticipated|"
    r"due|scheduled|planned|intended|set)\s+(?:to|for)|there\s+(?:is|are)\s+to\s+be|go[\s-]*live|expected\s+(?:in\s+|by\s+)?(?=[A-Z])|"
    r"will\s+(?:go\s+live|launch|start|commence|begin|open)|target\s+date|deadline|due\s+(?:in|by)|"
    r"commencing|to\s+be\s+(?:launched|implemented|delivered|completed|introduced|established|rolled\s+out|published))")
WORKING_TO_RE = re.compile(r"(?i)\b(?:we|the\s+council|the\s+service|the\s+team|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\s+"
                           r"(?:are|is)\s+(?:currently\s+)?working\s+(?:with|alongside|closely\s+with)\s+[^.]{2,60}?\s+to\s+"
                           r"(?:improve|develop|address|resolve|fix|deliver|implement|review|agree|produce|design)\b")
CLAUSE_BOUND_RE = re.compile(r"(?i)(?:,(?!\d)|[;:(–—]|\s-\s|\bthat\b|\bwhich\b|\bwho\b|\band\b|\bbut\b|\bhowever\b|\balthough\b|"
                             r"\bbecause\b|\bwhile\b|\bwhilst\b|\bonce\b|\bif\b|\bwhen\b|\bso\b)")

# who may own a commitment: the council, its people and its bodies, named people; not the Government,
# residents, "areas", "the budget" or "needs" (those sentences describe, they do not commit anyone)
EXTERNAL_SUBJ_RE = re.compile(
    r"(?i)\b(?:government|ministers?|secretary\s+of\s+state|MPs?|parliament|whitehall|DfE|department\s+for|home\s+office|"
    r"ofsted|areas?|regions?|residents|people|families|children|young\s+(?:people|adults?|person)|parents|carers|pupils|"
    r"providers|schools?|academy|academies|trusts?|ICBs?|NHS|populations?|SAs|EMSAs|MSAs?|authorities|councils|everyone|nobody|anyone|budget|needs|conversations|election|"
    r"elections|decision|changes|proposals?|costs?|demand|numbers?|pressures?|"
    r"legislation|bill|act|white\s+paper|reorganisation|devolution|market|economy)\b")
ACTOR_RE = re.compile(
    r"(?i:^(?:we|us|our\s+[\w\s'’-]+|(?:the\s+)?(?:county\s+|city\s+|borough\s+|district\s+)?council(?:['’]s\s+[\w\s'’-]+)?|"
    r"the\s+(?:local\s+)?authority|officers?|"
    r"(?:the\s+|a\s+|an\s+|our\s+|each\s+)?(?:[\w&'’-]+\s+){0,5}(?:team|teams|service|directorate|department|board|committee|"
    r"panel|cabinet|leader|chair|chairman|director|officers?|managers?|lead|leads|head|member|members|partnership|group|unit|hub|"
    r"workforce|staff|practitioners|workers|leaders|specialists?|co-?ordinators?|clerk|scrutiny|commissioners?|"
    r"social\s+workers?)(?:\s+(?:of|for)\s+[\w\s,&'’-]+)?|"
    r"(?:mr|mrs|ms|miss|dr|cllr|councillor|professor)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)$)"
    r"|^(?:[Tt]he\s+)?[A-Z][\w&'’-]*(?:\s+(?:[A-Z][\w&'’-]*|of|and|for|&))*$")
DELIVERABLE_VBN = frozenset(words("deliverable_verbs"))
CONDITIONAL_START_RE = re.compile(r"(?i)^\W*(?:[a-z]\)|\(?\d+\)|[a-z]\.)?\s*(?:if|unless|without|should|where|once|"
                                  r"until|whether|to\s+note|note\s+that|notes?\s+that)\b")

_matcher = None


def request_matcher(nlp):
    """spaCy Matcher for members' and the chair's requests: "Members requested", "The Chair asked that"."""
    global _matcher
    if _matcher is None:
        from spacy.matcher import Matcher

        m = Matcher(nlp.vocab)
        requester = [{"LOWER": {"IN": ["members", "member", "councillors", "councillor", "cllr", "chair", "chairman",
                                       "chairwoman", "chairperson", "committee", "board", "panel", "mayor", "it"]}}]
        name = [{"IS_TITLE": True, "OP": "{0,2}"}]
        verb = [{"LOWER": {"IN": ["requested", "asked", "requests", "asks", "sought", "suggested", "recommended",
                                  "urged", "requested", "wished"]}}]
        follow = [{"LOWER": {"IN": ["that", "for", "details", "information", "a", "an", "the", "to", "sight", "further",
                                    "officers", "copies", "clarification", "data", "figures", "more", "if"]}}]
        m.add("REQUEST", [requester + name + [{"LOWER": "was", "OP": "?"}] + verb + follow,
                          [{"LOWER": "it"}, {"LOWER": "was"}, {"LOWER": {"IN": ["requested", "asked", "suggested"]}},
                           {"LOWER": "that"}]])
        for line in (DATA / "request_patterns.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                m.add(entry["label"], [entry["pattern"]])
        _matcher = m
    return _matcher


REQUEST_CUE_RE = re.compile(r"(?i)\b(?:requested|requests|asked|asks|sought|suggested|recommended|urged|wished)\b")


def is_request(span, nlp) -> bool:
    if span is None or not REQUEST_CUE_RE.search(span.text):
        return False
    try:
        doc = span.as_doc() if hasattr(span, "as_doc") else span
        for _, s, e in request_matcher(nlp)(doc):
            tail = doc[e - 1].lower_
            if tail == "if":
                continue
            if re.search(r"(?i)\b(?:asked|asked\s+for)\s+(?:whether|about|if|what|how|why|when)\b", doc[s:min(len(doc), e + 1)].text):
                continue
            rest = doc[e - 1:].text
            if re.match(r"(?i)(?:for\s+)?(?:confirmation|clarification)\s+(?:as\s+to|of|on|about|whether|regarding)\b", doc[e - 1:].text) \
                    or re.match(r"(?i)for\s+(?:confirmation|clarification)\s+(?:as\s+to|of|on|about|whether|regarding)\b", rest):
                continue  # a question put at the meeting, answered there
            if re.match(r"(?i)\W*(?:the\s+)?(?:councillors|members|committee|panel|board|chair)\s+(?:for\s+(?:their|its|his|her)\s+"
                        r"(?:thoughts|views|comments|opinions?|feedback)|whether|if|what|how|why)\b", doc[e - 1:].text):
                continue  # a body consulting the meeting ("asked the Councillors for their thoughts on ..."): a question
            if doc[s:e].text.lower().startswith("it was") or doc[e - 2].lower_ in ("suggested", "recommended"):
                # "It was suggested that X were different": a remark; a proposal says what should be done
                after = doc[e:].text
                if re.match(r"(?i)\s*if\b", after) or not re.search(
                        r"(?i)\b(?:should|could|must|ought|be\s+\w+ed|be\s+(?:made|given|sent|taken|shown|held|brought|put|set)|"
                        r"consider|look|explore|review|provide|include|add|write|invite|bring|share|circulate)\b", after):
                    continue
            return True
    except Exception:
        return False
    return False


def task_owner(body: str, initials: dict[str, str] | None = None) -> str | None:
    """The owner named at the head of a minuted task ("WM to circulate ..." -> "WM", or the name that
    `initials` gives it; "Upon receipt of the note, SP to ..." -> "SP")."""
    tail = OWNER_TAIL_RE.search(body.strip())  # "Action: Confirm whether the plan is public (Olivia Burman)."
    m = TASK_OWNER_RE.match(body.strip())
    who = m.group("who").split(",")[-1].strip() if m else ""
    who = re.sub(r"(?:\s+\w+ing)+$", "", who)  # "Panel members wishing (to attend)"
    words = re.findall(r"[\w'’.-]+|/|&", who)
    if not who or len(words) > 8 or not who[:1].isupper() or not all(
            w[:1].isupper() or w.lower() in OWNER_WORDS for w in words):
        who = tail.group("who") if tail else ""
    if not who:
        return None
    return spell_out(who, initials)


INITIALS_RE = re.compile(r"\b((?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+)\s*\(([A-Z]{2,4})\)")


def spell_out(who: str, initials: dict[str, str] | None) -> str:
    """Initials replaced by the names the document gives them: "WM and KO" -> "Will Minnett and Kieron O'Hara"."""
    if not initials:
        return who
    return re.sub(r"\b[A-Z]{2,4}\b", lambda x: initials.get(x.group(0), x.group(0)), who)


def initials_in(text: str) -> dict[str, str]:
    """The initials a document defines for people and bodies: "Ed Howlin (EH)" -> {"EH": "Ed Howlin"}
    (initials must be the name's: "Ed Howlin (XY)" defines nothing)."""
    out = {}
    for m in INITIALS_RE.finditer(text):
        words = m.group(1).split()
        for k in range(len(words)):  # "Panel member Ed Howlin (EH)": the last words whose initials they are
            tail = words[k:]
            if "".join(w[0] for w in tail) == m.group(2):
                out.setdefault(m.group(2), " ".join(tail))
                break
    return out


def named_task(text: str, span=None) -> str | None:
    """The owner of a task minuted as "NAME to VERB ..." ("Councillor Healey to order Scalpings"), where the
    word after "to" is a verb (spaCy's tag, when a parse is given), else None."""
    pos = 0
    while (m := NAMED_TASK_RE.search(text, pos)) is not None:
        pos = m.start() + 1  # overlapping: "Cllr Crisp and Cllr Gillett to progress" is read at "and Cllr Gillett"
        verb = m.group("verb")
        if verb in ("the", "all", "this", "that", "date", "note", "attend"):
            continue
        if not m.group("to"):
            # "Clerk inform the Charity of this": an instruction minuted without "to", only at the head of the
            # sentence and only with a verb in its base form (never "Clerk informed ...", "Cllr Smith said")
            if m.start() > 0 or span is None or verb in STATIVE or verb in AUXILIARIES:
                continue
        if span is not None:
            tok = next((t for t in span if t.idx - span[0].idx == m.start("verb")), None)
            if tok is None or (tok.tag_ not in (("VB",) if m.group("to") else ("VB", "VBP"))
                               and not (m.group("to") and verb in DO_VERB_SET)):  # "The Clerk to forward" (RB)
                continue
        return m.group("who").strip()
    return None


UNDERTAKER_RE = re.compile(r"(?P<who>[^,;:]{2,60}?)\s+(?:also\s+|then\s+)?(?:undertook|offered|volunteered|agreed|promised)\s+to\b")


def undertaker(text: str, initials: dict[str, str] | None = None) -> str | None:
    """Who undertook something: "Councillor Connell offered to contact Highways" -> "Councillor Connell"
    (a capitalised name or role of at most six words at the head of its clause), else None."""
    m = UNDERTAKER_RE.search(text)
    if not m:
        return None
    who = m.group("who").strip()
    who = re.sub(r"(?i)^(?:and|but|then|also|after\s+discussion)\s+", "", who).strip()
    who = re.sub(r"(?i)(?:\s+(?:has|have|had|was|were|is|are|also|then|had\s+also))+$", "", who)
    if not who[:1].isupper() or len(who.split()) > 6 or re.match(r"(?i)^(?:it|this|that|there|he|she|they|all|we|i)\b", who):
        return None
    return spell_out(who, initials)


def modal_commitment(text: str, span=None, qa: bool = False, dated: bool = False) -> bool:
    """A future-tense commitment with an acting subject: "The Council will increase ...", not "This will enable ...".

    The subject must be someone who acts for the council (we, the Council, a team, an officer, a named person)
    or, in the passive, the verb must name a deliverable ("will be recruited / circulated / launched"); what
    the Government, residents or "the budget" will do describes, it commits no one. "Will continue to" is
    ongoing work, an action only with a date; conditionals ("If ..., the Director will ...") are not actions."""
    if CONDITIONAL_START_RE.match(text):
        return False
    tw = THERE_WILL_BE_RE.search(text)
    if tw and (qa or tw.group("modal").lower() != "would"):
        return True
    for m in MODAL_RE.finditer(text):
        modal = m.group("modal").lower()
        if modal == "would" and not qa:
            continue
        pre = text[:m.start()]
        bounds = list(CLAUSE_BOUND_RE.finditer(pre))
        subj = pre[bounds[-1].end():] if bounds else pre
        subj = re.sub(r"(?i)^\s*(?:then|also|now|however|further|in\s+addition|therefore)\s+", "", subj).strip(" ,;:–-\"“”'")
        words = re.findall(r"[\w'’-]+", subj)
        if not words:
            if not bounds or bounds[-1].group(0).lower() not in ("and",):
                continue
            continue
        if words[0].lower() in ("this", "it", "they", "which", "that", "these", "those", "he", "she", "i", "you") and len(words) <= 1:
            continue
        if len(words) == 1 and words[0].lower() in SUBJECT_PRONOUNS - {"there"}:
            continue
        if words[-1].lower() in ("it", "they", "this", "that", "which", "who"):
            continue
        if HEDGE_RE.search(pre[-60:]):
            continue
        if ABSTRACT_SUBJECT_RE.fullmatch(words[-1]) or (len(words) <= 4 and ABSTRACT_SUBJECT_RE.match(words[0])):
            continue  # "Key to their role will be ...", "these proposals will address ...": description, not a commitment
        verb = m.group("verb").lower()
        if re.match(r"(?i)^(?:to|in\s+order\s+to)\s", subj):
            # "To enable all staff to make the change Lancashire will ...": the subject follows the purpose clause
            tail = re.search(r"(?:\b[wW]e|(?:\b[A-Z][\w&'’-]*\s*)+)$", subj)
            subj = tail.group(0).strip() if tail else subj
        if not m.group("be") and EXTERNAL_SUBJ_RE.search(subj) and not re.search(
                r"(?i)\b(?:we|our|council|officers?|team|service)\b", subj):
            continue  # "the Government will write", "residents will be making the switch"
        if re.search(r"(?i)\b(?:need\s+to|be\s+able\s+to)\b", m.group(0)) and not dated:
            continue  # a capability, not a follow-up
        if re.search(r"(?i)\bcontinue\s+to\b", m.group(0)) and not dated and not (
                ACTOR_RE.match(subj) and not m.group("be") and verb not in STATIVE):
            continue  # ongoing work, unless someone named goes on doing something ("KCC will continue to monitor")
        if m.group("be"):
            if verb.endswith("ing"):
                verb_ok = verb not in ("taking", "going", "having", "being", "making") and bool(ACTOR_RE.match(subj))
            else:
                verb_ok = verb.endswith(("ed", "en", "wn", "lt", "ut", "id", "un", "nt")) and verb not in PASSIVE_STATIVE \
                    and (verb in DELIVERABLE_VBN or (dated and bool(ACTOR_RE.match(subj))))
                if verb == "used" and not re.match(r"\s+to\s+\w", text[m.end():]):
                    verb_ok = False
                if verb == "considered" and re.match(r"(?i)\s+(?:at|by)\s+(?:a|the)\s+(?:next\s+|future\s+)?(?:meeting|committee|"
                                                     r"panel|board|cabinet|scrutiny)", text[m.end():]):
                    verb_ok = True
            if not verb_ok:
                continue
        else:
            if verb in STATIVE or (modal == "would" and verb in ("like", "love", "prefer", "welcome", "be")):
                continue
            if not ACTOR_RE.match(subj):
                continue  # "Planning conversations will begin", "the final decision will rest with ministers"
        return True
    return False


def split_numbered(body: str) -> list[tuple[str | None, str]]:
    """ "(1) X; (2) Y" or "1. X 2. Y" inside one paragraph -> [(number, text), ...]."""
    parts = re.split(r"(?:^|\s)(?:\((\d{1,2}|[a-h]|[ivx]{1,4})\)|(\d{1,2})[.)])\s+(?=[A-Z])", body)
    if len(parts) < 4:
        return [(None, body.strip())]
    out = []
    lead = parts[0].strip()
    for k in range(1, len(parts) - 2, 3):
        num = parts[k] or parts[k + 1]
        text = (parts[k + 2] or "").strip().rstrip(";").strip()
        if text:
            out.append((num, text))
    if lead and len(lead) > 20 and not out:
        out.insert(0, (None, lead))
    return out or [(None, body.strip())]


def split_lettered(text: str) -> list[tuple[str | None, str]]:
    """ "A. Agree to X; and B. DELEGATE Y" (lettered items run together in one paragraph) ->
    [("A", "Agree to X; and"), ("B", "DELEGATE Y")]. Only letters in sequence from A (or a) count,
    so initials ("J. Smith") are left alone; a text that is not such a list is returned whole. A lead-in
    before the first item ("Cabinet is asked to: A. ...") is left out of the items."""
    first = re.match(r"(?:[^.:]{0,100}:)?\s*\(?([Aa])[.)]\s+(?=[A-Z])", text)
    if not first:
        return [(None, text.strip())]
    upper = first.group(1) == "A"
    marks, pos, letter = [first], first.end(), "B" if upper else "b"
    while True:
        m = re.compile(rf"(?<=[;,.:])\s*(?:(?:and|or)\s+)?\(?{letter}[.)]\s+(?=[A-Z])").search(text, pos)
        if not m:
            break
        marks.append(m)
        pos, letter = m.end(), chr(ord(letter) + 1)
    if len(marks) < 2:
        return [(None, text.strip())]
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        out.append((chr(ord("A" if upper else "a") + k), text[m.end():end].strip()))
    return out
