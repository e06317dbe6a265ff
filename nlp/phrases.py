"""Phrases read from a spaCy dependency parse: the noun phrase a token heads, a verb's complement, and their
text tidied of the words at their ends that name nothing ("the", "of", "which"). `nlp.measure` names
a figure's measure with them.
"""
from __future__ import annotations

import json
import re

from nlp.vocab import DATA

_WORDS = json.loads((DATA / "measure_words.json").read_text(encoding="utf-8"))
NP_LEFT = {"compound", "amod", "nmod", "npadvmod", "poss", "advmod", "nummod_", "case", "quantmod_"}
NP_RIGHT = {"prep", "acl", "relcl", "compound", "amod", "case"}
LEAD_DROP = set(_WORDS["lead_drop"])
TAIL_DROP = set(_WORDS["tail_drop"])
MAX_WORDS = 10


def noun_phrase(head, exclude: set, max_words: int = MAX_WORDS, right: bool = True, min_right: int = 0) -> list:
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
                        inner = noun_phrase(objs[0], exclude, max_words=3, right=False)
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


def phrase_text(toks) -> str:
    """The tokens' text as the sentence spells it (its own spaces between them)."""
    if not toks:
        return ""
    s = "".join(t.text_with_ws for t in toks[:-1]) + toks[-1].text
    return s


def tidy(toks) -> str:
    """A phrase without the determiners, figures and function words at its ends (LEAD_DROP, TAIL_DROP), and
    without the capital its first word has only for beginning the sentence."""
    toks = list(toks)
    while toks and (toks[0].lower_ in LEAD_DROP or toks[0].is_punct or toks[0].like_num or toks[0].text in ("£", "%")):
        toks.pop(0)
    while toks and (toks[-1].lower_ in TAIL_DROP or toks[-1].is_punct):
        toks.pop()
    if not toks:
        return ""
    s = phrase_text(toks)
    s = re.sub(r"\*+|_{2,}", "", s)
    s = re.sub(r"(?i)\s+(?:which|that|who|where)(?:\s+\w+)?$", "", s)  # "sessions conducted ... which aligned"
    s = re.sub(r"\s+", " ", s).strip(" ,;:–-")
    # the first word is capitalised only because it began the sentence
    first = toks[0]
    if first.is_sent_start and first.pos_ not in ("PROPN",) and not first.text.isupper() and first.text[:1].isupper():
        s = s[:1].lower() + s[1:]
    return s


def verb_clause(verb, exclude: set, max_words: int = 12) -> str:
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
    return phrase_text(parts)
