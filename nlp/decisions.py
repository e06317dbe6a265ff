"""Decisions and recommendations in a block of a council paper.

Decisions (ANNOTATION.md: what a meeting resolved, procedural resolutions included) are read from:
- the items after a "Resolved:" lead-in, and "(B) That ..." paragraphs continuing a resolution;
- inline resolutions ("RESOLVED that ...", "Resolved to pay ..."), several in one paragraph;
- "It was agreed that ...", "The Panel approved the minutes ...";
- motions as minutes record them: proposed and seconded, with or without "carried" ("Cllr X proposed ...,
  seconded by Cllr Y, all were in favour.", "Proposed by Cllr X, seconded by Cllr Y. Unanimously carried.");
  a motion not seconded or lost is a decision too, with its `result`;
- minutes approved ("approved & signed as correct"), elections and co-options ("was duly elected");
- a vote's outcome ("Amendment lost.") and a paper noted ("The report was noted.").

Recommendations: a report's "Recommendation(s)" section (one per numbered or lettered item), an
inspectorate's listed recommendations, and a body's own ("The Committee recommended that ...",
a parish's "approval recommended" on a planning application).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Block
from nlp import actions as A
from nlp.segment import INLINE_RESOLVED_RE, BlockContext, Sentence, split_sentences
from nlp.vocab import alternation


@dataclass
class Item:
    number: str | None
    text: str
    cue: str
    result: str | None = None


LETTERED_THAT_RE = re.compile(r"^\W{0,2}\(?([A-Ha-h]|[ivx]{1,3}|\d{1,2})[).]\s+(?:That|that|THAT)\b")
# the meeting noting a paper: "The report was otherwise noted.", "The Committee noted the update."
NOTED_RE = re.compile(r"(?i)^\W*(?:the\s+)?(?:report|update|item|presentation|information|minutes?|work\s+programme)\s+"
                      r"(?:was|were)\s+(?:otherwise\s+|duly\s+|therefore\s+)?noted\b"
                      r"|^\W*the\s+(?:committee|panel|board|sub-committee|cabinet|council)\s+(?:duly\s+)?noted\s+the\s+"
                      r"(?:report|update|presentation|information|work\s+programme)\b")
# a vote's outcome: "Amendment lost.", "Substantive Motion carried.", "the Chairman put the amendment set out
# at paragraph 15 to the vote and it was agreed"
MOTION_OUTCOME_RE = re.compile(
    r"(?i)^\W*(?:\d{1,3}[.)]\s+)?(?:the\s+)?(?:(?:substantive|original|amended|main|first|second)\s+)?(?:motion|amendment|"
    r"recommendations?|proposals?)(?:\s+as\s+amended)?\s+(?:(?:was|were|is)\s+)?(?:(?:therefore|duly|unanimously)\s+)?"
    r"(?:carried|lost|fell|defeated|approved|rejected|adopted)(?:\s+unanimously)?\W*$"
    r"|\bput\s+(?:the\s+|a\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,12}?to\s+the\s+vote\s+and\s+(?:it|they|this)\s+(?:was|were)\s+"
    r"(?:unanimously\s+)?(?:agreed|carried|lost|approved|defeated|rejected)\b")
NEXT_RESOLUTION_RE = re.compile(r"(?<=[.!?])\s+(?=(?:It\s+was\s+)?(?:RESOLVED|Resolved|AGREED|Agreed)\b)")

# "It was agreed that ...", "The Parish Council agreed to ...", "Members unanimously resolved that ...", "It was agreed
# by all to ...", "All were agreeable that ...": an agreement and what follows it, built from its parts
_BODY = r"(?:the\s+)?(?:[A-Z][\w'’&-]*\s+){0,5}(?:committee|board|panel|sub-committee|cabinet|council|meeting)"
_ADV = r"(?:(?:therefore|also|then|thus|further|duly|subsequently|unanimously|finally|eventually|now)\s+)*"
_BY_ALL = r"(?:\s+by\s+(?:all(?:\s+present)?|everyone|all\s+(?:members|councillors)|majority))?"
_AGREEMENT = (rf"(?:it\s+was\s+{_ADV}(?:agreed|resolved|decided){_BY_ALL}"
              rf"|{_BODY}\s+{_ADV}(?:agreed|agree|resolved|decided){_BY_ALL}"
              rf"|(?:all\s+)?(?:members|councillors)\s+(?:present\s+)?{_ADV}(?:\w+\s+and\s+)?(?:agreed|resolved){_BY_ALL}"
              r"|\ball\s+(?:present\s+)?(?:were\s+)?(?:agreed|agreeable|in\s+agreement))")
_WHAT = r"\s+(?:that|to|not\s+to|(?=(?:they|it|this|these|there|the|all|a|an|we|any|no)\s+\w+\s+\w+))\b"
AGREED_RE = re.compile(
    rf"(?i)\b{_AGREEMENT}{_WHAT}"
    # "The Panel approved the minutes ...", "The Accounts were approved by the Parish Council", "This assistance was
    # gratefully accepted by the Parish Council", "Accounts were presented and accepted for payment."
    rf"|\b{_BODY}\s+{_ADV}(?:approved|endorsed|adopted|ratified|accepted)\s+the\b"
    r"|\b(?:was|were)\s+(?:\w+ly\s+)?(?:approved|agreed|adopted|endorsed|ratified|accepted)(?:\s+for\s+payment)?\s+by\s+"
    r"(?:the\s+)?(?:parish\s+|town\s+|full\s+)?(?:council|committee|panel|board|cabinet|councillors|members|all)\b"
    r"|\b(?:accounts|payments|invoices|cheques|bills)\s+(?:were|was)\s+(?:presented\s+and\s+|duly\s+)?"
    r"(?:accepted|approved|agreed)(?:\s+for\s+payment)?\b"
    r"|\bpayments?\s+of\s+(?:the\s+)?(?:accounts|invoices|bills)\s+(?:was|were)\s+(?:approved|agreed)\b"
    # "This was agreed to provide through current account ...", "J Cross Audit - £25, ..., Council Agreed"
    r"|^\W*(?:this|these|that)\s+(?:was|were)\s+(?:duly\s+|unanimously\s+)?agreed\b"
    r"|\b(?:council|councillors|members|all\s+present)\s+(?:agreed|approved)\W*$"
    # a parish's payments: "Calc Subscription notice - resolved to pay £102.48"
    r"|(?<!\bhe\s)(?<!\bshe\s)(?<!\bthey\s)\b(?:resolved|agreed)\s+to\s+(?:pay|donate|renew|purchase|buy)\b")
# a council's view on a planning application, the way parish minutes list them: "Installation of one small (15m) wind
# turbine at Boughton Farm - supported by parish council", "... 11/00113/F No comment", "... - recommend approval",
# "Planning application received for Manor Cottage, Council have no observations or objections."
PLANNING_VIEW_RE = re.compile(
    r"(?i)(?:[-–—:,]\s*|\b(?:\d{2}/\d{4,5}/\w+|application)\s+)(?:(?:was\s+|were\s+)?(?:unanimously\s+)?(?:supported|approved|"
    r"rejected|refused|objected\s+to|opposed)(?:\s+by\s+(?:the\s+)?(?:parish\s+)?council(?:lors)?)?"
    r"|no\s+(?:comments?|objections?|observations?)(?:\s+(?:or|and)\s+(?:comments?|objections?|observations?))?"
    r"|(?:recommend(?:ed)?\s+(?:approval|refusal)|(?:approval|refusal)\s+(?:was\s+)?recommended)"
    r"|(?<=[-–—]\s)(?:support|object))\W*$"  # "(13/00637/F) - Support"
    r"|\bcouncil(?:lors)?\s+(?:have|has|had)\s+no\s+(?:comments?|objections?|observations?)\b")
# the view set on a line of its own under the application it is on
VERDICT_ONLY_RE = re.compile(r"(?i)^\W*(?:no\s+(?:comments?|objections?|observations?)|(?:unanimously\s+)?supported|approved|"
                             r"refused|rejected|objection|object|recommend\s+(?:approval|refusal)|"
                             r"(?:approval|refusal)\s+recommended|support(?:ed)?\s+(?:by\s+(?:a\s+)?majority|unanimously))\W*$")
PLANNING_CONTEXT_RE = re.compile(r"(?i)\b(?:planning|application|\d{2}/\d{4,5}/\w+|erection|extension|dwellings?|"
                                 r"change\s+of\s+use|conversion|demolition|construction|installation|proposed)\b")

# "The following payments were agreed:", "Payment of accounts was agreed in accordance with the budget:": a lead-in
# that is the decision itself (what follows is the schedule of payments, figures, not further resolutions)
PAYMENTS_AGREED_RE = re.compile(r"(?i)\b(?:payments?|accounts|invoices|cheques)\b[^:]{0,60}\b(?:were|was)\s+(?:duly\s+)?"
                                r"(?:agreed|approved|authorised|authorized)\b")

# an agreement of opinion, not a resolution: "it was agreed this was a good idea", "It was agreed that assurance
# was needed" (a copula and no verb of doing: should, would, will, be + done)
OPINION_RE = re.compile(r"(?i)^\W*(?:that\s+)?(?:[\w'’-]+\s+){1,6}?(?:was|were|is|are)\s+(?!to\b)(?:[\w'’-]+\s*){1,6}[.!]?$")
ACT_IN_CLAUSE_RE = re.compile(r"(?i)\b(?:should|would|will|shall|must|be|to|could)\b")
# "It was agreed the Parish Council would not wish to do so.": what "so" was stands in the sentence before
ANAPHORA_RE = re.compile(r"(?i)\b(?:do\s+so|this|that|it)\W*$|^\W*(?:this|that|these)\s+(?:was|were)\s+")

THAT_MOTION_RE = re.compile(r"^\W{0,2}(?:That|THAT)\s+\S+(?:\s+\S+){2,}")
PROPOSED_RE = re.compile(r"(?i)\b(?:proposed|moved)\b")
SECONDED_RE = re.compile(r"(?i)\bseconded\b|\bseconders?\b")
OUTCOME_RE = re.compile(rf"(?i)\b{alternation('vote_outcomes')}\b|\b\d+\s+(?:votes?\s+)?(?:for|in\s+favour)\b")
FAILED_RE = re.compile(rf"(?i)\b{alternation('vote_failures')}\b")
PAST_MOTION_RE = re.compile(r"(?i)\bhad\s+(?:been\s+)?(?:proposed|seconded|moved)\b|\bif\s+(?:proposed|seconded)\b")
NAME_RE = re.compile(r"\b(?:Cllrs?|Councillors?|Mr|Mrs|Ms|Miss|Dr|Chair(?:man)?|Vice[\s-]Chair(?:man)?|Clerk)\b\.?"
                     r"(?:\s+(?:Mrs|Mr|Ms|Miss))?(?:\s+[A-Z][\w'’.-]*)*")
BARE_VOTE_WORDS_RE = re.compile(
    r"(?i)\b(?:proposed|seconded|moved|by|and|all|were|was|in|favour|agreed|unanimously|carried|resolved|votes?|for|"
    r"against|abstained|abstentions?|abstaining|nem|con|present|agreement|motion|lost|not|no|there|seconders?|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|with|the|this|it|that|[ivx]+|\d+)\b")
MINUTES_APPROVED_RE = re.compile(
    r"(?i)\bminutes\b[^.;]{0,140}?\b(?:were|was|be|are|being)\s+(?:duly\s+|unanimously\s+|then\s+)?(?:approved|agreed|"
    r"accepted|adopted|signed|confirmed|ratified)\b"
    r"|\b(?:approved|agreed|accepted|signed)\s+(?:&|and)\s+(?:signed|approved|agreed)\b"
    r"|\b(?:taken|signed|approved|agreed|accepted|confirmed)\s+as\s+(?:a\s+|being\s+a\s+)?(?:true|correct|accurate)\b"
    r"|\bas\s+a\s+(?:true|correct|accurate)\s+record\b"
    r"|\bminutes\b[^.;]{0,140}?,\s*(?:agreed|approved|accepted)(?:,|\s+and)\s+signed\b")
# routine business minuted in the passive: "The payments were considered and approved.", "The Annual Return for 2013-2014
# was scrutinised and adopted ..." (not what another body approved: "... approved by the auditor")
PROCEDURAL_PASSIVE_RE = re.compile(
    rf"(?i)^\W*(?:the\s+)?(?:[\w'’&-]+\s+){{0,3}}?{alternation('procedural_papers')}\b[^.;]{{0,80}}?\b(?:was|were|has\s+been|"
    r"have\s+been)\s+(?:duly\s+|unanimously\s+)?(?:(?:considered|scrutinised|scrutinized|reviewed|discussed|presented|"
    r"checked|examined|read)\s+(?:and|&)\s+)?(?:approved|adopted|accepted|agreed|ratified)\b"
    r"(?!\s+by\s+(?:the\s+)?(?:\w+\s+)?(?:auditors?|bank|government|borough|county|district|hmrc|department))")
ELECTED_RE = re.compile(r"(?i)\b(?:was|were)\s+(?:duly\s+|unanimously\s+)?(?:elected|re-elected|appointed|co-opted)\s+"
                        r"(?:as|to|onto|for|chair|vice)\b")
# a body recommending to another ("The Committee recommended that ...", "RECOMMENDED: that ...") and a parish's
# view on a planning application ("approval recommended", "it was recommended that the fees be doubled")
COMMITTEE_REC_RE = re.compile(
    r"(?i)\b(?:the\s+)?(?:committee|panel|board|members?|sub-committee|task\s+(?:and\s+finish\s+)?group|council|"
    r"councillors)\s+(?:(?:agreed|resolved)\s+to\s+)?(?:recommends?|recommended)\s+(?:that|to)\b"
    r"|\bRECOMMENDED\s*[:–-]?\s*(?:that|THAT)\b"
    r"|\b(?:approval|refusal|acceptance)\s+(?:was\s+|is\s+)?(?:unanimously\s+)?recommended\b"
    r"|\brecommend(?:s|ed)?\s+(?:approval|refusal)\b|\bshould\s+be\s+recommended\s+(?:to|for)\b"
    r"|\bit\s+was\s+(?:unanimously\s+)?recommended\s+that\b")


def says_too_little(body: str) -> bool:
    """Whether what follows "resolved to" is too short to say what was resolved ("pay both"): then the
    resolution is recorded with its sentence, which names what was to be paid or done."""
    return len(body.split()) < 4


def is_lead_in(text: str | None) -> bool:
    t = (text or "").strip()
    return t.endswith(":") or len(re.findall(r"[A-Za-z]{2,}", t)) < 3


def _bare_vote(sentence: str) -> bool:
    """Only who proposed and seconded and how the vote went ("Seconded Cllr Trudy Mann, all agreed.",
    "Unanimously carried.", "7 votes for 1 abstention. Carried"): it belongs to the sentence before."""
    if not (OUTCOME_RE.search(sentence) or SECONDED_RE.search(sentence) or FAILED_RE.search(sentence)):
        return False
    rest = BARE_VOTE_WORDS_RE.sub(" ", NAME_RE.sub(" ", sentence))
    return len(re.findall(r"[A-Za-z]{2,}", rest)) < 2


def _motion(sentence: str) -> str | None:
    """Whether a sentence records a motion put to the meeting: "carried", "lost", or None."""
    if sentence.rstrip().endswith("?") or PAST_MOTION_RE.search(sentence):
        return None
    proposed, seconded = PROPOSED_RE.search(sentence), SECONDED_RE.search(sentence)
    outcome, failed = OUTCOME_RE.search(sentence), FAILED_RE.search(sentence)
    if failed and (proposed or seconded):
        return "lost"
    if (proposed and (seconded or outcome)) or (seconded and outcome):
        return "carried"
    return None


def _resolution_items(ctx: BlockContext, taken: list[str]) -> list[Item]:
    """Inline resolutions: "RESOLVED that ...", "Resolved to pay ...", several in one paragraph."""
    out = []
    for piece in NEXT_RESOLUTION_RE.split(ctx.block.text or ""):
        m = INLINE_RESOLVED_RE.search(piece)
        if not m:
            continue
        items = A.split_numbered(m.group("body"))
        if len(items) == 1 and says_too_little(items[0][1]):
            # "Grass Cutting £864.00 Resolved to pay both": the sentence, with what was to be paid
            lead = piece[:m.start()]
            cut = max(lead.rfind(". "), lead.rfind("! "), lead.rfind("? "), lead.rfind("\n"))
            items = [(items[0][0], piece[cut + 1:].strip())]
        for num, item in items:
            out.append(Item(num or ctx.block.number, item, "resolved"))
            taken.append(item)
    return out


def _agreed_items(ctx: BlockContext, si: int, taken: list[str]) -> list[Item]:
    """ "It was agreed that X", "The Accounts were approved by the Council": each up to the next decision in the
    sentence; a bare "Councillors resolved to pay" keeps its sentence; "This was agreed" takes the sentence before."""
    s = ctx.sentences[si]
    found = [am for am in AGREED_RE.finditer(s.text)
             if not re.search(r"(?i)\bhad\s+(?:agreed|resolved|decided)\b", s.text[max(0, am.start() - 10):am.end()])]
    out = []
    for k, am in enumerate(found):
        start = am.start() if re.match(r"(?i)(?:it|the|all|members|councillors)\b", am.group(0)) else \
            (found[k - 1].end() if k else 0)
        end = found[k + 1].start() if k + 1 < len(found) else len(s.text)
        clause = s.text[start:end].strip()
        what = s.text[am.end():end]
        if OPINION_RE.match(what) and not ACT_IN_CLAUSE_RE.search(what):
            continue  # "it was agreed this was a good idea": a view, not a resolution
        if len(found) == 1 and says_too_little(what):
            clause = s.text.strip()
        if si and not k and (re.match(r"(?i)\W*(?:this|that|these)\s+(?:was|were)\s+", s.text)
                             or (len(what.split()) < 12 and ANAPHORA_RE.search(what))):
            clause = _span(ctx, si - 1, si)  # what "this" was, what doing "so" is
        if not any(clause in d or d in clause for d in taken):
            out.append(Item(None, clause, "agreed"))
            taken.append(clause)
    return out


def _span(ctx: BlockContext, first: int, last: int) -> str:
    """The block's text from sentence `first` to sentence `last`, as written."""
    return (ctx.block.text or "")[ctx.sentences[first].start:ctx.sentences[last].end].strip()


