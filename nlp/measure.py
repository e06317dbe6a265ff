"""What a figure measures, read from the dependency parse of its sentence.

The pattern pass in `nlp.metrics` finds figures and gives each a rough label from the words
around it. For sentences that hold a figure, a second spaCy pass with the parser gives a
better one: a short noun phrase, the way an officer would name the measure in a table.

    21 Family Safeguarding Teams                 -> "Family Safeguarding Teams" (the noun the number modifies)
    5 social workers per team                    -> "social workers per team"
    40% of foster carers responded ...           -> "foster carers responded to the survey" ("of" phrase + its verb)
    practitioners (98%) said that X was Y        -> "practitioners saying that X was Y"
    The average number of X has reduced from 285 -> "average number of X" (subject of the governing verb)
    an overspend of £2.3m                        -> "overspend"
    the rate of children in care ... 188 per 10,000 -> "children in care rate"

`label(doc, start, end, unit)` returns the label or None (the caller keeps its rough one).
"""
from __future__ import annotations

import json
import re

from nlp.phrases import MAX_WORDS, noun_phrase, phrase_text, tidy, verb_clause
from nlp.vocab import DATA

_WORDS = json.loads((DATA / "measure_words.json").read_text(encoding="utf-8"))  # the vocabularies below
FIGURE_NOUNS = set(_WORDS["figure_nouns"])
GENERIC_HEADS = set(_WORDS["generic_heads"])
SAY_VERBS = dict(_WORDS["say_verbs"])
PLACE_PP_RE = re.compile(r"(?i)\s+(?:in|across|for|within)\s+(?:the\s+)?(?:country|county|borough|city|region|area|"
                         r"authority|district|nation|uk|england|wales|scotland|north\s+west|south\s+west|north\s+east|"
                         r"south\s+east|midlands)\b.*$")
FRACTIONS = set(_WORDS["fractions"])
IRREGULAR = dict(_WORDS["irregular"])


def _figure_tokens(doc, start: int, end: int):
    return [t for t in doc if t.idx < end and t.idx + len(t.text) > start]


def _governing_subject(tok):
    """The subject of the verb that governs `tok` ("X has reduced from 285 to 251": X)."""
    h = tok
    for _ in range(6):
        if h.head.i == h.i:
            break
        h = h.head
        if h.pos_ in ("VERB", "AUX"):
            subj = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass", "csubj") and c.i != tok.i]
            if subj:
                return subj[0], h
            if h.dep_ not in ("xcomp", "conj", "ccomp", "advcl", "relcl", "prep", "pcomp", "acl"):
                break
    return None, None


def _subject_np(subj, exclude) -> str:
    if subj is not None and subj.dep_ == "csubj":
        # "X's percentage of children becoming subject to ... is 19.9%": the whole clause, shortened
        inner = [c for c in subj.children if c.dep_ in ("nsubj", "nsubjpass")]
        toks = []
        for t in subj.subtree:
            if t.text in (",", ";", ":", "–", "(", ")") or t.i in exclude:
                break
            toks.append(t)
        if not inner or len(toks) < 2:
            return ""
        return _strip_quantity(tidy(toks[:22]))
    if subj is None or subj.pos_ == "PRON" or subj.lower_ in GENERIC_HEADS - {"rate", "number", "average", "total",
                                                                               "percentage", "proportion", "cost"}:
        return ""
    toks = noun_phrase(subj, exclude, max_words=16 if subj.lower_ in GENERIC_HEADS else MAX_WORDS)
    if len(toks) == 1 and subj.lower_ in GENERIC_HEADS:
        return ""
    return tidy(toks)


