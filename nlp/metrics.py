"""Figures that measure something: counts, rates per N, percentages, money, durations, ratings.

Numbers are found by pattern (money, percentages, "per 10,000", durations, counts in digits or
words) and then screened for the genre's non-metrics: section and list numbers, dates and
years, phone numbers, postcodes, times, ordinals, "section 47", "24-00096" references and
"18-25" age bands, file sizes ("PDF 1 MB"), minute/item/paragraph references and ages ("At 18
individuals became eligible"). A range ("two to three days", "10-15%") gives its lower bound as
`value` and the upper as `value_high`. The rough measure here comes from the spaCy part-of-speech
tags around the figure, or from a table's row and column labels; `nlp.extract` then replaces it with
the noun phrase read from a dependency parse of the sentence (nlp.measure) where that gives one.
"""
from __future__ import annotations

import re

from nlp.dates import NUMBER_WORDS, find_dates
from nlp.money import find_money
from nlp.non_figures import NUM, excluded_spans, vote_tallies
from nlp.vocab import alternation

COUNT_WORDS = {k: v for k, v in NUMBER_WORDS.items() if k not in ("a", "an", "one")}
COUNT_WORDS.update({"hundred": 100, "dozen": 12})
PCT_RE = re.compile(rf"(?<![\d.,])(?P<v>{NUM})\s?(?P<u>%|per\s?cent\b|percent\b|percentage\s+points?\b|pp\b|ppts?\b)",
                    re.IGNORECASE)
PERN_RE = re.compile(rf"(?<![\d.,])(?P<v>{NUM})\s+(?:per|for\s+every|in\s+every)\s+(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\b"
                     r"(?:\s+(?:population|children|people|residents|pupils))?", re.IGNORECASE)
DIST_RE = re.compile(rf"(?<![\d.,])(?P<v>{NUM})\s?(?P<u>miles?|km|kilometres?|kilometers?)\b", re.IGNORECASE)
DUR_RE = re.compile(rf"(?<![\d.,])(?P<v>{NUM}|" + "|".join(sorted(COUNT_WORDS, key=len, reverse=True))
                    + r")\s+(?P<u>days?|weeks?|months?|years?|hours?|minutes?|mins?|hrs?)\b", re.IGNORECASE)
NUMBER_RE = re.compile(rf"(?<![\w.,£$/-])(?P<v>{NUM})(?:(?<=\.\d)(?=m\b|bn\b)|(?<=\.\d\d)(?=m\b|bn\b)|(?![\w/]|[.,]\d|-\d))",
                       re.IGNORECASE)  # "circa 1.9m resident population": a decimal with m/bn is millions/billions