def _sentence_items(ctx: BlockContext, taken: list[str]) -> list[Item]:
    """Decisions read sentence by sentence: agreements, motions, minutes approved, elections, outcomes, noting."""
    out: list[Item] = []
    last_motion = -2  # the index of the last sentence read as a motion, to attach "Unanimously carried." to it
    motion_start = 0  # and the sentence that motion's item starts at
    for si, s in enumerate(ctx.sentences):
        agreed = _agreed_items(ctx, si, taken)
        out += agreed
        if agreed:
            last_motion = motion_start = si
        if agreed or any(s.text in d for d in taken):
            continue
        motion = _motion(s.text)
        if _bare_vote(s.text) and si:
            first = si - 1
            while first > 0 and first != last_motion and len(ctx.sentences[first].text.split()) < 4:
                first -= 1  # "The minutes ... were approved. Proposed. Cllr X, Seconded Cllr Y, all agreed."
            if last_motion == first and out:
                out.pop()  # the motion's own outcome: one item with it
                first = motion_start
            text = _span(ctx, first, si)
            out.append(Item(None, text, "motion", "lost" if FAILED_RE.search(s.text) else "carried"))
            taken.append(text)
            last_motion, motion_start = si, first
        elif motion:
            out.append(Item(None, s.text.strip(), "motion", motion))
            taken.append(s.text)
            last_motion = motion_start = si
        elif MINUTES_APPROVED_RE.search(s.text) or ELECTED_RE.search(s.text) or PROCEDURAL_PASSIVE_RE.search(s.text):
            out.append(Item(None, s.text.strip(), "procedural"))
            taken.append(s.text)
            last_motion = motion_start = si
        elif PLANNING_VIEW_RE.search(s.text) and PLANNING_CONTEXT_RE.search(s.text):
            out.append(Item(None, s.text.strip(), "planning view"))
            taken.append(s.text)
        elif (NOTED_RE.match(s.text) or MOTION_OUTCOME_RE.search(s.text)) and not (
                ctx.concludes_motion and MOTION_OUTCOME_RE.search(s.text)):  # the motion's own text is the record
            out.append(Item(None, s.text.strip(), "outcome"))
            taken.append(s.text)
    return out