def _rate_label(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    t = PLACE_PP_RE.sub("", t)
    m = re.match(r"(?i)^(?:(?:\w+est|higher|lower|overall|average|current)\s+)?rates?\s+(?:per\s+[\d,]+\s+)?(?:of\s+)?(.+)$", t)
    if m and m.group(1) and not re.match(r"(?i)^(?:per|\d)", m.group(1)):
        return f"{m.group(1).strip()} rate"
    return t


def label(doc, start: int, end: int, unit: str | None) -> str | None:
    """The measure of the figure at characters [start, end) of `doc` (a parsed sentence)."""
    out = _label(doc, start, end, unit)
    if not out:
        return None
    out = re.sub(r"(?i)\s+(?:which|that|who|where|whilst|while|and|or|but)(?:\s+\w+)?$", "", out)
    # a qualifier of the figure is not what it measures: "a potential for up to £69m" -> "potential"
    out = re.sub(r"(?i)(?:\s+(?:up(?:\s+to)?|over|around|about|approximately|nearly|almost|circa|some|of|for|to|at|by))+$",
                 "", out)
    out = re.sub(r"\s+", " ", out).strip(" ,;:–-")
    return out or None


DURATION_UNITS = ("days", "weeks", "months", "years", "hours", "minutes")
SHARE_OF_VERBS = set(_WORDS["share_of_verbs"])


class _Figure:
    """A figure in a parsed sentence: its tokens (`figs`), its last number (`num`), the token that stands for it
    in the parse (`anchor`: "%" in "75 %", "m" in "£ 1.5 m"), the token after it (`nxt`) and the tokens no
    label may hold (`exclude`: the figure's own, and a unit word right after it)."""

    def __init__(self, doc, figs: list) -> None:
        self.doc, self.figs = doc, figs
        self.exclude = {t.i for t in figs}
        nums = [t for t in figs if t.like_num] or figs
        self.num = num = nums[-1]
        anchor = num
        for t in figs:
            if t.text in ("%", "£") or t.lower_ in ("cent", "percent", "pounds"):
                anchor = t
        for _ in range(4):  # climb to the figure's top token: "£ 1.5 m" -> "m", "75 %" -> "%"
            if anchor.head.i in self.exclude and anchor.head.i != anchor.i:
                anchor = anchor.head
        self.anchor = anchor
        # units words right after the figure ("12 months", "45 minutes") belong to it
        nxt = doc[figs[-1].i + 1] if figs[-1].i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in FIGURE_NOUNS and nxt.head.i in self.exclude | {nxt.i}:
            self.exclude.add(nxt.i)
        self.nxt = nxt

    def duration_anchor(self):
        """For a duration, its unit word stands for it: "45 minutes" -> "minutes"."""
        anchor = self.anchor
        for t in self.figs:
            if t.lower_ in FIGURE_NOUNS:
                anchor = t
        if anchor.lower_ not in FIGURE_NOUNS and self.nxt is not None and self.nxt.lower_ in FIGURE_NOUNS:
            anchor = self.nxt
        return anchor


def _label(doc, start: int, end: int, unit: str | None) -> str | None:
    """The measure, before tidying: a duration's and a payment's own readings first, then the readings of
    `_READINGS` in turn. Each reading returns the label, "" where it applies but finds none (the figure
    gets no label), or None where it does not apply (the next one is tried)."""
    if doc is None:
        return None
    figs = _figure_tokens(doc, start, end)
    if not figs:
        return None
    fig = _Figure(doc, figs)
    if unit in DURATION_UNITS:
        return _duration_label(fig.duration_anchor(), fig.exclude)
    if unit and unit.startswith("per "):
        return None  # "rate of X" / the heading, from the pattern pass, names rates consistently
    if unit == "GBP":
        item = _item_label(doc, figs[0], figs[-1])
        if item:
            return item
    for reading in _READINGS:
        got = reading(fig, unit)
        if got is not None:
            return got or None
    return None


def _counted_noun(fig: _Figure, unit) -> str | None:
    """1. The figure counts a noun: "21 Family Safeguarding Teams", "three new residential homes" (and what
    they do, where they are the subject: "3 teams were created ..."); "Item 5", "stage 2" are labels."""
    num, exclude = fig.num, fig.exclude
    if not (num.dep_ in ("nummod", "quantmod", "amod", "compound") and num.head.i not in exclude
            and num.head.pos_ in ("NOUN", "PROPN") and num.head.lower_ not in FIGURE_NOUNS and fig.anchor is num):
        return None
    head = num.head
    if head.i < num.i:
        return ""  # "Item 5", "stage 2": a label, not a count
    toks = noun_phrase(head, exclude)
    out = tidy(toks)
    verb = head.head
    if out and len(out.split()) <= 3 and head.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" \
            and verb.lower_ not in SAY_VERBS and verb.i > head.i and toks[-1].i == head.i:
        cl = verb_clause(verb, exclude, max_words=5)
        out = f"{out} {verb.text} {cl}".strip()
    return _with_proportion(fig.doc, toks, out) if out else ""


def _of_phrase(fig: _Figure, unit) -> str | None:
    """2. An "of" phrase on the figure: "75% of staff ...", "£2m of the budget", "1,204 contacts ..., of which
    38% progressed to a referral"; with what they said or did where the figure is the subject."""
    anchor, exclude = fig.anchor, fig.exclude
    of = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of" and c.i not in exclude]
    if not of:
        return None
    objs = [c for c in of[0].children if c.dep_ == "pobj"]
    if objs and objs[0].lower_ in ("which", "whom") and anchor.head.dep_ == "relcl":
        ante = anchor.head.head
        while ante.pos_ not in ("NOUN", "PROPN") and ante.head.i != ante.i:
            ante = ante.head
        if ante.dep_ == "pobj" and ante.head.head.pos_ == "NOUN":
            ante = ante.head.head
        pop = tidy(noun_phrase(ante, exclude, max_words=3, right=False))
        cl = verb_clause(anchor.head, exclude, max_words=6)
        if pop:
            return f"{pop} {anchor.head.text} {cl}".strip()
    if not objs:
        return None
    pop = tidy(noun_phrase(objs[0], exclude | {of[0].i}, max_words=8))
    if not pop:
        return None
    verb = anchor.head if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ in ("VERB", "AUX") else None
    if verb is not None and verb.lower_ in SAY_VERBS:
        cl = verb_clause(verb, exclude)
        if cl:
            return f"{pop} {SAY_VERBS[verb.lower_]} {_strip_that(cl)}"
    if verb is not None and verb.pos_ == "VERB" and not any(t.dep_ in ("relcl", "acl") for t in objs[0].rights):
        cl = verb_clause(verb, exclude, max_words=6)
        return f"{pop} {verb.text} {cl}".strip() if cl else f"{pop} {verb.text}"
    return pop


def _fraction_in_apposition(fig: _Figure, unit) -> str | None:
    """3. A share in words with the figure beside it: "three quarters (77%) of survey respondents were using X"."""
    anchor, exclude = fig.anchor, fig.exclude
    if not (anchor.dep_ == "appos" and anchor.head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")
            and anchor.head.lower_ in FRACTIONS):
        return None
    head = anchor.head
    of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
    objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
    pop = tidy(noun_phrase(objs[0], exclude, max_words=6)) if objs else _population(fig.doc, anchor)
    verb = head.head if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "VERB" else None
    if verb is not None:
        cl = verb_clause(verb, exclude, max_words=6)
        word = SAY_VERBS.get(verb.lower_, verb.text)
        return f"{pop} {word} {_strip_that(cl)}".strip() if pop else ""
    return pop or ""


def _noun_in_apposition(fig: _Figure, unit) -> str | None:
    """3. The noun the figure stands beside: "practitioners (98%) said ...", "survey respondents (88%) viewing it ..."."""
    anchor, exclude = fig.anchor, fig.exclude
    if not (anchor.dep_ == "appos" and anchor.head.pos_ in ("NOUN", "PROPN")):
        return None
    head = anchor.head
    pop = tidy(noun_phrase(head, exclude, max_words=6, right=False))
    verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
    tail = [c for c in head.rights if c.dep_ in ("acl", "relcl") and c.i not in exclude]
    if tail:
        cl = tidy([t for t in tail[0].subtree if t.i not in exclude][:MAX_WORDS])
        return f"{pop} {cl}".strip() if pop else ""
    if verb is not None and verb.lower_ in SAY_VERBS:
        cl = verb_clause(verb, exclude)
        if cl:
            return f"{pop} {SAY_VERBS[verb.lower_]} {_strip_that(cl)}"
    return pop or None


def _of_which(fig: _Figure, unit) -> str | None:
    """The figure is the subject of an "of which" clause: "X, of which 38% progressed to a referral"."""
    anchor, exclude = fig.anchor, fig.exclude
    if not (anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ == "VERB" and anchor.head.dep_ == "relcl"):
        return None
    verb = anchor.head
    of = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of"
          and any(x.lower_ in ("which", "whom") for x in c.children)]
    if not of:
        return None
    ante = verb.head
    if ante.pos_ not in ("NOUN", "PROPN") or (ante.dep_ == "pobj" and ante.head.head.pos_ == "NOUN"):
        ante = ante.head.head if ante.dep_ == "pobj" else ante
    pop = tidy(noun_phrase(ante, exclude, max_words=3, right=False)) if ante.pos_ in ("NOUN", "PROPN") else ""
    cl = verb_clause(verb, exclude | {of[0].i}, max_words=6)
    return f"{pop} {verb.text} {cl}".strip() if pop else None