WORD_NUM_RE = re.compile(r"\b(?P<v>" + "|".join(sorted(COUNT_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
PER_CONTEXT_RE = re.compile(r"(?i)\bper\s+(\d{1,3}(?:,\d{3})+|\d+)\b")
RATING_RE = re.compile(r"(?<![\w])['‘’\"“]?(?P<v>Requires [Ii]mprovement(?: to be [Gg]ood)?|Inadequate|Outstanding|Good)['’\"”]?(?![\w])")
RATING_CONTEXT_RE = re.compile(r"(?i)\b(?:ofsted|rated|rating|ratings|judged|judgements?|judgments?|graded|inspection|"
                               r"inspected|ilacs|cqc|overall\s+effectiveness|grade)\b")

LABEL_BEFORE_RE = re.compile(
    r"(?i)\b(?:section|sections|s\.|paragraphs?|paras?\.?|item|items|appendix|appendices|annex|page|pages|p\.|pp\.|no\.?|"
    r"ref\.?|reference|table|figure|fig\.?|chart|slide|version|v\.?|phase|stage|tier|level|key\s+stage|ward|route|"
    r"question|option|priority|recommendation|step|grade|band|wave|quarter|q|year|years|aged|age|ages|"
    r"minute|minutes|per|article|regulation|rule|clause|schedule|part|chapter|objective|outcome|standard|"
    r"room|floor|box|unit|cohort|group|area|zone|line|row|column|point|criterion|criteria|agenda|scope|tranche|lot|"
    r"division|category|type|class|pillar|strand|theme|workstream|measure|indicator|kpi|ref)\s*$")
WORD_LABEL_BEFORE_RE = re.compile(r"(?i)\b(?:year|key\s+stage|stage|phase|level|tier|wave|step|chapter|part|item|section)\s*$")
DUR_EXCLUDE_BEFORE_RE = re.compile(
    r"(?i)\b(?:within|in|over|after|last|next|past|every|since|during|the\s+first|the\s+last|than|previous|"
    r"recent|following|up\s+to|first|initial|aged|age|of\s+the\s+first)\s+(?:the\s+)?(?:last\s+|next\s+|past\s+|first\s+)?$")
DUR_EXCLUDE_AFTER_RE = re.compile(r"(?i)^\s*(?:ago|old|of\s+age|['’]s?\s+time|time|from\s+now|earlier|later|previously)\b")
FRACTION_AFTER_RE = re.compile(r"(?i)^[\s-]*(?:thirds?|quarters?|fifths?|halves|half|tenths?)\b")
BARE_CUE_BEFORE_RE = re.compile(
    r"(?i)\b(?:of|from|to|at|is|was|were|are|reached|compared\s+(?:with|to)|against|totalled|totaling|totalling|total|by|around|approximately|approx\.?|"
    r"about|over|under|nearly|almost|stood\s+at|increased\s+to|fell\s+to|rose\s+to|down\s+to|up\s+to)\s*$")
MEASURE_WORD_RE = re.compile(r"(?i)\b(?:number|numbers|total|average|rate|rates|caseloads?|figure|figures|count|"
                             r"level|levels|score|amount|cost|budget|spend|population)\b")
COMPARATOR_RE = re.compile(r"(?i)\b(?:England(?:['’]s)?|statistical\s+neighbou?rs|national\s+average|nationally|"
                           r"the\s+region|regional\s+average|the\s+north\s+west|the\s+south\s+west|core\s+cities|"
                           r"comparator\s+authorities|similar\s+authorities)\b")
RANGE_BEFORE_RE = re.compile(
    r"(?i)(?:\bbetween\s+)?(?<![\w.,])(?P<lo>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(
        sorted((w for w in COUNT_WORDS if w not in ("hundred", "dozen")), key=len, reverse=True))
    + r")\s*(?:%|per\s?cent)?\s*(?:to|-|–|—|(?<=\S)\s+and)\s*$")
AGE_BEFORE_RE = re.compile(r"(?i)(?:^|[,;:(]\s*|\b(?:when|once|until|before|after|from)\s+)(?:at|from|until|by|aged?)\s+$|"
                           r"\bat\s+the\s+age\s+of\s+$|\bturn(?:s|ing|ed)?\s+$|\breach(?:es|ing|ed)?\s+$")
PEOPLE_NOUN_RE = re.compile(r"(?i)^\s*(?:young\s+)?(?:individuals?|people|persons?|children|pupils|students|learners|"
                            r"residents|adults|care\s+leavers|they|he|she|you|a\s+young\s+person)\b")
STOP_TAIL = {"the", "a", "an", "of", "and", "or", "to", "in", "for", "with", "by", "on", "at", "that", "which", "who"}


def _span_overlaps(a0: int, a1: int, spans: list[tuple[int, int]]) -> bool:
    return any(a0 < s1 and s0 < a1 for s0, s1 in spans)


def _num(raw: str) -> float | int | None:
    raw = raw.lower()
    if raw in COUNT_WORDS:
        return COUNT_WORDS[raw]
    try:
        v = float(raw.replace(",", ""))
    except ValueError:
        return None
    return int(v) if v.is_integer() and "." not in raw else v


def _tokens_after(span, char_end: int, limit: int = 7, allow_of: bool = True) -> str:
    """The noun phrase that starts right after a figure, from spaCy's POS tags."""
    if span is None:
        return ""
    words: list[str] = []
    seen_noun = False
    started = False
    for t in span:
        if t.idx < char_end:
            continue
        if not started and t.text in ("%", ")", "(", "pounds"):
            continue
        started = True
        if t.is_punct and t.text not in ("-", "/", "’", "'"):
            break
        nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
        if t.pos_ == "ADV" and not seen_noun and not words and t.lower_.endswith("ly") and nxt is not None \
                and (nxt.pos_ in ("ADJ",) or nxt.tag_ in ("VBN", "VBG")):
            words.append(t.text)  # "14 newly qualified social workers"
            continue
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or t.text in ("-", "/") or (t.pos_ == "VERB" and t.tag_ in ("VBG", "VBN") and not seen_noun):
            words.append(t.text)
            if t.pos_ in ("NOUN", "PROPN"):
                seen_noun = True
        elif allow_of and t.lower_ in ("of", "in", "for", "across", "per", "on") and seen_noun and len(words) < limit:
            words.append(t.text)
        else:
            break
        if len(words) >= limit:
            break
    while words and words[-1].lower() in STOP_TAIL | {"-", "/"}:
        words.pop()
    while words and words[0].lower() in ("plus", "+", "-", "/", "more", "over"):
        words.pop(0)
    return " ".join(words) if seen_noun and words else ""


def _tokens_before(span, char_start: int, limit: int = 5) -> str:
    """The noun phrase that ends right before a figure ("survey respondents (88%)")."""
    if span is None:
        return ""
    toks = [t for t in span if t.idx + len(t.text) <= char_start]
    while toks and toks[-1].text in ("(", "[", "at", "of", "is", "was", "were", "are", "–", "-", ":", ","):
        toks.pop()
    words: list[str] = []
    for t in reversed(toks):
        if t.pos_ in ("NOUN", "PROPN", "ADJ") or (t.text in ("-", "/", "'s", "’s") and words) or (t.lower_ == "of" and words and len(words) < limit):
            words.insert(0, t.text)
        else:
            break
        if len(words) >= limit:
            break
    while words and words[0].lower() in STOP_TAIL:
        words.pop(0)
    return " ".join(words).replace(" 's", "'s").replace(" ’s", "’s")


def _window(text: str, start: int, end: int, before: int = 4, after: int = 7) -> str:
    pre = re.findall(r"[A-Za-z][\w'’-]*", text[:start])
    post = re.findall(r"[A-Za-z][\w'’-]*", text[end:])
    pre = [w for w in pre if w.lower() not in STOP_TAIL and len(w) > 1][-before:]
    post = [w for w in post if w.lower() not in STOP_TAIL and len(w) > 1][:after]
    return " ".join(pre + post)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in (",", ";", ":", "(", "–", " while ", " but ", " and "))
    rights = [i for i in (text.find(c, end) for c in (",", ";", ".", "(", ")", "–", " while ", " but ")) if i >= 0]
    return (left + 1 if left >= 0 else 0), (min(rights) if rights else len(text))


def _subject(text: str, start: int, span, default: str | None, end: int | None = None) -> str | None:
    """Whose figure it is: England / statistical neighbours / a named place when the sentence attributes it to
    them ("England has a rate of 65.4", "compared with 43.7 in England"), else the document's authority."""
    clause_start, _ = _clause_bounds(text, start, start)
    best = None
    for m in COMPARATOR_RE.finditer(text):
        if m.start() < start and m.start() >= clause_start - 40:
            best = m.group(0)
    if end is not None:
        after = text[end:end + 60]
        m = re.match(r"(?i)^[^\d;.]{0,25}?\b(?:in|for|across|with|among|amongst|by)\s+(?:the\s+|our\s+|its\s+)?("
                     + COMPARATOR_RE.pattern.replace("(?i)", "") + r")", after)
        if m and not re.search(r"\d", after[:m.start(1)]):
            best = m.group(1)
        elif re.match(r"(?i)^\s*(?:nationally|national(?:ly)?\s+average)\b", after):
            best = "England"
    if best:
        best = re.sub(r"['’]s$", "", best).strip()
        if re.fullmatch(r"(?i)nationally|national\s+average", best):
            return "England"
        return best
    if span is not None:
        for e in span.ents:
            if e.end_char - span.start_char <= start and e.start_char - span.start_char >= clause_start - 60 and (
                    e.label_ == "GPE" or (e.label_ == "ORG" and re.search(r"(?i)\b(?:council|borough|county|city)\b", e.text))):
                best = e.text
    if best:
        return re.sub(r"['’]s$", "", best).strip()
    return default


def _period(text: str, start: int, end: int, meeting_date: str | None) -> str | None:
    mentions = find_dates(text, meeting_date)
    best = None
    for dm in mentions:
        if 0 <= dm.start - end <= 30 and not re.search(r"\d", text[end:dm.start].replace("per 10,000", "").replace("%", "")):
            iso = dm.iso()
            if dm.range_with is not None and dm.range_with > mentions.index(dm):
                other = mentions[dm.range_with]
                iso = f"{dm.iso()}/{other.iso()}"
            return iso
        if 0 <= start - dm.end <= 25 and best is None and not re.search(r"\d", text[dm.end:start]):
            best = dm.iso()
    m = re.search(r"(?i)\b(?:over|in|during)\s+the\s+(?:last|past|previous)\s+(\d+|\w+)\s+(months?|years?|weeks?)", text[end:end + 60])
    if m:
        return m.group(0).split(" ", 1)[1]
    return best


# a school's forms of entry (a class of 30 a year group): "0.3FE", "5 FE", "2 forms of entry"
FE_RE = re.compile(rf"(?<![\w.])(?P<v>{NUM})\s?(?:FE\b|forms?\s+of\s+entry\b)")
CHANGE_OF_RE = re.compile(r"(?i)\b(?P<w>increase|decrease|rise|fall|reduction|growth|drop)\s+of\s*$")


FREQUENCY_RE = re.compile(r"(?i)\b(?P<n>once|twice|thrice|(?:\d{1,2}|two|three|four|five|six|ten|twelve)\s+times)\s+"
                          r"(?:a|per|each|every)\s+(?P<u>year|month|week|day|quarter|term)\b")
SHARES = {"half": 50, "a third": 33.3, "two thirds": 66.7, "a quarter": 25, "three quarters": 75}
SHARE_WORDS_RE = re.compile(
    r"(?i)(?<![\w-])(?P<f>half|(?:a|one)\s+third|two\s+thirds|(?:a|one)\s+quarter|three\s+quarters)\s+of\s+"
    r"(?!the\s+(?:year|month|term|week|day|period|century|decade|meeting|session)\b)(?!(?:19|20)\d\d)(?=(?:the|those|all|our|its|\w+s)\b)")


MAY_HOLD_FIGURE_RE = re.compile(r"\d|%|£|" + "|".join(COUNT_WORDS) + r"|Good|Outstanding|Inadequate|Requires|"
                                r"\b(?:once|twice|thrice|half|thirds?|quarters?)\b", re.IGNORECASE)
CHANGE_BEFORE_RE = re.compile(rf"(?i)\b{alternation('change_words')}\s+$")  # "from 285 to 251": no range
APPROX_PAREN_RE = re.compile(rf"\(\s*(?P<q>{alternation('approximators')}\s*)?$")  # "(some 800)"
NOT_A_COUNT_AFTER_RE = re.compile(r"^\+|^-(?:year|month|week|day|hour|minute)s?\b|^-[a-z]|^\s*(?:years?|yrs?)\s+old\b"
                                  rf"|^[\s-]*{alternation('frequency_adverbs')}\b", re.IGNORECASE)
AGE_VERB_BEFORE_RE = re.compile(rf"(?i)\b{alternation('age_verbs')}\s+$")
RATING_LEAD_RE = re.compile(rf"(?i)\b{alternation('rating_lead_words')}\s*$")
NUMBER_OF_RE = re.compile(r"(?i)\b((?:average\s+|total\s+)?(?:number|total|caseloads?|count|amount|level)s?\s+of\s+"
                          r"[\w\s'’-]{3,60}?)(?=\s+(?:has|have|is|was|were|are|had|reduced|increased|fell|rose|from|to|at)\b)")
SCALES = {"million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "thousand": 10**3, "k": 10**3}


class _Sentence:
    """One sentence being read for figures: what it says, the figures found so far (`out`), the stretches of
    text already read as a figure (`taken`) and those no figure may come from (`bad`: dates, phone numbers,
    references, votes)."""

    def __init__(self, text: str, span, meeting_date: str | None, subject: str | None, heading: str | None) -> None:
        self.text, self.span, self.meeting_date, self.subject, self.heading = text, span, meeting_date, subject, heading
        self.out: list[dict] = []
        self.taken: list[tuple[int, int]] = []
        self.bad = excluded_spans(text, meeting_date)
        self.sstart = span.start_char if span is not None else 0

    def after(self, e: int, **kw) -> str:
        """The words the figure ending at `e` qualifies ("21 Family Safeguarding Teams"), from the parse."""
        return _tokens_after(self.span, self.sstart + e, **kw) if self.span is not None else ""

    def before(self, s: int) -> str:
        """The noun phrase just before character `s`, from the parse."""
        return _tokens_before(self.span, self.sstart + s) if self.span is not None else ""

    def add(self, value, unit: str, s: int, e: int, measure: str | None) -> None:
        """Record the figure at [s, e): a range's upper bound ("two to three days") takes in its lower one,
        and a time frame or age band ("over the next five to ten years") is no figure."""
        text = self.text
        measure = re.sub(r"\s+", " ", (measure or "").strip(" -–,;:")) or None
        if unit == "count" and measure and measure[:1].isdigit():
            return  # "0- 25years": a band's end read as what is counted
        rm = RANGE_BEFORE_RE.search(text[:s]) if unit != "GBP" and isinstance(value, (int, float)) else None
        if rm and (CHANGE_BEFORE_RE.search(text[:rm.start("lo")])
                   or (" and" in rm.group(0) and "between" not in rm.group(0).lower())):
            rm = None  # "from 285 to 251" is a change, not a range
        if rm:
            lo = _num(rm.group("lo"))
            if unit in ("days", "weeks", "months", "years", "hours", "minutes") and (
                    DUR_EXCLUDE_BEFORE_RE.search(text[:rm.start("lo")]) or re.search(r"(?i)\bages?\s+(?:of\s+)?$", text[:rm.start("lo")])):
                self.taken.append((rm.start("lo"), e))
                return  # "over the next five to ten years", "ages of 18 to 25": a time frame or an age band
            if isinstance(lo, (int, float)) and lo < value:
                # "two to three days", "10-15%": the lower bound, and the upper one beside it
                lo_s = rm.start("lo")
                self.out[:] = [o for o in self.out if not (o.get("_pos") and lo_s <= o["_pos"][0] < s)]
                self.out.append({"value": lo, "value_high": value, "unit": unit, "measure": measure,
                                 "subject": _subject(text, lo_s, self.span, self.subject, e),
                                 "period": _period(text, lo_s, e, self.meeting_date), "_pos": (lo_s, e)})
                self.taken.append((lo_s, e))
                return
        self.out.append({"value": value, "unit": unit, "measure": measure,
                         "subject": _subject(text, s, self.span, self.subject, e),
                         "period": _period(text, s, e, self.meeting_date), "_pos": (s, e)})
        self.taken.append((s, e))


def metrics_in_sentence(text: str, span, *, meeting_date: str | None = None, subject: str | None = None,
                        per_context: str | None = None, heading: str | None = None,
                        sentence_start: bool = True) -> list[dict]:
    """Metrics in one sentence. `span` is the spaCy Span of the sentence (or None).

    Figures with a unit are read first (money, rates per N, percentages, distances, forms of entry,
    durations, ratings, frequencies, shares in words), each taking its stretch of text; what is left
    is read for counts."""
    if not text or not MAY_HOLD_FIGURE_RE.search(text):
        return []
    sent = _Sentence(text, span, meeting_date, subject, heading)
    sent.bad.extend(vote_tallies(text))
    for read in (_money, _rates_per_n, _percentages, _distances, _forms_of_entry, _durations, _ratings,
                 _frequencies, _shares_in_words):
        read(sent)
    _counts(sent, per_context, sentence_start)
    return sent.out


def _money(sent: _Sentence) -> None:
    """Sums of money: "a revenue overspend of £23.3m", "£764,000 was awarded", "a £30.4m overspend"."""
    text = sent.text
    for s, e, v in find_money(text):
        measure = ""
        if re.search(r"(?i)\bof\s*[+-]?$", text[:s]):
            measure = sent.before(len(re.sub(r"(?i)\s*of\s*[+-]?$", "", text[:s])) + 1)
        if not measure:
            m_of = re.match(r"\s+of\s+", text[e:])
            measure = sent.after(e + m_of.end()) if m_of else sent.after(e)
        if not measure:
            measure = _window(text, s, e)
        if re.search(r"(?:^|[\s(])[-−–]$", text[max(0, s - 2):s]):
            v = -v  # "a rephasing variance of -£124.5m"; not a list's dash "Grass cutting – £680" nor a range's
        sent.add(v, "GBP", s, e, measure)


def _rates_per_n(sent: _Sentence) -> None:
    """Rates per N: "188 per 10,000 children"; what they are rates of comes from the sentence or its heading."""
    for m in PERN_RE.finditer(sent.text):
        if _span_overlaps(m.start(), m.end(), sent.taken) or _span_overlaps(m.start("v"), m.end("v"), sent.bad):
            continue
        n = int(m.group("n").replace(",", ""))
        sent.add(_num(m.group("v")), f"per {n:,}", m.start(), m.end(), _rate_measure(sent.text, sent.heading))


def _percentages(sent: _Sentence) -> None:
    """Percentages and percentage points: "75% of staff", "practitioners (98%)", "up 3pp"."""
    text = sent.text
    for m in PCT_RE.finditer(text):
        if _span_overlaps(m.start(), m.end(), sent.taken):
            continue
        u = m.group("u").lower()
        unit = "percentage points" if ("point" in u or u.startswith("pp")) else "%"
        measure = ""
        rest = text[m.end():]
        if re.match(r"\s+of\b", rest):
            measure = sent.after(m.end() + len(re.match(r"\s+of\b", rest).group(0)))
        if not measure and text[:m.start()].rstrip().endswith("("):
            measure = sent.before(m.start())
        if not measure:
            measure = _window(text, m.start(), m.end(), before=2, after=7)
        sent.add(_num(m.group("v")), unit, m.start(), m.end(), measure)


def _distances(sent: _Sentence) -> None:
    """Distances: "Margate Family Hub is 1.4 miles away"."""
    text = sent.text
    for m in DIST_RE.finditer(text):
        if not _span_overlaps(m.start(), m.end(), sent.taken):
            u = m.group("u").lower()
            sent.add(_num(m.group("v")), "miles" if u.startswith("mile") else "km", m.start(), m.end(),
                     _window(text, m.start(), m.end(), before=5, after=3))


def _forms_of_entry(sent: _Sentence) -> None:
    """A school's forms of entry: "0.3FE 85 Year R temp places", "a total of 38FE"."""
    text = sent.text
    for m in FE_RE.finditer(text):
        if not _span_overlaps(m.start(), m.end(), sent.taken):
            sent.add(_num(m.group("v")), "FE", m.start(), m.end(), _window(text, m.start(), m.end(), before=4, after=5))


def _durations(sent: _Sentence) -> None:
    """Durations that measure something ("waited 12 weeks"), not time frames ("within 3 months", "2 years ago")."""
    text = sent.text
    for m in DUR_RE.finditer(text):
        if _span_overlaps(m.start(), m.end(), sent.taken) or _span_overlaps(m.start("v"), m.end("v"), sent.bad):
            continue
        pre = text[:m.start()]
        if m.group("u") == "Year" and re.match(r"\s+(?:R|\d{1,2})\b", text[m.end():]):
            continue  # "85 Year R temp places": places in a school year group, counted below
        if DUR_EXCLUDE_BEFORE_RE.search(pre) or DUR_EXCLUDE_AFTER_RE.match(text[m.end():]):
            sent.taken.append((m.start(), m.end()))
            continue
        if re.search(r"(?i)\b(?:within|over\s+the\s+last|in\s+the\s+last)\s+\S+\s*$", pre):
            continue
        u = m.group("u").lower()
        unit = {"min": "minutes", "mins": "minutes", "hr": "hours", "hrs": "hours"}.get(u, u if u.endswith("s") else u + "s")
        sent.add(_num(m.group("v")), unit, m.start(), m.end(), _window(text, m.start(), m.end(), before=4, after=4))


def _ratings(sent: _Sentence) -> None:
    """Inspection ratings ("rated Good", "'Requires Improvement' for leadership"), in a sentence about inspection."""
    text = sent.text
    if not RATING_CONTEXT_RE.search(text):
        return
    for m in RATING_RE.finditer(text):
        v = m.group("v")
        quoted = m.group(0)[:1] in "'‘’\"“"
        if m.start() == 0 and not quoted:
            continue
        if v == "Good" and not quoted and not RATING_LEAD_RE.search(text[:m.start()]):
            continue
        value = re.sub(r"\s+", " ", v).replace("improvement", "Improvement").replace("good", "Good")
        ctx = text[max(0, m.start() - 80):m.end() + 60]
        measure = "Ofsted rating" if re.search(r"(?i)ofsted|ilacs", text) else "inspection rating"
        tail = re.match(r"\s*['’\"”]?\s*(?:for|in)\s+([^,.;()]{3,60})", text[m.end():])
        if tail and not re.match(r"(?i)^(?:(?:19|20)\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)", tail.group(1)):
            measure += " for " + tail.group(1).strip()
        sent.out.append({"value": value, "unit": "rating", "measure": measure,
                         "subject": _subject(text, m.start(), sent.span, sent.subject),
                         "period": _period(text, m.start(), m.end(), sent.meeting_date) or _nearest_year(ctx)})
        sent.taken.append((m.start(), m.end()))


def _frequencies(sent: _Sentence) -> None:
    """How often: "reviews took place twice a year", "meets four times a year" (not a survey's "at least once")."""
    text = sent.text
    for m in FREQUENCY_RE.finditer(text):
        if _span_overlaps(m.start(), m.end(), sent.taken) or re.search(r"(?i)(?:(?:more|less|fewer)\s+than|at\s+least)\s+$",
                                                                        text[:m.start()]) \
                or re.search(r"\d\s*%", text[max(0, m.start() - 12):m.end() + 12]):
            continue  # "38% use services at least once a week": a survey's category, not a frequency
        how = m.group("n").lower()
        n = {"once": 1, "twice": 2, "thrice": 3}.get(how) or _num(re.sub(r"(?i)\s*times$", "", how))
        if n:
            clause = re.split(r"[,;:(]", text[:m.start()])[-1].strip()  # "reviews took place (twice a year)"
            sent.add(n, f"per {m.group('u').lower()}", m.start(), m.end(),
                     " ".join(clause.split()[-6:]) or _window(text, m.start(), m.end()))


def _shares_in_words(sent: _Sentence) -> None:
    """Shares in words: "Half of those received focussed on standards" (not "half of the year")."""
    text = sent.text
    for m in SHARE_WORDS_RE.finditer(text):
        if _span_overlaps(m.start(), m.end(), sent.taken) or (m.start() and text[m.start() - 1] == "-") \
                or re.search(r"(?i)\b(?:first|second|latter|former|other)\s+$", text[:m.start()]) \
                or re.search(r"\(\s*\d+(?:\.\d+)?\s*%", text[m.end():m.end() + 60]):
            continue  # "the second half of the interview"; "just under a quarter of consultees (22%)": the % says it
        share = SHARES[re.sub(r"\s+", " ", m.group("f").lower()).replace("one ", "a ")]
        sent.add(share, "%", m.start(), m.end(), sent.after(m.end()) or _window(text, m.start(), m.end()))


def _counts(sent: _Sentence, per_context: str | None, sentence_start: bool) -> None:
    """Counts in digits or words, and bare figures in a rate or "number of" context, among what the figures
    with units left: list numbers, labels ("section 47"), ages and fractions are screened out."""
    text = sent.text
    rate_unit = None
    if re.search(r"(?i)\brates?\b", text):
        pc = PER_CONTEXT_RE.search(text)
        rate_unit = f"per {int(pc.group(1).replace(',', '')):,}" if pc else per_context
    cands = [(m.start("v"), m.end("v"), m.group("v"), False) for m in NUMBER_RE.finditer(text)]
    cands += [(m.start("v"), m.end("v"), m.group("v"), True) for m in WORD_NUM_RE.finditer(text)]
    for s, e, raw, is_word in sorted(cands):
        if _span_overlaps(s, e, sent.taken) or _span_overlaps(s, e, sent.bad):
            continue
        pre, post = text[:s], text[e:]
        if not is_word and re.match(r"^\+(?![\d+])", post) and (_num(raw) or 0) >= 100:
            e, post = e + 1, post[1:]  # "2000+ care leavers": a count (a qualifier, not an age as in "18+")
        if _is_label_or_list_number(s, raw, is_word, pre, post, sentence_start):
            continue
        if _bracketed_count(sent, s, e, raw, is_word, pre, post):
            continue
        if not is_word and re.match(r"^\.(?:\s|[A-Z])|^\)", post) and re.search(r"(?:^|[\s(–—-])$", pre):
            continue  # "– 1.THE PANDEMIC", "(Item 5.)" list numbers inside text
        value = _num(raw)
        if value is None:
            continue
        if is_word and raw.lower() == "hundred":
            continue
        scale = re.match(r"(?i)^\s*(million|m\b|billion|bn\b|thousand|k\b)", post)
        if scale and not is_word:
            # "1.5 million residents": the figure is the whole number
            mult = SCALES[scale.group(1).lower()]
            value = round(value * mult) if float(value * mult).is_integer() else value * mult
            e = e + scale.end()
            post = text[e:]
        if _is_age(value, pre, post):
            continue
        _count(sent, value, s, e, is_word, pre, post, rate_unit)


def _is_label_or_list_number(s: int, raw: str, is_word: bool, pre: str, post: str, sentence_start: bool) -> bool:
    """A number that labels ("section 47", "Item 5", "year five", "Key Stage Four"), is part of a fraction,
    an age or a compound ("one third", "18+", "3-year plan", "14 years old", "3 monthly"), or numbers
    the sentence ("1. The progress ...", "2) ...")."""
    if LABEL_BEFORE_RE.search(pre) and (not is_word or WORD_LABEL_BEFORE_RE.search(pre)):
        return True
    if FRACTION_AFTER_RE.match(post) or NOT_A_COUNT_AFTER_RE.match(post):
        return True
    return not is_word and s == 0 and sentence_start and bool(re.match(r"^[.)]\s*", post)) \
        and not re.match(r"^\.\d", post)


def _bracketed_count(sent: _Sentence, s: int, e: int, raw: str, is_word: bool, pre: str, post: str) -> bool:
    """A count in brackets after what it counts: "DCLG's datasets (some 800)". True if recorded as one."""
    paren = APPROX_PAREN_RE.search(pre)
    if paren and not is_word and re.match(r"^\s*\)", post) and (paren.group("q") or (_num(raw) or 0) >= 25) \
            and re.fullmatch(r"[\d,]+", raw) and not re.match(r"^\s*\)\s*[(\d-]", post) \
            and not re.search(r",\s*\(\s*$", pre):  # not "(111.2) (75.8)" (a table's negatives), "Archivaria, (94)"
        what = sent.before(paren.start())  # the number of what comes before
        if what and not LABEL_BEFORE_RE.search(pre[:paren.start()]):
            sent.add(_num(raw), "count", s, e, what)
            return True
    return False


def _is_age(value, pre: str, post: str) -> bool:
    """A small number that is an age: "Turning 18", "young people reaching 18", "At 18 individuals became
    eligible", "from 16, young people ..."."""
    if isinstance(value, int) and value <= 25 and AGE_VERB_BEFORE_RE.search(pre):
        return True
    return isinstance(value, int) and value <= 25 and bool(AGE_BEFORE_RE.search(pre)) \
        and bool(PEOPLE_NOUN_RE.match(post) or re.match(r"^\s*[,;]", post))


def _count(sent: _Sentence, value, s: int, e: int, is_word: bool, pre: str, post: str, rate_unit: str | None) -> None:
    """Record a count: of the noun it qualifies ("21 Family Safeguarding Teams"), else a bare figure in a
    rate, a change ("an increase of 477") or a "number of ..." sentence."""
    text = sent.text
    noun = sent.after(e)
    if noun and not is_word and re.match(r"(?i)^(?:st|nd|rd|th)\b", noun):
        return
    if noun:
        if rate_unit and re.match(r"(?i)^(?:rate|per)\b", noun):
            sent.add(value, rate_unit, s, e, _rate_measure(text, sent.heading))
        else:
            sent.add(value, "count", s, e, noun)
        return
    if is_word:
        return
    if BARE_CUE_BEFORE_RE.search(pre) or re.match(r"^\s*(?:\(|$|[.;,])", post):
        if rate_unit:
            sent.add(value, rate_unit, s, e, _rate_measure(text, sent.heading))
        elif CHANGE_OF_RE.search(pre):  # "This is an increase of 477 (2.5%) since January 2023"
            sent.add(value, "count", s, e, sent.before(CHANGE_OF_RE.search(pre).end("w")))
        elif MEASURE_WORD_RE.search(text) and BARE_CUE_BEFORE_RE.search(pre):
            m = NUMBER_OF_RE.search(text)
            measure = m.group(1) if m else sent.before(s) or _window(text, s, e, before=4, after=2)
            sent.add(value, "count", s, e, measure)


def _nearest_year(text: str) -> str | None:
    m = re.search(r"\b(?:19|20)\d\d\b", text)
    return m.group(0) if m else None


def _rate_measure(text: str, heading: str | None) -> str:
    m = re.search(r"(?i)\brates?\s+(?:per\s+[\d,]+\s+)?of\s+([A-Za-z][^,.;:()\d]{1,80}?)(?=\s+(?:is|was|were|are|has|have|had|per|at|"
                  r"stood|stands|remain(?:s|ed)?|compared|fell|rose|increased|decreased|reduced|went|dropped)\b|[,.;:()\d]|$)", text)
    if m:
        what = re.sub(r"(?i)\s+(?:in|across|for|within)\s+(?:the\s+)?(?:country|county|borough|city|region|area|nation|uk)\b.*$",
                      "", m.group(1).strip())
        what = re.sub(r"(?i)^(?:the|all|our)\s+", "", what)
        if what and not re.match(r"(?i)^(?:per|about|around|over|under|just)\b", what):
            return f"{what} rate"
    if heading:
        h = re.sub(r"(?i)^(?:the\s+)?(?:number|numbers|rate)\s+of\s+", "", heading.strip()).lower()
        if 2 <= len(h) <= 60:
            return f"{h} rate"
    m = re.search(r"(?i)\b([\w'’-]+(?:\s+[\w'’-]+){0,3})\s+rates?\b", text)
    return f"{m.group(1)} rate" if m else "rate"


INDEX_HEADER_RE = re.compile(r"(?i)(?:agenda\s+)?item(?:\s+no\.?)?|no\.?|#|question\s+(?:no\.?|number)|(?:row\s+|line\s+)?ref(?:erence)?\.?(?:\s+no\.?)?|"
                             r"para(?:graph)?|minute(?:\s+no\.?)?|row|line(?:\s+no\.?)?|id|s/?n")


def metrics_in_table_row(cells: list[str], header: list[str] | None, row_label: str | None, *, span_lookup=None,
                         meeting_date: str | None = None, subject: str | None = None) -> list[tuple[int, dict]]:
    """Figures in a table row: each carries its row label and column header as the measure.
    Returns (cell index, metric)."""
    out = []
    header = header or []
    for ci, cell in enumerate(cells or []):
        if not cell or not re.search(r"\d|%|£", cell):
            continue
        span = span_lookup(ci) if span_lookup else None
        col = header[ci] if ci < len(header) else None
        if col and INDEX_HEADER_RE.fullmatch(col.strip()):
            continue  # the "Item" or "No." column numbers the rows
        if ci == 0 and re.fullmatch(r"\s*\d{1,3}\.?\s*", cell) and (not col or re.fullmatch(r"[\d\s.]*", col)):
            continue  # a bare number first in a row, under no header (or a number): the row's number
        found = metrics_in_sentence(cell, span, meeting_date=meeting_date, subject=subject)
        if not found and re.fullmatch(rf"\s*(?:£\s?)?(?:{NUM})\s*%?\s*", cell):
            v = _num(re.sub(r"[£%\s]", "", cell))
            if v is not None and not (isinstance(v, int) and 1900 <= v <= 2100 and "," not in cell):
                unit = "GBP" if "£" in cell else "%" if "%" in cell else "count"
                found = [{"value": v, "unit": unit, "measure": None, "subject": subject, "period": None}]
        for f in found:
            label = " – ".join(x for x in (row_label if ci > 0 else None, col) if x)
            if label and (not f.get("measure") or ci > 0 or not re.search(r"[A-Za-z]", cell.replace(str(f["value"]), ""))):
                f["measure"] = (label + (f" ({f['measure']})" if f.get("measure") else ""))[:120]
            elif label and f.get("measure"):
                f["measure"] = f["measure"]
            if col and re.fullmatch(r"(?:19|20)\d\d(?:/\d\d)?|(?:Q[1-4]|[A-Z][a-z]{2,8})\s+(?:19|20)?\d\d", col.strip()):
                f["period"] = col.strip()
            out.append((ci, f))
    return out