def decisions_in_block(ctx: BlockContext, after_resolution: bool, prev: BlockContext | None = None) -> list[Item]:
    """The decisions a block records (headings record none). `prev` is the block before it."""
    b = ctx.block
    text = b.text or ""
    if b.kind == "heading":
        return []
    if VERDICT_ONLY_RE.match(text) and prev is not None and PLANNING_CONTEXT_RE.search(prev.block.text or ""):
        return [Item(None, f"{(prev.block.text or '').strip()} {text.strip()}", "planning view")]
    if ctx.region == "resolved":
        return [Item(b.number, text, "resolved list")]
    if ctx.region == "motion":
        # the text of a motion put to the vote, its first sentence ("“This amendment seeks to reduce ... project.")
        first = ctx.sentences[0].text if ctx.sentences else text
        return [Item(b.number, first.strip().lstrip("“\"‘'").strip(), "motion text", ctx.motion_result)]
    if prev is not None and len(ctx.sentences) == 1 and THAT_MOTION_RE.match(text) and PROPOSED_RE.search(prev.block.text or "") \
            and SECONDED_RE.search(prev.block.text or ""):
        # "Proposed – Cllr Leamon Seconded – Cllr Lintern" then "‘That a projector be purchased ...’": the motion
        return [Item(b.number, text.strip().strip("“”\"‘’'").strip(), "motion text")]
    lettered = LETTERED_THAT_RE.match(text)
    if after_resolution and lettered:
        # "RESOLVED: (A) That ... ." then, a paragraph of its own, "(B) That ...": the resolution goes on
        return [Item(lettered.group(1), text, "resolved list")]
    if b.kind == "table_row" and b.cells:
        return [it for c in cell_contexts(ctx) for it in _sentence_items(c, [])]
    taken: list[str] = []
    return _resolution_items(ctx, taken) + _sentence_items(ctx, taken)