def _share_of_whole(fig: _Figure, unit) -> str | None:
    """A percentage that is a share of a whole: "agency staff make up 22% of the workforce", "X accounts for
    40% of spend" -> "agency staff as a share of the workforce"."""
    anchor, exclude = fig.anchor, fig.exclude
    if not (anchor.dep_ in ("dobj", "pobj", "attr") and unit in ("%",)):
        return None
    verb = anchor.head if anchor.dep_ != "pobj" else anchor.head.head
    if verb.lower_ not in SHARE_OF_VERBS:
        return None
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    of = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"]
    objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
    if subj and subj[0].pos_ in ("NOUN", "PROPN"):
        who = tidy(noun_phrase(subj[0], exclude, max_words=5))
        whole = tidy(noun_phrase(objs[0], exclude, max_words=6)) if objs else ""
        if who:
            return f"{who} as a share of {whole}" if whole else who
    return None


def _who_said(fig: _Figure, unit) -> str | None:
    """4. The figure is the subject of a verb of saying: "93% said they are satisfied ..." -> "saying they are
    satisfied ...", with who was asked where the sentence says."""
    anchor = fig.anchor
    if not (anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.lower_ in SAY_VERBS):
        return None
    verb = anchor.head
    cl = verb_clause(verb, fig.exclude)
    if not cl:
        return None
    pop = _population(fig.doc, anchor)
    return f"{pop + ' ' if pop else ''}{SAY_VERBS[verb.lower_]} {_strip_that(cl)}".strip()


