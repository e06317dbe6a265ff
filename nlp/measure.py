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

import re

FIGURE_NOUNS = {"%", "percent", "cent", "percentage", "per", "pounds", "pound", "£", "m", "k", "bn", "million", "billion",
                "thousand", "hundred", "days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "hour",
                "minutes", "minute", "mins", "hrs", "points", "point", "pp"}
GENERIC_HEADS = {"rate", "rates", "figure", "figures", "level", "levels", "total", "amount", "sum", "number", "numbers",
                 "percentage", "proportion", "value", "count", "score", "share", "cost", "average", "it", "this", "that",
                 "which", "there", "these", "those", "they", "we"}
SAY_VERBS = {"said": "saying", "say": "saying", "says": "saying", "agreed": "agreeing", "agree": "agreeing",
             "felt": "feeling", "feel": "feeling", "reported": "reporting", "report": "reporting",
             "stated": "stating", "thought": "thinking", "think": "thinking", "believed": "believing",
             "believe": "believing", "indicated": "indicating", "responded": "responding", "rated": "rating",
             "considered": "considering", "told": "telling", "disagreed": "disagreeing", "found": "finding"}
NP_LEFT = {"compound", "amod", "nmod", "npadvmod", "poss", "advmod", "nummod_", "case", "quantmod_"}
NP_RIGHT = {"prep", "acl", "relcl", "compound", "amod", "case"}
LEAD_DROP = {"the", "a", "an", "our", "their", "its", "his", "her", "this", "these", "those", "that", "all", "some",
             "any", "each", "every", "about", "around", "approximately", "approx", "just", "only", "over", "under",
             "almost", "nearly", "more", "than", "less", "fewer", "further", "additional", "another", "other", "of",
             "whom", "which", "who", "so", "and", "or", "also", "both", "respectively", "overall", "total", "in", "at",
             "by", "there", "per", "most", "many", "several", "majority", "currently", "now", "still", "already", "with"}
TAIL_DROP = {"the", "a", "an", "of", "and", "or", "to", "in", "for", "with", "by", "on", "at", "that", "which", "who",
             "whom", "from", "as", "their", "our", "its", "'s", "’s", "-", "–", "/", "(", "is", "was", "are", "were",
             "be", "been", "has", "have", "had", "across", "per", "than", "within", "while", "whilst", "but"}
PLACE_PP_RE = re.compile(r"(?i)\s+(?:in|across|for|within)\s+(?:the\s+)?(?:country|county|borough|city|region|area|"
                         r"authority|district|nation|uk|england|wales|scotland|north\s+west|south\s+west|north\s+east|"
                         r"south\s+east|midlands)\b.*$")
MAX_WORDS = 10
FRACTIONS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "majority", "minority",
             "most", "all", "many", "few", "proportion"}
IRREGULAR = {"take": "taken", "spend": "spent", "give": "given", "make": "made", "keep": "kept", "hold": "held",
             "wait": "waited", "set": "set", "run": "run", "pay": "paid", "lose": "lost", "put": "put"}


def _figure_tokens(doc, start: int, end: int):
    return [t for t in doc if t.idx < end and t.idx + len(t.text) > start]


def _np(head, exclude: set, max_words: int = MAX_WORDS, right: bool = True, min_right: int = 0) -> list:
    """The noun phrase headed by `head`: its modifiers and, up to `max_words`, its right-hand phrases
    ("of ...", "per ...", "who ...", "covered by ..."); never the figure itself or a determiner."""
    keep = {head.i}
    for c in head.lefts:
        if c.i in exclude or c.dep_ in ("det", "predet", "punct", "nummod", "quantmod", "cc", "conj", "appos", "prep"):
            continue
        if c.dep_ in NP_LEFT or c.dep_ == "poss":
            sub = [t.i for t in c.subtree]
            if any(i in exclude for i in sub):
                continue
            if c.dep_ == "poss" and c.pos_ == "PRON":
                continue
            keep.update(sub)
    if right:
        for c in head.rights:
            if c.dep_ in ("punct", "cc", "conj", "appos", "det", "nummod") or c.i in exclude:
                break
            if c.dep_ not in NP_RIGHT:
                break
            sub = [t for t in c.subtree if t.i not in exclude]
            # a bracket or a clause break inside the phrase ends it there
            cut = []
            for t in sub:
                if t.text in ("(", ")", ";", ":", "–", "—", ",") or (t.i in exclude) or (t.dep_ == "cc" and t.head.i != c.i):
                    break
                cut.append(t)
            if len(keep) + len(cut) > max_words:
                # take the preposition and its object's own noun phrase, not its further phrases
                if c.dep_ == "prep":
                    objs = [x for x in c.children if x.dep_ == "pobj"]
                    if objs:
                        inner = _np(objs[0], exclude, max_words=3, right=False)
                        if len(keep) + 1 + len(inner) <= max_words + 2:
                            keep.add(c.i)
                            keep.update(t.i for t in inner)
                break
            keep.update(t.i for t in cut)
            if len(cut) < len(sub):
                break
    toks = sorted((head.doc[i] for i in keep), key=lambda t: t.i)
    # keep one contiguous run around the head
    run = [head]
    idx = {t.i for t in toks}
    i = head.i - 1
    while i in idx:
        run.insert(0, head.doc[i])
        i -= 1
    i = head.i + 1
    while i in idx:
        run.append(head.doc[i])
        i += 1
    return run