def cell_contexts(ctx: BlockContext) -> list[BlockContext]:
    """A table row's cells, each read as a paragraph of its own ("| Minutes of previous meeting ... agreed, signed |")."""
    out = []
    for cell in ctx.block.cells or []:
        if cell and len(cell.split()) >= 3:
            c = BlockContext(ctx.index, Block("paragraph", cell, page=ctx.block.page, section=ctx.block.section))
            c.sentences = [Sentence(cell[s:e], ctx.index, s, e) for s, e in split_sentences(cell)]
            out.append(c)
    return out


def continues_resolution(ctx: BlockContext, found: list[Item]) -> bool:
    """Whether a "(B) That ..." paragraph after this block would go on with its resolution."""
    text = ctx.block.text or ""
    return bool(found) and (ctx.region == "resolved" or bool(INLINE_RESOLVED_RE.search(text))
                            or bool(LETTERED_THAT_RE.match(text)))


# a council's view on a planning application is its recommendation to the planning authority where it supports,
# objects or recommends ("- supported by parish council", "Approval recommended"); "No comment" recommends nothing
REC_VERDICT_RE = re.compile(r"(?i)\b(?:recommend\w*|supported|support|rejected|refused|objected|objection|object)\b")
# a named body's recommendation the paper reports: "BDO (Audit) ... recommended fire extinguisher ...", "the Public
# Accounts Committee recommended that ...", "resulted in a recommendation that ..."
OUTSIDE_REC_RE = re.compile(
    r"(?:\b(?-i:(?:[A-Z][\w&().'’-]*\s+){0,5}[A-Z][\w&().'’-]*)|\bthey)\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?"
    r"(?:recommended|recommends)\s+(?:that\s+)?(?!\w+ing\b)"
    r"|\b(?:resulted\s+in|made|makes|contains?)\s+(?:a|the\s+following|\w+)\s+recommendations?\s+(?:that|to)\b")