def _qualified_noun(fig: _Figure, unit) -> str | None:
    """A percentage that qualifies a noun: "under 15% agency (as a proportion of qualified social workers)"."""
    anchor = fig.anchor
    if not (anchor.dep_ in ("compound", "amod", "nmod") and anchor.head.pos_ == "NOUN" and anchor.head.i > anchor.i):
        return None
    toks = noun_phrase(anchor.head, fig.exclude, max_words=6)
    out = tidy(toks)
    return _with_proportion(fig.doc, toks, out) if out else ""


def _completed_noun(fig: _Figure, unit) -> str | None:
    """5. The noun the figure completes: "caseloads of 15", "an overspend of £2.3m", "a higher rate of 59.5"
    (whose, where they have it: "workers who have caseloads of 15"); a generic one ("the number of ...")
    gives way to the subject of the verb governing it."""
    anchor, exclude = fig.anchor, fig.exclude
    if not (anchor.dep_ == "pobj" and anchor.head.lower_ in ("of", "at") and anchor.head.head.pos_ in ("NOUN", "PROPN")):
        return None
    noun = anchor.head.head
    if noun.lower_ not in GENERIC_HEADS:
        out = tidy(noun_phrase(noun, exclude | {anchor.head.i}, right=False))
        verb = noun.head
        if out and noun.dep_ == "dobj" and verb.lower_ in ("have", "has", "had", "hold", "holds"):
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            owner = subj[0] if subj else None
            if owner is not None and owner.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                owner = verb.head
            if owner is not None and owner.pos_ in ("NOUN", "PROPN"):
                whose = tidy(noun_phrase(owner, exclude | {verb.i}, max_words=7))
                if whose:
                    return f"{out} of {whose}"
        if out:
            return out
    subj, _verb = _governing_subject(noun)
    return _subject_np(subj, exclude) or ""


