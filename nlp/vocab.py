"""Vocabularies of the genre, kept as data files (nlp/data/*.txt: one entry a line, # comments)
rather than as word lists inside regular expressions; `alternation` builds a pattern from one."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of nlp/data/NAME.txt, in file order (longest first where order matters is the file's job)."""
    out = []
    for line in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


def alternation(name: str) -> str:
    """A regex alternation of the file's entries (spaces match any whitespace), longest first."""
    entries = sorted(words(name), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(e).replace(r"\ ", r"\s+") for e in entries) + ")"
