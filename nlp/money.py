"""Money in the forms council papers write it: £764,610, £764,000, £1.2m, £350k, 764,610 pounds,
£2.5 million, £1bn, £1.2 billion, GBP 3,000."""
from __future__ import annotations

import re

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9,
        "billion": 1e9}
MONEY_RE = re.compile(
    # a one-letter multiplier must touch its number: "£350k", but "£118.44 K & M Lighting" is a payee's initials
    rf"(?:£|GBP\s?)\s?(?!0{{3}}['’]?s?\b)(?P<v1>{NUM})(?:\s?(?P<m1>bn|billion|million|mn|mil|thousand)\b|(?P<m1s>m|k)\b)?"
    rf"(?:\s+(?:pounds|sterling)\b)?"
    rf"|(?<![\d.,£])(?P<v2>{NUM})(?:\s?(?P<m2>bn|billion|million|m|k|thousand))?\s+(?:pounds|pounds\s+sterling|GBP)\b",
    re.IGNORECASE)


def parse_amount(value: str, mult: str | None) -> float | int | None:
    try:
        v = float(value.replace(",", ""))
    except (ValueError, AttributeError):
        return None
    if mult:
        v *= MULT.get(mult.lower(), 1)
    if abs(v - round(v)) < 1e-6:
        return round(v)
    return round(v, 2)


def find_money(text: str) -> list[tuple[int, int, float | int]]:
    """(start, end, value in pounds) for each amount of money in `text`."""
    out = []
    for m in MONEY_RE.finditer(text or ""):
        raw, mult = (m.group("v1"), m.group("m1") or m.group("m1s")) if m.group("v1") else (m.group("v2"), m.group("m2"))
        v = parse_amount(raw, mult)
        if v is not None:
            out.append((m.start(), m.end(), v))
    return out