def _text(toks) -> str:
    if not toks:
        return ""
    s = "".join(t.text_with_ws for t in toks[:-1]) + toks[-1].text
    return s


def _tidy(toks) -> str:
    toks = list(toks)
    while toks and (toks[0].lower_ in LEAD_DROP or toks[0].is_punct or toks[0].like_num or toks[0].text in ("£", "%")):
        toks.pop(0)
    while toks and (toks[-1].lower_ in TAIL_DROP or toks[-1].is_punct):
        toks.pop()
    if not toks:
        return ""
    s = _text(toks)
    s = re.sub(r"\*+|_{2,}", "", s)
    s = re.sub(r"(?i)\s+(?:which|that|who|where)(?:\s+\w+)?$", "", s)  # "sessions conducted ... which aligned"
    s = re.sub(r"\s+", " ", s).strip(" ,;:–-")
    # the first word is capitalised only because it began the sentence
    first = toks[0]
    if first.is_sent_start and first.pos_ not in ("PROPN",) and not first.text.isupper() and first.text[:1].isupper():
        s = s[:1].lower() + s[1:]
    return s


def _is_figure_like(t) -> bool:
    return t.like_num or t.lower_ in FIGURE_NOUNS or t.text in ("£", "%")


def _clause(verb, exclude: set, max_words: int = 12) -> str:
    """A verb's complement, shortened: "said that communication ... was effective" -> "communication ... was effective"."""
    parts = []
    for c in verb.rights:
        if c.dep_ in ("punct", "cc", "conj", "advcl") or c.i in exclude:
            break
        if c.dep_ in ("ccomp", "xcomp", "dobj", "acomp", "prep", "attr", "oprd", "advmod", "dative", "npadvmod", "prt"):
            sub = []
            for t in c.subtree:
                if t.text in (",", ";", ":", "–", "—", "(", ")") or (t.dep_ == "advcl" and t.head == c):
                    break
                if t.dep_ in ("mark", "cc") and t.head in (c, verb):
                    continue
                sub.append(t)
            parts.extend(sub)
            if len(parts) >= max_words:
                break
    parts = [t for t in parts if t.i not in exclude][:max_words]
    if not parts:
        return ""
    return _text(parts)


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
        return _strip_quantity(_tidy(toks[:22]))
    if subj is None or subj.pos_ == "PRON" or subj.lower_ in GENERIC_HEADS - {"rate", "number", "average", "total",
                                                                               "percentage", "proportion", "cost"}:
        return ""
    toks = _np(subj, exclude, max_words=16 if subj.lower_ in GENERIC_HEADS else MAX_WORDS)
    if len(toks) == 1 and subj.lower_ in GENERIC_HEADS:
        return ""
    return _tidy(toks)


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