def _change_by(fig: _Figure, unit) -> str | None:
    """A change by the figure in the verb's object: "could increase staff costs by 10%", "reduced waiting times
    by 12 days" -> "increase in staff costs"."""
    anchor = fig.anchor
    if not (anchor.dep_ == "pobj" and anchor.head.lower_ == "by" and anchor.head.head.pos_ == "VERB"):
        return None
    verb = anchor.head.head
    obj = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    stem = verb.lower_
    change = "increase" if stem.startswith(("increas", "rais", "grow", "grew", "rise", "rose")) else \
        "reduction" if stem.startswith(("reduc", "cut", "decreas", "lower", "fell", "fall", "drop")) else "change"
    if obj and obj[0].pos_ in ("NOUN", "PROPN") and obj[0].lower_ not in GENERIC_HEADS:
        what = tidy(noun_phrase(obj[0], fig.exclude, max_words=6))
        if what:
            return f"{change} in {what}"
    return None


def _verb_complement(fig: _Figure, unit) -> str | None:
    """6. The figure completes a verb: "X has reduced from 285 to 251", "X stood at 12%", "X was £2m",
    "£764,000 was awarded" (what money is for first): the subject of the governing verb."""
    anchor, exclude = fig.anchor, fig.exclude
    if anchor.dep_ not in ("pobj", "attr", "dobj", "npadvmod", "nsubjpass", "nsubj", "appos", "oprd", "conj", "ROOT",
                           "acomp"):
        return None
    if unit == "GBP":
        got = _money_label(anchor, exclude)
        if got:
            return got
    subj, verb = _governing_subject(anchor)
    s = _subject_np(subj, exclude)
    if not s and unit == "GBP" and subj is not None and subj.lower_ in MONEY_HEADS and verb is not None \
            and verb.lemma_ == "be":
        return subj.lower_  # "The cost is approximately £80": a bare "cost" says what the money is
    if s and not (subj.dep_ != "csubj" and all(t.pos_ == "PROPN" or t.dep_ == "case" for t in noun_phrase(subj, exclude))):
        return _strip_quantity(s) if unit in ("%", "percentage points") else s
    return None


# the readings of a figure's measure, in the order they are tried
_READINGS = (_counted_noun, _of_phrase, _fraction_in_apposition, _noun_in_apposition, _of_which, _share_of_whole,
             _who_said, _qualified_noun, _completed_noun, _change_by, _verb_complement)


MONEY_HEADS = set(_WORDS["money_heads"])


def _strip_quantity(label: str) -> str:
    """"Somerset's percentage of children ..." -> "children ..." (the unit says it is a percentage)."""
    return re.sub(r"(?i)^(?:[\w’'-]+(?:\s+[\w’'-]+)?['’]s\s+)?(?:percentage|proportion|share|per\s*cent)\s+of\s+", "", label)


def _strip_that(cl: str) -> str:
    return re.sub(r"(?i)^that\s+", "", cl).strip()


def _with_proportion(doc, toks, out: str) -> str:
    """Keep a following "(as a proportion of X)": it says what the figure is out of."""
    end = toks[-1].idx + len(toks[-1].text)
    m = re.match(r"\s*\(?\s*(as\s+an?\s+(?:proportion|percentage|share)\s+of\s+[^,;()]+?)(?=\s+across\b|[,;()]|$)", doc.text[end:])
    return f"{out} {m.group(1).strip()}" if m else out