# advice a named outside body gave: "The Council have been strongly advised by NALC to put in place a written
# agreement ...", "The External Auditor has now advised that new assets should be listed ..."; not a council's own
# officers' or members' advice ("The Clerk advised that ...")
ADVISED_REC_RE = re.compile(
    r"(?i)\b(?:has|have|had|was|were)\s+(?:been\s+)?(?:strongly\s+|now\s+|also\s+)*advised\s+by\s+(?:the\s+)?"
    r"(?P<by>(?-i:[A-Z][\w&'’-]*)(?:\s+(?-i:[A-Z][\w&'’-]*)){0,4})\s+(?:that\s+[^.;]{0,120}?\b(?:should|must|ought)\b|"
    r"to\s+(?!be\s+aware)\w+)"
    r"|(?P<who>(?-i:\b[A-Z][\w&().'’-]*)(?:\s+(?-i:[A-Z][\w&().'’-]*)){0,4})\s+(?:has\s+|have\s+|had\s+)?(?:now\s+|also\s+)?"
    r"advised\s+(?:the\s+(?:\w+\s+)?council\s+)?that\s+[^.;]{0,120}?\b(?:should|must|ought\s+to|needs?\s+to)\b")
OWN_PEOPLE_RE = re.compile(rf"(?i)^(?:the\s+)?(?:{alternation('officer_roles')}|councillors?|cllrs?|members?|mayor|officers?|"
                           r"(?:parish\s+|town\s+)?council|it|he|she|they|we|i)\b")


