"""People named with a role: "Sharon Hubber, Director of Children's Social Care", "the Council's
Strategic Commissioner, in Children's Services Louise Palmer", "Victoria Gent appointed to the role
of Transformation Lead". Names are checked against spaCy's PERSON entities or a title
(Cllr, Mr, Ms, Dr ...)."""
from __future__ import annotations

import re

ROLE_WORDS = (r"director|head|manager|officer|lead|leader|commissioner|chair|chairman|chairwoman|vice[- ]chair|"
              r"councillor|cabinet\s+member|member|chief|executive|worker|co-?ordinator|principal|assistant|deputy|"
              r"advis[eo]r|consultant|specialist|practitioner|secretary|clerk|mayor|inspector|analyst|solicitor|"
              r"treasurer|auditor|governor|superintendent|nurse|doctor|psychologist|portfolio\s+holder|monitoring\s+officer|"
              r"team\s+manager|service\s+manager|strategic\s+manager|chief\s+constable|president|ceo|dcs|das")
ROLE_RE = re.compile(rf"(?i)\b(?:{ROLE_WORDS})\b")
TITLE = r"(?:(?:County\s+)?Councillor|Cllr\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Professor|Prof\.?|Sir|Dame)"
NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}"
NOT_NAME_WORDS = {"council", "county", "social", "care", "children", "children's", "children’s", "services", "service",
                  "director", "head", "family", "safeguarding", "the", "department", "team", "board", "committee",
                  "scrutiny", "education", "health", "adult", "adults", "chair", "cabinet", "member", "members",
                  "officer", "report", "contact", "relevant", "lead", "transformation", "policy", "procedure",
                  "executive", "strategic", "commissioner", "group", "unit", "nhs", "trust", "partnership", "agenda",
                  "item", "minutes", "meeting", "date", "public", "local", "authority", "centre", "hub", "system",
                  "model", "and", "of", "for", "in", "on", "to", "by", "with", "manager", "practice", "development",
                  "leaders", "leader", "workers", "worker", "january", "february", "march", "april", "may", "june",
                  "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday",
                  "thursday", "friday", "mental", "domestic", "abuse", "senior", "business", "support", "recovery"}
NAME_ROLE_RE = re.compile(rf"(?P<name>(?:{TITLE}\s+)?{NAME}),\s+(?P<role>(?:the\s+)?[A-Z][^,;()\n]*?)"
                          rf"(?=\s*(?:,|;|\.(?:\s|$)|\(|$|\s+and\s+(?:{TITLE}\s+)?[A-Z][a-z]+\s+[A-Z]|\s+to\s+the\s+meeting|"
                          rf"\s+who\b|\s+\S+@\S+|\s+tel\b|\s+gave\b|\s+presented\b|\s+attended\b))")
ROLE_NAME_RE = re.compile(
    rf"(?i:the\s+)?(?:(?:Council|County\s+Council|Authority|Trust)['’]s\s+)(?P<role>[A-Z][\w'’/-]*(?:\s+(?:[A-Z][\w'’/-]*|for|of|and|in|&))*"
    rf"(?:,\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?)\s+(?P<name>{NAME})\b")
APPOINTED_RE = re.compile(
    rf"(?P<name>{NAME})\s+(?:has\s+been\s+|was\s+|is\s+)?appointed\s+(?:to\s+the\s+role\s+of\s+|as\s+(?:the\s+)?|to\s+the\s+)"
    rf"(?P<role>[A-Za-z][\w'’/ -]*?)(?=\s+(?:post|role|position)\b|\s+for\s+\d|\s+from\b|[,.;]|$)")
HAS_LEAD_RE = re.compile(rf"(?P<name>{NAME})\s+(?:has|takes|will\s+have)\s+the\s+(?P<role>lead\s+(?:on|for)\s+[^,.;]+)")
EXTERNAL_ORG_RE = re.compile(r"\b(?:NHS[\w ]*|[A-Z][\w ]*Police|Ofsted|DfE|Department\s+for\s+[A-Z]\w+|[A-Z][\w ]*Trust|"
                             r"[A-Z][\w ]*University|[A-Z][\w ]*Consulting|[A-Z][\w ]*ICB|[A-Z][\w ]*CCG)\b")


def _clean_name(name: str) -> str:
    return re.sub(rf"^{TITLE}\s+", "", name.strip()).strip()


def _looks_like_name(name: str, span_ents, text_offset: int, start: int, end: int) -> bool:
    words = _clean_name(name).split()
    if len(words) < 2 or any(w.lower() in NOT_NAME_WORDS for w in words):
        return False
    if re.match(rf"^{TITLE}\s", name):
        return True
    for e in span_ents or ():
        if e.label_ == "PERSON" and e.start_char - text_offset < end and start < e.end_char - text_offset:
            return True
    return False


def _organisation(role: str, authority: str | None) -> str | None:
    m = EXTERNAL_ORG_RE.search(role or "")
    if m:
        return m.group(0).strip()
    m = re.search(r"\b(?:of|at)\s+((?:[A-Z][\w'’]*\s+)*(?:Council|Borough|Authority))\b", role or "")
    if m:
        return m.group(1).strip()
    return authority


def _clean_role(role: str) -> str:
    role = re.sub(r"\s+", " ", role).strip(" ,;:–-")
    role = re.sub(r"(?i)^the\s+", "", role)
    role = re.sub(r"(?i),?\s+in\s+", ", ", role) if re.search(r"(?i),\s+in\s+", role) else role
    return role


def people_in_text(text: str, span=None, authority: str | None = None) -> list[dict]:
    out = []
    if not text or not re.search(r"[A-Z][a-z]+\s+[A-Z][a-z]+", text):
        return out
    ents = list(span.ents) if span is not None else []
    off = span.start_char if span is not None else 0
    for m in NAME_ROLE_RE.finditer(text):
        role = m.group("role")
        if not ROLE_RE.search(role) or len(role) > 120:
            continue
        if not _looks_like_name(m.group("name"), ents, off, m.start("name"), m.end("name")):
            continue
        role = _clean_role(role)
        out.append({"name": _clean_name(m.group("name")), "role": role, "organisation": _organisation(role, authority)})
    for m in ROLE_NAME_RE.finditer(text):
        if not ROLE_RE.search(m.group("role")):
            continue
        if not _looks_like_name(m.group("name"), ents, off, m.start("name"), m.end("name")):
            # the sm model often tags "in Children's Services Louise Palmer" as one entity; accept a name that ends the run
            if any(w.lower() in NOT_NAME_WORDS for w in m.group("name").split()):
                continue
        role = _clean_role(m.group("role"))
        out.append({"name": _clean_name(m.group("name")), "role": role, "organisation": _organisation(role, authority)})
    for rx in (APPOINTED_RE, HAS_LEAD_RE):
        for m in rx.finditer(text):
            name = m.group("name")
            if any(w.lower() in NOT_NAME_WORDS for w in name.split()):
                continue
            role = _clean_role(m.group("role"))
            out.append({"name": _clean_name(name), "role": role, "organisation": _organisation(role, authority)})
    return out


def merge_people(items: list[dict]) -> list[dict]:
    """One record per person, keeping the fullest role."""
    by_name: dict[str, dict] = {}
    for p in items:
        key = p["name"].lower()
        cur = by_name.get(key)
        if cur is None or len(p.get("role") or "") > len(cur.get("role") or ""):
            by_name[key] = p if cur is None else {**p, "page": cur.get("page"), "block": cur.get("block"),
                                                   "section": cur.get("section"), "text": cur.get("text")}
    return list(by_name.values())