def _population(doc, anchor) -> str:
    """Who a bare "93%" counts: an earlier "practitioners (98%)" or "X% of practitioners" in the sentence."""
    for t in doc:
        if t.i >= anchor.i:
            break
        if t.text == "%" and t.dep_ == "appos" and t.head.pos_ == "NOUN" and t.head.lower_ not in FRACTIONS:
            return tidy(noun_phrase(t.head, {t.i}, max_words=4, right=False))
        if t.text == "%" and t.dep_ == "appos" and t.head.lower_ in FRACTIONS:
            of = [c for c in t.head.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if objs:
                return tidy(noun_phrase(objs[0], {t.i}, max_words=4, right=False))
        if t.text == "%" :
            of = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if objs:
                return tidy(noun_phrase(objs[0], {t.i}, max_words=4, right=False))
    for t in doc:
        if t.lower_ == "among" and t.i < anchor.i:
            objs = [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                return tidy(noun_phrase(objs[0], set(), max_words=4, right=False))
    return ""


def _item_label(doc, first, last) -> str | None:
    """The item of a list of payments or costs that the amount closes: "Wicksteed Leisure Ltd - Play
    Equipment Inspection £54.00 G & AM Johnston - Grass Cutting £864.00": the words between the
    previous amount (or the start of the sentence, or a colon or semicolon) and this one, where they
    hold no verb (a gerund aside), start capitalised and end in a noun."""
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and after.is_alpha and after.is_lower:
        return None  # "£9.2 million overspend": the amount qualifies what follows; not the end of an item
    toks = []
    i = first.i - 1
    while i >= 0:
        t = doc[i]
        if t.text in (";", ":", "(", ")", ".", ",", "£", "$", "€") or t.like_num:
            break
        toks.append(t)
        if t.is_sent_start:
            break
        i -= 1
    toks.reverse()
    while toks and toks[0].text in ("-", "–", "—", "&", "/"):
        toks = toks[1:]
    while toks and toks[-1].text in ("-", "–", "—", "&", "/"):
        toks = toks[:-1]
    words = [t for t in toks if t.is_alpha]
    if not toks or not 1 <= len(words) <= 10 or not words[0].text[:1].isupper() or toks[0].pos_ == "DET":
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in toks):
        return None
    if toks[-1].pos_ not in ("NOUN", "PROPN", "VERB") and toks[-1].tag_ not in ("NN", "NNS", "NNP", "NNPS", "VBG"):
        return None
    return doc[toks[0].i:toks[-1].i + 1].text


FUNDING_VERBS = set(_WORDS["funding_verbs"])


PAY_VERBS = set(_WORDS["pay_verbs"])


def _money_label(anchor, exclude) -> str | None:
    """"£764,000 was awarded for X", "The DfE awarded Blackpool £764,610 to develop Y": what the money is for,
    and who gives it where the sentence says."""
    verb = anchor.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    purpose = []
    for c in verb.children:
        if c.i in exclude or c.i <= anchor.i or c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "punct", "cc", "conj",
                                                           "mark", "dative", "agent", "npadvmod", "advmod"):
            continue
        if c.dep_ in ("prep", "advcl", "xcomp", "dobj") and not (c.dep_ == "prep" and c.lower_ in ("in", "during", "over", "from", "by", "at")
                                                                   and not any(t.lower_ == "order" for t in c.subtree)):
            sub = []
            for t in c.subtree:
                if t.text in (",", ";", ":", "–", "(", ")") or (t.dep_ == "relcl" and sub):
                    break
                sub.append(t)
            purpose = sub[:9]
            break
    v = verb.lower_
    who = ""
    if v in PAY_VERBS:  # "resolved to pay Wicksteed £2,100 for artificial grass turf"
        to = [c for c in verb.children if c.dep_ in ("dative", "dobj", "iobj") and c.i not in exclude
              and c.i < anchor.i and c.pos_ in ("PROPN", "NOUN")]
        own = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ in ("for", "to", "towards")]
        if own:  # "£2,100 for artificial grass turf"
            purpose = [t for t in own[0].subtree][:9]
        p = phrase_text(purpose).replace("“", "").replace("”", "")
        name = "donation" if v.startswith("donat") else "payment"
        who = f"to {tidy(noun_phrase(to[0], exclude, max_words=4, right=False))}" if to else ""
        return " ".join(x for x in (name, who, p) if x)
    if v in FUNDING_VERBS and v not in ("received", "receive"):
        agent = [c for c in verb.children if c.dep_ == "agent"]
        subj = [c for c in verb.children if c.dep_ == "nsubj" and c.i not in exclude]
        giver = ([c for c in agent[0].children if c.dep_ == "pobj"] if agent else []) or subj
        if giver and giver[0].pos_ == "PROPN":
            who = tidy(noun_phrase(giver[0], exclude, max_words=3, right=False))
    p = phrase_text(purpose).replace("“", "").replace("”", "")
    p = re.sub(r"(?i)^in\s+order\s+", "", p)
    p = re.sub(r"(?i)^with\s+a\s+view\s+to\s+", "for ", p)
    if not p and not who:
        return None
    noun = "funding" if v in FUNDING_VERBS else "spend" if v in ("spent", "spend", "spending") else \
        "savings" if v.startswith("sav") else None
    if noun is None:
        return None
    if noun == "spend":
        return f"spend {p}".strip()
    name = f"{who} {noun}" if who else noun
    return f"{name} {verb.text} {p}".strip()


