"""Which meeting follows which. One rule for both places that need it: extraction at ingest
("at the next meeting" resolved against the meetings the KB holds then) and the action tracker
(the same phrase resolved again at report time, against every meeting the KB holds now)."""
from __future__ import annotations

from collections.abc import Iterable


def is_later(a: str | None, b: str | None) -> bool:
    """Whether date `a` is strictly later than `b`, compared at the precision both state
    ("2021-04" is later than "2021-03-16"; "2021-03" is not)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def meeting_key(authority: str | None, committee: str | None) -> str:
    """The body whose meetings follow one another: authority and committee, case aside."""
    return f"{(authority or '').strip().lower()}|{(committee or '').strip().lower()}"


def next_meeting(doc: dict, docs: Iterable[dict]) -> dict | None:
    """The first of `docs` that records a meeting of `doc`'s committee (same authority) after
    `doc`'s meeting date, or None (also when `doc` names no committee or date)."""
    if not doc.get("committee") or not doc.get("meeting_date"):
        return None
    key = meeting_key(doc.get("authority"), doc.get("committee"))
    later = [x for x in docs if meeting_key(x.get("authority"), x.get("committee")) == key
             and is_later(x.get("meeting_date"), doc["meeting_date"])]
    return min(later, key=lambda x: x["meeting_date"]) if later else None