def _advice(text: str) -> bool:
    """A named outside body's advice that something should be done (ADVISED_REC_RE), not the council's own."""
    m = ADVISED_REC_RE.search(text)
    return bool(m) and not OWN_PEOPLE_RE.match((m.group("by") or m.group("who") or "").strip())


# a body urging another: "the Council urges the Executive ...", "calls on the Government to ..."
URGES_RE = re.compile(r"(?i)(?<!continued\sto\s)\b(?:urges?|urged|calls?\s+(?:up)?on|called\s+(?:up)?on|asks?|asked)\s+(?:the\s+)?"
                      r"(?:executive|cabinet|government|secretary\s+of\s+state|minister|cabinet\s+member|leader)\b"
                      r"(?!\s+(?:of\s+the\s+council\s+)?(?:how|whether|what|why|when|if|about)\b)")


def _planning_recommendation(ctx: BlockContext, prev: BlockContext | None) -> Item | None:
    text = ctx.block.text or ""
    if VERDICT_ONLY_RE.match(text) and REC_VERDICT_RE.search(text) and prev is not None \
            and PLANNING_CONTEXT_RE.search(prev.block.text or ""):
        return Item(None, f"{(prev.block.text or '').strip()} {text.strip()}", "planning view")
    return None


def recommendations_in_block(ctx: BlockContext, prev: BlockContext | None = None) -> list[Item]:
    b = ctx.block
    planning = _planning_recommendation(ctx, prev)
    if planning:
        return [planning]
    if ctx.region in ("recommendations", "inspect_recs") and b.kind in ("paragraph", "list_item"):
        t = (b.text or "").strip()
        if len(t) < 15 or t.endswith("?") or re.match(r"(?i)^(?:none|n/a|not applicable)\b", t):
            return []
        # "A. Agree to ...; and B. DELEGATE ...": two
        return [Item(num or b.number, item, "recommendations section") for num, item in A.split_lettered(t)]
    if b.kind == "heading":
        return []
    out, application = [], None  # the planning application the block's sentences are about
    for s in ctx.sentences:
        rm = COMMITTEE_REC_RE.search(s.text)
        if rm:
            start = rm.start() if re.match(r"(?i)(?:the\s+)?(?:committee|panel|board|members?|sub-committee|task|"
                                            r"council|councillors|recommended|it\s+was)\b", rm.group(0)) else 0
            out.append(Item(b.number, s.text[start:].strip(), "recommended"))
        elif PLANNING_VIEW_RE.search(s.text) and PLANNING_CONTEXT_RE.search(s.text) and REC_VERDICT_RE.search(s.text):
            out.append(Item(b.number, s.text.strip(), "planning view"))
        elif OUTSIDE_REC_RE.search(s.text) and not s.text.rstrip().endswith("?"):
            out.append(Item(b.number, s.text.strip(), "reported recommendation"))
        elif URGES_RE.search(s.text):
            out.append(Item(b.number, s.text.strip(), "urges"))
        elif _advice(s.text) and not s.text.rstrip().endswith("?"):
            out.append(Item(b.number, s.text.strip(), "outside advice"))
        elif application and VERDICT_ONLY_RE.match(s.text) and REC_VERDICT_RE.search(s.text):
            out.append(Item(b.number, application, "planning view"))  # "... Thetford Road. Support by majority."
        if PLANNING_CONTEXT_RE.search(s.text) and re.search(r"(?i)\bapplication\b|\d{2}/\d{4,5}/\w+", s.text):
            application = s.text.strip()
    return out