def _duration_label(anchor, exclude) -> str | None:
    """"allow 45 minutes for this item" -> "time allowed for this item"."""
    h = anchor
    if h.dep_ == "pobj" and h.head.dep_ == "prep":
        h = h.head
    verb = h.head
    if anchor.dep_ == "npadvmod":
        # "most children stay two to three days before moving on": who takes the time, doing what
        v = anchor.head
        for _ in range(3):
            if v.pos_ == "VERB":
                break
            v = v.head
        subj = [c for c in v.children if c.dep_ == "nsubj"] if v.pos_ == "VERB" else []
        if subj and subj[0].pos_ in ("NOUN", "PROPN"):
            who = tidy(noun_phrase(subj[0], exclude, max_words=4, right=False))
            rest = [t for c in v.rights if c.dep_ == "prep" and not any(x.i in exclude for x in c.subtree) for t in c.subtree][:7]
            return f"time {who} {v.text} {phrase_text(rest)}".strip() if who else None
    if verb.pos_ == "AUX" or verb.lower_ in ("averaged", "average", "averages", "remained", "remains", "stood", "took", "takes"):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].pos_ in ("NOUN", "PROPN") and subj[0].lower_ not in GENERIC_HEADS - {"average"}:
            return tidy(noun_phrase(subj[0], exclude)) or None
        return None
    if verb.pos_ not in ("VERB",):
        return None
    rest = []
    for c in anchor.rights:  # "45 minutes for this agenda item"
        if c.dep_ == "prep":
            rest.extend(t for t in c.subtree if t.text not in (",", ";", "(", ")"))
            break
    for c in ([] if rest else verb.rights):
        if c.i in exclude or c.i == h.i or any(t.i in exclude for t in c.subtree):
            continue
        if c.dep_ in ("prep", "dobj"):
            sub = []
            for t in c.subtree:
                if t.text in (",", ";", ":", "–", "(", ")"):
                    break
                sub.append(t)
            rest.extend(sub)
            if len(rest) >= 6:
                break
        elif c.dep_ in ("punct", "cc", "conj"):
            break
    vt = verb.text.lower()
    if verb.tag_ not in ("VBN", "VBD", "VBG"):
        vt = IRREGULAR.get(vt) or (vt + ("d" if vt.endswith("e") else "ed") if not vt.endswith("ed") else vt)
    return f"time {vt} {phrase_text(rest[:8])}".strip()