def _label(doc, start: int, end: int, unit: str | None) -> str | None:
    if doc is None:
        return None
    figs = _figure_tokens(doc, start, end)
    if not figs:
        return None
    exclude = {t.i for t in figs}
    nums = [t for t in figs if t.like_num] or figs
    num = nums[-1]
    # the token that stands for the figure in the parse: "%" in "75 %", "£" in "£ 2m", else the number
    anchor = num
    for t in figs:
        if t.text in ("%", "£") or t.lower_ in ("cent", "percent", "pounds"):
            anchor = t
    for _ in range(4):  # climb to the figure's top token: "£ 1.5 m" -> "m", "75 %" -> "%"
        if anchor.head.i in exclude and anchor.head.i != anchor.i:
            anchor = anchor.head
    # units words right after the figure ("12 months", "45 minutes") belong to it
    nxt = doc[figs[-1].i + 1] if figs[-1].i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in FIGURE_NOUNS and nxt.head.i in exclude | {nxt.i}:
        exclude.add(nxt.i)
    if unit in ("days", "weeks", "months", "years", "hours", "minutes"):
        for t in figs:
            if t.lower_ in FIGURE_NOUNS:
                anchor = t
        if anchor.lower_ not in FIGURE_NOUNS and nxt is not None and nxt.lower_ in FIGURE_NOUNS:
            anchor = nxt
        return _duration_label(anchor, exclude)
    is_rate = bool(unit and unit.startswith("per "))
    if is_rate:
        return None  # "rate of X" / the heading, from the pattern pass, names rates consistently
    if unit == "GBP":
        item = _item_label(doc, figs[0], figs[-1])
        if item:
            return item
    out = ""

    # 1. the figure counts a noun: "21 Family Safeguarding Teams", "three new residential homes"
    if num.dep_ in ("nummod", "quantmod", "amod", "compound") and num.head.i not in exclude and num.head.pos_ in ("NOUN", "PROPN") \
            and num.head.lower_ not in FIGURE_NOUNS and anchor is num and not is_rate:
        head = num.head
        if head.i < num.i:
            return None  # "Item 5", "stage 2": a label, not a count
        toks = _np(head, exclude)
        out = _tidy(toks)
        verb = head.head
        if out and len(out.split()) <= 3 and head.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" \
                and verb.lower_ not in SAY_VERBS and verb.i > head.i and toks[-1].i == head.i:
            cl = _clause(verb, exclude, max_words=5)
            out = f"{out} {verb.text} {cl}".strip()
        return (_with_proportion(doc, toks, out) if out else None)

    # 2. "75% of staff ...", "£2m of the budget", "a rate of 59.5": an "of" phrase on the figure
    of = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of" and c.i not in exclude]
    if of and not is_rate:
        objs = [c for c in of[0].children if c.dep_ == "pobj"]
        if objs and objs[0].lower_ in ("which", "whom") and anchor.head.dep_ == "relcl":
            # "1,204 contacts ..., of which 38% progressed to a referral"
            ante = anchor.head.head
            while ante.pos_ not in ("NOUN", "PROPN") and ante.head.i != ante.i:
                ante = ante.head
            if ante.dep_ == "pobj" and ante.head.head.pos_ == "NOUN":
                ante = ante.head.head
            pop = _tidy(_np(ante, exclude, max_words=3, right=False))
            cl = _clause(anchor.head, exclude, max_words=6)
            if pop:
                return f"{pop} {anchor.head.text} {cl}".strip()
        if objs:
            exclude_of = exclude | {of[0].i}
            pop = _tidy(_np(objs[0], exclude_of, max_words=8))
            if pop:
                verb = anchor.head if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ in ("VERB", "AUX") else None
                if verb is not None and verb.lower_ in SAY_VERBS:
                    cl = _clause(verb, exclude)
                    if cl:
                        return f"{pop} {SAY_VERBS[verb.lower_]} {_strip_that(cl)}"
                if verb is not None and verb.pos_ == "VERB" and not any(t.dep_ in ("relcl", "acl") for t in objs[0].rights):
                    cl = _clause(verb, exclude, max_words=6)
                    return f"{pop} {verb.text} {cl}".strip() if cl else f"{pop} {verb.text}"
                return pop

    # 3. "practitioners (98%) said ...", "survey respondents (88%) viewing it ...": the noun in apposition
    if anchor.dep_ == "appos" and anchor.head.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and anchor.head.lower_ in FRACTIONS:
        # "three quarters (77%) of survey respondents were using X"
        head = anchor.head
        of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
        objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
        pop = _tidy(_np(objs[0], exclude, max_words=6)) if objs else _population(doc, anchor)
        verb = head.head if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "VERB" else None
        if verb is not None:
            cl = _clause(verb, exclude, max_words=6)
            word = SAY_VERBS.get(verb.lower_, verb.text)
            return f"{pop} {word} {_strip_that(cl)}".strip() if pop else None
        return pop or None
    if anchor.dep_ == "appos" and anchor.head.pos_ in ("NOUN", "PROPN") and not is_rate:
        head = anchor.head
        pop = _tidy(_np(head, exclude, max_words=6, right=False))
        verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
        tail = [c for c in head.rights if c.dep_ in ("acl", "relcl") and c.i not in exclude]
        if tail:
            cl = _tidy([t for t in tail[0].subtree if t.i not in exclude][:MAX_WORDS])
            return f"{pop} {cl}".strip() if pop else None
        if verb is not None and verb.lower_ in SAY_VERBS:
            cl = _clause(verb, exclude)
            if cl:
                return f"{pop} {SAY_VERBS[verb.lower_]} {_strip_that(cl)}"
        if pop:
            return pop

    # "X, of which 38% progressed to a referral"
    if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ == "VERB" and anchor.head.dep_ == "relcl" and not is_rate:
        verb = anchor.head
        of = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of"
              and any(x.lower_ in ("which", "whom") for x in c.children)]
        if of:
            ante = verb.head
            if ante.pos_ not in ("NOUN", "PROPN") or (ante.dep_ == "pobj" and ante.head.head.pos_ == "NOUN"):
                ante = ante.head.head if ante.dep_ == "pobj" else ante
            pop = _tidy(_np(ante, exclude, max_words=3, right=False)) if ante.pos_ in ("NOUN", "PROPN") else ""
            cl = _clause(verb, exclude | {of[0].i}, max_words=6)
            if pop:
                return f"{pop} {verb.text} {cl}".strip()

    # "agency staff make up 22% of the workforce", "X accounts for 40% of spend"
    if anchor.dep_ in ("dobj", "pobj", "attr") and unit in ("%",) and not is_rate:
        verb = anchor.head if anchor.dep_ != "pobj" else anchor.head.head
        if verb.lower_ in ("make", "makes", "made", "account", "accounts", "accounted", "represent", "represents",
                           "represented", "comprise", "comprises", "form", "forms", "constitute", "constitutes"):
            subj = [c for c in verb.children if c.dep_ == "nsubj"]
            of = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if subj and subj[0].pos_ in ("NOUN", "PROPN"):
                who = _tidy(_np(subj[0], exclude, max_words=5))
                whole = _tidy(_np(objs[0], exclude, max_words=6)) if objs else ""
                if who:
                    return f"{who} as a share of {whole}" if whole else who

    # 4. "93% said they are satisfied ...": the figure is the subject of a verb of saying
    if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.lower_ in SAY_VERBS and not is_rate:
        verb = anchor.head
        cl = _clause(verb, exclude)
        if cl:
            pop = _population(doc, anchor)
            return f"{pop + ' ' if pop else ''}{SAY_VERBS[verb.lower_]} {_strip_that(cl)}".strip()

    # a percentage that qualifies a noun: "under 15% agency (as a proportion of qualified social workers)"
    if anchor.dep_ in ("compound", "amod", "nmod") and anchor.head.pos_ == "NOUN" and anchor.head.i > anchor.i:
        toks = _np(anchor.head, exclude, max_words=6)
        out = _tidy(toks)
        return _with_proportion(doc, toks, out) if out else None

    # 5. "caseloads of 15", "an overspend of £2.3m", "a higher rate of 59.5": the noun the figure completes
    if anchor.dep_ == "pobj" and anchor.head.lower_ in ("of", "at") and anchor.head.head.pos_ in ("NOUN", "PROPN"):
        noun = anchor.head.head
        if noun.lower_ not in GENERIC_HEADS:
            out = _tidy(_np(noun, exclude | {anchor.head.i}, right=False))
            verb = noun.head
            if out and noun.dep_ == "dobj" and verb.lower_ in ("have", "has", "had", "hold", "holds"):
                subj = [c for c in verb.children if c.dep_ == "nsubj"]
                owner = subj[0] if subj else None
                if owner is not None and owner.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                    owner = verb.head
                if owner is not None and owner.pos_ in ("NOUN", "PROPN"):
                    whose = _tidy(_np(owner, exclude | {verb.i}, max_words=7))
                    if whose:
                        return f"{out} of {whose}"
            if out:
                return out
        subj, _verb = _governing_subject(noun)
        s = _subject_np(subj, exclude)
        if s:
            return _rate_label(s) if is_rate else s
        return None

    # "could increase staff costs by 10%", "reduced waiting times by 12 days": the change in the object
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "by" and anchor.head.head.pos_ == "VERB":
        verb = anchor.head.head
        obj = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        stem = verb.lower_
        change = "increase" if stem.startswith(("increas", "rais", "grow", "grew", "rise", "rose")) else \
            "reduction" if stem.startswith(("reduc", "cut", "decreas", "lower", "fell", "fall", "drop")) else "change"
        if obj and obj[0].pos_ in ("NOUN", "PROPN") and obj[0].lower_ not in GENERIC_HEADS:
            what = _tidy(_np(obj[0], exclude, max_words=6))
            if what:
                return f"{change} in {what}"

    # 6. the figure completes a verb: "X has reduced from 285 to 251", "X stood at 12%", "X was £2m", "£764,000 was awarded"
    if anchor.dep_ in ("pobj", "attr", "dobj", "npadvmod", "nsubjpass", "nsubj", "appos", "oprd", "conj", "ROOT", "acomp"):
        if unit == "GBP":
            got = _money_label(anchor, exclude)
            if got:
                return got
        subj, verb = _governing_subject(anchor)
        s = _subject_np(subj, exclude)
        if not s and unit == "GBP" and subj is not None and subj.lower_ in MONEY_HEADS and verb is not None \
                and verb.lemma_ == "be":
            return subj.lower_  # "The cost is approximately £80": a bare "cost" says what the money is
        if s and not (subj.dep_ != "csubj" and all(t.pos_ == "PROPN" or t.dep_ == "case" for t in _np(subj, exclude))):
            return _strip_quantity(s) if unit in ("%", "percentage points") else s
    return None


MONEY_HEADS = {"cost", "costs", "price", "budget", "spend", "spending", "fee", "fees", "value", "total", "charge", "quote"}


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
            return _tidy(_np(t.head, {t.i}, max_words=4, right=False))
        if t.text == "%" and t.dep_ == "appos" and t.head.lower_ in FRACTIONS:
            of = [c for c in t.head.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if objs:
                return _tidy(_np(objs[0], {t.i}, max_words=4, right=False))
        if t.text == "%" :
            of = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"]
            objs = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
            if objs:
                return _tidy(_np(objs[0], {t.i}, max_words=4, right=False))
    for t in doc:
        if t.lower_ == "among" and t.i < anchor.i:
            objs = [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                return _tidy(_np(objs[0], set(), max_words=4, right=False))
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


FUNDING_VERBS = {"awarded", "award", "granted", "allocated", "allocate", "secured", "provided", "invested", "given",
                 "approved", "committed", "received", "receive", "bid", "won", "offered"}


PAY_VERBS = {"pay", "pays", "paid", "paying", "donate", "donates", "donated", "donating"}


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
        p = _text(purpose).replace("“", "").replace("”", "")
        name = "donation" if v.startswith("donat") else "payment"
        who = f"to {_tidy(_np(to[0], exclude, max_words=4, right=False))}" if to else ""
        return " ".join(x for x in (name, who, p) if x)
    if v in FUNDING_VERBS and v not in ("received", "receive"):
        agent = [c for c in verb.children if c.dep_ == "agent"]
        subj = [c for c in verb.children if c.dep_ == "nsubj" and c.i not in exclude]
        giver = ([c for c in agent[0].children if c.dep_ == "pobj"] if agent else []) or subj
        if giver and giver[0].pos_ == "PROPN":
            who = _tidy(_np(giver[0], exclude, max_words=3, right=False))
    p = _text(purpose).replace("“", "").replace("”", "")
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
            who = _tidy(_np(subj[0], exclude, max_words=4, right=False))
            rest = [t for c in v.rights if c.dep_ == "prep" and not any(x.i in exclude for x in c.subtree) for t in c.subtree][:7]
            return f"time {who} {v.text} {_text(rest)}".strip() if who else None
    if verb.pos_ == "AUX" or verb.lower_ in ("averaged", "average", "averages", "remained", "remains", "stood", "took", "takes"):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].pos_ in ("NOUN", "PROPN") and subj[0].lower_ not in GENERIC_HEADS - {"average"}:
            return _tidy(_np(subj[0], exclude)) or None
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
    return f"time {vt} {_text(rest[:8])}".strip()
